import { describe, expect, it } from 'vitest';
import { validateScript } from '../../src/validate/index.js';

/** The body validateScript prepares for `source`, without the wrapper and checkpoints. */
function bodyOf(source: string, normalize = true): { body: string; normalized: readonly string[] } {
  const { code, normalized } = validateScript(source, { normalize });
  const body = code
    .slice(code.indexOf('\n') + 1, -'\n})()'.length)
    .replaceAll('if(--__tw_n<0)__tw_n=__tw_c()|0;', '')
    .replaceAll('(--__tw_n<0&&(__tw_n=__tw_c()|0),', '(');
  return { body, normalized };
}

describe('the last expression', () => {
  const returned: [label: string, source: string, body: string, shape: string][] = [
    ['a bare name', 'const summary = 1;\nsummary;', 'const summary = 1;\nreturn summary;', 'last-expression'],
    ['an object literal in parentheses', '({ a: 1 })', 'return ({ a: 1 })', 'last-expression'],
    ['an awaited tool call', 'await send_report(1);', 'return await send_report(1);', 'last-expression'],
    ['a call of a top-level function (a wrapper)', 'async function main() { return 1 }\nmain();', 'async function main() { return 1 }\nreturn main();', 'wrapper'],
    ['an awaited main', 'async function main() { return 1 }\nawait main();', 'async function main() { return 1 }\nreturn await main();', 'wrapper'],
    ['main with a catch', 'async function main() { return 1 }\nmain().catch(console.error);', 'async function main() { return 1 }\nreturn main().catch(console.error);', 'wrapper'],
    ['an immediately called async arrow', '(async () => {\n  return 2;\n})();', 'return (async () => {\n  return 2;\n})();', 'wrapper'],
    ['a bare async arrow', 'async () => {\n  return 3;\n}', 'return (async () => {\n  return 3;\n})()', 'wrapper'],
    ['a parenthesized bare function', '(async function () { return 4 });', 'return ((async function () { return 4 }))();', 'wrapper'],
    ['the last statement after trailing semicolons', 'x;;', 'return x;;', 'last-expression'],
  ];
  it.each(returned)('returns %s', (_label, source, body, shape) => {
    expect(bodyOf(source)).toEqual({ body, normalized: [shape] });
  });

  const untouched: [label: string, source: string][] = [
    ['a script with a return', 'const a = 1;\nreturn a;'],
    ['a return inside a top-level block', 'if (x) { return 1; }\nx;'],
    ['a return inside a top-level loop', 'for (const a of b) { if (a) return a; }\nb;'],
    ['a return inside try/finally', 'try { f(); } finally { return 2; }\ng();'],
    ['a return inside a switch', 'switch (k) { case 1: return 1; }\nk;'],
    ['an assignment', 'let total = 0;\ntotal = 5;'],
    ['an update', 'let i = 0;\ni++;'],
    ['delete and void', 'delete o.k;\nvoid f();'],
    ['print', 'print("done");'],
    ['an awaited console call', 'await console.log("x");'],
    ['a declaration last', 'const a = 1;'],
    ['a function defined but never called', 'async function main() { return 1; }'],
    ['a loop last', 'for (const x of xs) { print(x); }'],
    ['an empty script', ''],
  ];
  it.each(untouched)('leaves %s as written', (_label, source) => {
    expect(bodyOf(source)).toEqual({ body: source, normalized: [] });
  });

  it('does nothing with normalization off', () => {
    expect(bodyOf('summary;', false)).toEqual({ body: 'summary;', normalized: [] });
  });

  it('puts `return` on the line of the expression, so no later line moves', () => {
    const { body } = bodyOf('const a = 1\n\n  a + 1\n');
    expect(body.split('\n')).toEqual(['const a = 1', '', '  return a + 1', '']);
  });
});

describe('export default', () => {
  const called: [label: string, source: string, body: string][] = [
    ['an anonymous async function', 'export default async function () {\n  return 1;\n}', 'return (       async function () {\n  return 1;\n})()'],
    ['a named function after helpers', 'const k = 2;\nexport default async function run() { return k; }', 'const k = 2;\nreturn (       async function run() { return k; })()'],
    ['an arrow', 'export default async () => { return 5; };', 'return (       async () => { return 5; })();'],
  ];
  it.each(called)('calls %s and returns its value, keeping its columns', (_label, source, body) => {
    expect(bodyOf(source)).toEqual({ body, normalized: ['wrapper'] });
  });

  it('is still refused when it is not the last statement', () => {
    expect(() => validateScript('export default async function main() {}\nmain();')).toThrow(expect.objectContaining({ code: 'ERR_SECURITY_VALIDATION' }));
  });

  it('is still refused with normalization off', () => {
    expect(() => validateScript('export default async function () {}', { normalize: false })).toThrow(expect.objectContaining({ code: 'ERR_SECURITY_VALIDATION' }));
  });
});
