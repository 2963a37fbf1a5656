// The per-thread compile cache, over a plain vm realm's evaluator (no lockdown needed): which
// names a script is compiled with, that each run gets its own values, the bounds, and lines.
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { createCompileCache, isBindableName } from '../../src/worker/compile-cache.js';

const wrap = (body: string): string => `(async function () {\n${body}\n})()`;

function countingEvaluator(): { evaluate: (source: string) => unknown; sources: string[] } {
  const sources: string[] = [];
  // SES evaluates strict code; so does this evaluator.
  return { sources, evaluate: (source) => (sources.push(source), runInNewContext(`'use strict'; ${source}`, {}, { filename: 'tw-script.js' })) };
}

describe('compile cache', () => {
  it('binds only the candidates the code spells, all of them when it spells an escape', () => {
    const cache = createCompileCache(countingEvaluator().evaluate);
    const candidates = ['print', 'console', 'get_users', 'secret', '__tw_checkpoint'];
    expect(cache.get(wrap('print(secret); return 1;'), candidates).names).toEqual(['print', 'secret']);
    expect(cache.get(wrap('return 1;'), candidates).names).toEqual([]);
    expect(cache.get(wrap('return typeof pr\\u0069nt;'), candidates).names).toEqual(candidates);
  });

  it('gives each run its own values, in a scope no other run shares, and evaluates each (code, names) once', async () => {
    const { evaluate, sources } = countingEvaluator();
    const cache = createCompileCache(evaluate);
    const code = wrap('await null; return [who, typeof this, arguments.length];');
    const first = cache.get(code, ['who']);
    const runs = [first.run(['a']), cache.get(code, ['who']).run(['b'])];
    expect(await Promise.all(runs)).toEqual([['a', 'undefined', 0], ['b', 'undefined', 0]]);
    expect(cache.get(code, ['who'])).toBe(first);
    expect(cache.get(code, ['who', 'other'])).not.toBe(first);
    expect(sources).toHaveLength(2);
  });

  it('makes the endowments constants of the run', async () => {
    const cache = createCompileCache(countingEvaluator().evaluate);
    const script = cache.get(wrap('try { who = 2; } catch (error) { return [error.name, who]; }'), ['who']);
    expect(await script.run([1])).toEqual(['TypeError', 1]);
  });

  it('keeps line N of the code at line N of the evaluated text', () => {
    const cache = createCompileCache(countingEvaluator().evaluate);
    const script = cache.get(wrap('const a = 1;\n\nthrow new Error(String(a));'), ['print']);
    return (script.run([]) as Promise<unknown>).then(
      () => expect.unreachable(),
      (error: Error) => expect(/tw-script\.js:(\d+):/.exec(error.stack ?? '')?.[1]).toBe('4'),
    );
  });

  it('forgets the least recently used entry past its bounds, and keeps no overlong code', () => {
    const { evaluate, sources } = countingEvaluator();
    const cache = createCompileCache(evaluate, { maxEntries: 2, maxChars: 1_000, maxEntryChars: 200 });
    const [a, b, c] = ['return 1;', 'return 2;', 'return 3;'].map(wrap);
    cache.get(a!, []);
    cache.get(b!, []);
    cache.get(a!, []); // a is now the most recent
    cache.get(c!, []); // evicts b
    expect(sources).toHaveLength(3);
    cache.get(a!, []);
    expect(sources).toHaveLength(3);
    cache.get(b!, []);
    expect(sources).toHaveLength(4);
    const long = wrap(`return ${'1 + '.repeat(60)}1;`);
    cache.get(long, []);
    cache.get(long, []);
    expect(sources).toHaveLength(6);
    // Characters: five entries of 300 characters cannot all stay under 1,000.
    const small = createCompileCache(countingEvaluator().evaluate, { maxChars: 1_000 });
    const texts = Array.from({ length: 5 }, (_, i) => wrap(`return ${i}; /*${'x'.repeat(260)}*/`));
    const compiled = texts.map((text) => small.get(text, []));
    expect(small.get(texts[4]!, [])).toBe(compiled[4]);
    expect(small.get(texts[0]!, [])).not.toBe(compiled[0]);
  });

  it('refuses a name that is no plain identifier before evaluating anything', () => {
    const { evaluate, sources } = countingEvaluator();
    const cache = createCompileCache(evaluate);
    for (const name of ['a-b', 'x = 1; y', 'this', 'eval', 'arguments', '__tw_endowed', '']) {
      expect(isBindableName(name)).toBe(false);
      expect(() => cache.get(wrap(`return ${JSON.stringify(name)};`), [name])).toThrow(TypeError);
    }
    expect(sources).toEqual([]);
    expect(['get_users', '$x', '_a1'].every(isBindableName)).toBe(true);
  });
});
