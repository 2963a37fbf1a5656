import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { CHECKPOINT_GLOBAL } from '../../src/globals.js';
import { validateScript, type PreparedScript } from '../../src/validate/index.js';
import { syntaxErrorOf } from './rejection.js';

// The reference: what SES (ses/src/transforms.js) rejects anywhere in evaluated source text.
const SES_REJECTED = [/(^|[^.]|\.\.\.)\bimport(\s*(?:\(|\/[/*]))/, /(^|[^.])\beval(\s*\()/, /<!--/, /-->/];

function sesRejects(code: string): boolean {
  return SES_REJECTED.some((pattern) => pattern.test(code));
}

// SES evaluates code strictly; the prefix stays on line 1, so line numbers are unchanged.
const STRICT = '"use strict"; ';

/** Runs prepared code the way the worker will (a strict script), with a plain vm context. */
async function run(prepared: PreparedScript): Promise<{ printed: string[]; value: unknown }> {
  const printed: string[] = [];
  const print = (...args: unknown[]): void => {
    printed.push(args.map(String).join(' '));
  };
  // The worker endows each run's checkpoint; here it never stops anything.
  const value: unknown = await runInNewContext(STRICT + prepared.code, { print, [CHECKPOINT_GLOBAL]: () => 0 });
  // The value comes from another realm; JSON makes it comparable with plain toEqual.
  return { printed, value: value === undefined ? undefined : JSON.parse(JSON.stringify(value)) };
}

describe('the fast path', () => {
  it('keeps source without any SES-rejected sequence byte for byte', () => {
    const source = 'const importer = 1; // evaluation, not eval\nreturn obj.eval(importer) + obj.import(2);';
    const prepared = validateScript(source);
    expect(prepared).toEqual({ code: `(async function () {\n${source}\n})()`, regenerated: false, normalized: [] });
    expect(sesRejects(prepared.code)).toBe(false);
  });
});

describe('the wrapper', () => {
  it('gives top-level code no `this` and an empty `arguments`, whatever the evaluator binds', async () => {
    const prepared = validateScript('return [this === undefined, arguments.length];');
    const evaluator = runInNewContext(`(function () { ${STRICT}return ${prepared.code}; })`) as (
      this: unknown,
      source: string,
    ) => Promise<unknown>;
    // SES calls its evaluator with `this` = the Compartment's globalThis and the source as argument.
    const value = await evaluator.call({ eval: 'powerful' }, 'source text');
    expect(JSON.parse(JSON.stringify(value))).toEqual([true, 0]);
  });
});

describe('regeneration keeps values while removing SES-rejected sequences', () => {
  const cases: [label: string, source: string, printed: string[], value: unknown][] = [
    ['import( in a string', 'print("use import( here");', ['use import( here'], undefined],
    ['import with space or comment in strings', 'return ["import (x)", \'import // y\', "import /* z */"];', [], ['import (x)', 'import // y', 'import /* z */']],
    ['eval( in strings', "return 'eval(1) and eval (2)';", [], 'eval(1) and eval (2)'],
    ['eval( in a line comment', '// eval(x) is bad\nreturn 1;', [], 1],
    ['import( in a block comment', "/* see import('x') */ return 2;", [], 2],
    ['HTML comment markers in strings', 'return ["<!-- a -->", \'<!--\', "-->"];', [], ['<!-- a -->', '<!--', '-->']],
    ['an identity escape before a keyword', "return ['\\import(', '\\eval('];", [], ['import(', 'eval(']],
    ['an escaped backslash before a keyword', "return '\\\\import(';", [], '\\import('],
    ['a directive prologue', "'eval(x) here';\nreturn 3;", [], 3],
    ['i-->0 in a loop', 'let i = 3, n = 0;\nwhile (i-->0) n++;\nreturn [i, n];', [], [-1, 3]],
    ['a<!--b as operators', 'let a = 1, b = 5;\nconst r = a<!--b;\nreturn [r, b];', [], [false, 4]],
    ['untagged templates', 'const n = 1;\nreturn `import(${n + 1}) <!-- eval( -->`;', [], 'import(2) <!-- eval( -->'],
    ['an identity escape in a template', 'return `\\import( \\<!-- \\-->`;', [], 'import( <!-- -->'],
    ['a multi-line template', 'return `a <!--\nb -->`;', [], 'a <!--\nb -->'],
  ];
  it.each(cases)('handles %s', async (_label, source, printed, value) => {
    const prepared = validateScript(source);
    expect(prepared.regenerated).toBe(true);
    expect(sesRejects(prepared.code)).toBe(false);
    expect(await run(prepared)).toEqual({ printed, value });
  });
});

describe('regexp literals keep their meaning', () => {
  const cases: [label: string, source: string, value: unknown][] = [
    ['--> in a pattern', 'return [/-->/.test("a-->b"), /-->/.test("a->b")];', [true, false]],
    ['<!-- in a pattern', 'return [/<!--/.test("x<!--y"), /<!--/.test("<!-y")];', [true, false]],
    ['a unicode-mode pattern', 'return [/<!--|-->/u.test("-->"), /-->/v.test("--->")];', [true, true]],
    ['a capture group after eval', 'return "eval7".match(/eval(\\d)/)[1];', '7'],
    ['a group after import', 'return /import(s?)/.exec("imports")[1];', 's'],
    ['a lookbehind for --', 'return ["a--x".replace(/(?<!--)x/g, "!"), "a-x".replace(/(?<!--)x/g, "!")];', ['a--x', 'a-!']],
    ['a character class range', 'return [/[<!--]/.test("<"), /[<!--]/.test("+"), /[<!--]/.test("a")];', [true, true, false]],
    ['a range ending at >', 'return [/[-->]/u.test("."), /[-->]/u.test("?")];', [true, false]],
    ['an identity escape in a non-unicode pattern', 'return [/\\<!--/.test("<!--"), /\\-->/.test("-->")];', [true, true]],
    ['flags', 'return "EVAL(1) eval(2)".match(/eval\\(/gi).length;', 2],
  ];
  it.each(cases)('handles %s', async (_label, source, value) => {
    const prepared = validateScript(source);
    expect(sesRejects(prepared.code)).toBe(false);
    expect(await run(prepared)).toEqual({ printed: [], value });
  });
});

describe('names that would print as a rejected call', () => {
  const cases: [label: string, source: string, value: unknown][] = [
    ['object methods named eval and import', 'const o = { eval() { return 1; }, import(x) { return x; } };\nreturn o.eval() + o.import(2);', 3],
    ['a class method named import', 'class P { import(d) { return d * 2; } }\nreturn new P().import(4);', 8],
    ['a getter named eval', 'const o = { get eval() { return 5; } };\nreturn o.eval;', 5],
    ['a $eval method called on its object (keeps this)', 'const o = { v: 5, $eval() { return this.v; } };\nreturn o.$eval();', 5],
    ['an optional $import call', 'const a = { $import: (x) => x + 1 };\nconst b = null;\nreturn [a?.$import(1), b?.$import(1)];', [2, null]],
    ['a $eval function value called by name', 'const $eval = (x) => x * 3;\nreturn $eval(2);', 6],
    ['a private field called through this', 'class A { #eval = () => this.v; v = 7; run() { return this.#eval(); } }\nreturn new A().run();', 7],
  ];
  it.each(cases)('rewrites %s without changing the result', async (_label, source, value) => {
    const prepared = validateScript(source);
    expect(sesRejects(prepared.code)).toBe(false);
    expect(await run(prepared)).toEqual({ printed: [], value });
  });
});

describe('text that cannot be rewritten', () => {
  const cases: [label: string, source: string, line: number][] = [
    ['a tagged template, whose raw strings the tag can see', 'const a = 1;\nreturn String.raw`a <!-- b`;', 2],
    ['a function named $eval', 'const a = 1;\nfunction $eval(x) { return x; }', 2],
    ['a private method named #import', 'class A {\n  #import() {}\n}', 2],
  ];
  it.each(cases)('rejects %s as a syntax error on its line', (_label, source, line) => {
    expect(syntaxErrorOf(source)).toMatchObject({ code: 'ERR_SCRIPT_SYNTAX', line });
  });
});

describe('line numbers', () => {
  const source = [
    '/* a comment that',
    '   spans lines and mentions import(x) */',
    'const marker = "<!-- -->";',
    'const values = [1, 2,',
    '  3];',
    'if (values.length === 3) throw new Error(marker);',
    'return 0;',
  ].join('\n');

  it('keeps every statement on its original line when regenerating', () => {
    const prepared = validateScript(source);
    expect(prepared.regenerated).toBe(true);
    const lines = prepared.code.split('\n');
    expect(lines).toHaveLength(source.split('\n').length + 2);
    expect(lines[6]).toContain('throw new Error(marker)');
  });

  it('maps a runtime error to its script line minus one', async () => {
    const prepared = validateScript(source);
    const run = runInNewContext(STRICT + prepared.code, {}, { filename: 'script.js' }) as Promise<unknown>;
    const error = await run.then(
      () => expect.fail('the script should throw'),
      (thrown: unknown) => thrown as Error,
    );
    const line = Number(/script\.js:(\d+)/.exec(String(error.stack))?.[1]);
    expect(line - 1).toBe(6);
  });
});
