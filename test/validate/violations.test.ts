import { describe, expect, it } from 'vitest';
import { SecurityValidationError } from '../../src/errors.js';
import { FORBIDDEN_GLOBALS } from '../../src/globals.js';
import { validateScript } from '../../src/validate/index.js';
import { rejectionOf, violationsOf } from './rejection.js';

describe('structural violations', () => {
  const cases: [label: string, source: string, rule: string, line: number, column: number][] = [
    ['default import', 'import fs from "node:fs";', 'import-declaration', 1, 1],
    ['side-effect import', 'import "node:fs";', 'import-declaration', 1, 1],
    ['namespace import', 'import * as os from "node:os";', 'import-declaration', 1, 1],
    ['named export', 'export const a = 1;', 'export-declaration', 1, 1],
    ['default export', 'export default 1;', 'export-declaration', 1, 1],
    ['re-export', 'export * from "node:fs";', 'export-declaration', 1, 1],
    ['export list', 'const a = 1;\nexport { a };', 'export-declaration', 2, 1],
    ['dynamic import', 'const fs = await import("node:fs");', 'dynamic-import', 1, 18],
    ['dynamic import with a computed specifier', 'const m = "fs";\nawait import(m);', 'dynamic-import', 2, 7],
    ['import.meta', 'const u = import.meta.url;', 'import-meta', 1, 11],
    ['with statement', 'const o = {};\nwith (o) { x; }', 'with-statement', 2, 1],
  ];
  it.each(cases)('rejects %s', (_label, source, rule, line, column) => {
    expect(violationsOf(source)).toEqual([{ rule, line, column }]);
  });
});

describe('forbidden globals', () => {
  it.each([...FORBIDDEN_GLOBALS])('rejects a reference to `%s` with its message', (name, message) => {
    const error = rejectionOf(`const x = 1;\nprint(${name});`) as SecurityValidationError;
    expect(error).toBeInstanceOf(SecurityValidationError);
    expect(error.violations).toEqual([{ rule: 'forbidden-global', message, line: 2, column: 7 }]);
  });

  const references: [label: string, source: string, line: number, column: number][] = [
    ['new Function(...)', 'const f = new Function("return 1");', 1, 15],
    ['Function(...)', 'Function("return 1")();', 1, 1],
    ['eval(...)', 'eval("1 + 1");', 1, 1],
    ['globalThis.foo', 'globalThis.foo = 1;', 1, 1],
    ['typeof of a member of a global', 'if (typeof process.env === "object") {}', 1, 12],
    ['typeof of a sequence ending in a global', 'typeof (0, process);', 1, 12],
    ['typeof of a call of a global', 'typeof setTimeout(f, 1);', 1, 8],
    ['a guarded use after feature detection', 'if (typeof setTimeout === "function") setTimeout(x);', 1, 39],
    ['shorthand property { eval }', 'const o = { eval };', 1, 13],
    ['computed member obj[require]', 'obj[require];', 1, 5],
    ['computed object key', 'const o = { [fetch]: 1 };', 1, 14],
    ['computed class member', 'class A { [setTimeout] = 1; }', 1, 12],
    ['extends clause', 'class A extends Function {}', 1, 17],
    ['default value in a pattern', 'const { a = process } = obj;', 1, 13],
    ['computed key in a pattern', 'const { [process]: a } = obj;', 1, 10],
    ['assignment to a global', 'process = {};', 1, 1],
    ['destructuring assignment target', '({ a: Buffer } = obj);', 1, 7],
    ['for-of target', 'for (setTimeout of list) {}', 1, 6],
    ['template substitution', 'const s = `${Buffer}`;', 1, 14],
    ['spread argument', 'f(...require("x"));', 1, 6],
    ['optional call on a global', 'globalThis?.fetch?.("u");', 1, 1],
    ['parameter default', 'function f(a = fetch) {}', 1, 16],
    ['export list entry', 'export { process };', 1, 10],
    ['a unicode-escaped name', '\\u0065val("x");', 1, 1],
    ['a code-point-escaped name', 'glob\\u{61}lThis.x = 1;', 1, 1],
    ['a parenthesized indirect call', '(0, eval)("x");', 1, 5],
    ['a tagged template', 'Function`return 1`;', 1, 1],
  ];
  it.each(references)('rejects %s', (label, source, line, column) => {
    const found = violationsOf(source).filter((v) => v.rule === 'forbidden-global');
    expect(found, label).toEqual([{ rule: 'forbidden-global', line, column }]);
  });
});

describe('names that are not references', () => {
  const accepted: [label: string, source: string][] = [
    ['member names', 'obj.eval; obj.process; obj.require("x"); obj.Function;'],
    ['optional member names', 'x?.Function; x?.fetch?.(1);'],
    ['object keys', 'const o = { process: 1, fetch: 2, "eval": 3, globalThis: 4 };'],
    ['class member names', 'class A { eval() {} static process = 1; #fetch = 1; get Buffer() { return 1; } }'],
    ['a label named like a global', 'process: for (;;) { break process; }'],
    ['a pattern key that renames', 'const { process: p, fetch: f } = obj;'],
    ['a private name', 'class A { #require() {} run() { return this.#require(); } }'],
  ];
  it.each(accepted)('accepts %s', (_label, source) => {
    expect(() => validateScript(source)).not.toThrow();
  });
});

describe('names the script declares', () => {
  const accepted: [label: string, source: string][] = [
    ['a const', 'const process = items.map((x) => x);\nreturn process.length;'],
    ['a function declaration', 'function fetch(u) { return u; }\nreturn fetch("a");'],
    ['a hoisted function used before it', 'return fetch();\nfunction fetch() { return 1; }'],
    ['a parameter', 'function run(process) { return process.env; }\nreturn run({ env: 1 });'],
    ['an arrow parameter with a default', 'const f = (fetch = 1) => fetch;'],
    ['a catch parameter', 'try { boom(); } catch (setTimeout) { print(setTimeout); }'],
    ['a destructured binding', 'const { Buffer } = lib;\nreturn Buffer;'],
    ['an array pattern binding', 'const [require] = [() => 1];\nrequire();'],
    ['a rest binding', 'const { a, ...global } = obj;\nreturn global;'],
    ['a loop binding', 'for (const global of list) print(global);'],
    ['a class declaration', 'class Function {}\nnew Function();'],
    ['a named function expression', '(function process() { return process; });'],
    ['a var hoisted out of a block', '{ var process = 1; }\nreturn process;'],
    ['a parameter default that names a later parameter', 'function f(a = process, process) {}'],
    ['a parameter seen from a later default', 'function f(process, a = () => process) { return a(); }'],
    ['a function name seen from its own parameter default', '(function process(a = () => process) { return a; });'],
    ['a var hoisted past a catch pattern', 'try {} catch ({ a = process }) { var process = 1; }'],
  ];
  it.each(accepted)('accepts %s', (_label, source) => {
    expect(() => validateScript(source)).not.toThrow();
  });

  const hostile: [label: string, source: string, line: number, column: number][] = [
    ['a let in a block', '{ let process = 1; }\nprocess.exit();', 2, 1],
    ['a parameter of another function', 'function f(Function) {}\nFunction("x");', 2, 1],
    ['a function declared in a block (strict mode)', '{ function fetch() {} }\nfetch("x");', 2, 1],
    ['a catch parameter', 'try {} catch (process) {}\nprocess.env;', 2, 1],
    ['an arrow parameter', 'const f = (process) => 1;\nprocess.env;', 2, 1],
    ['a function expression name', '(function process() {});\nprocess.env;', 2, 1],
    ['a class expression name', '(class Buffer {});\nBuffer.from("x");', 2, 1],
    ['a var in a static block', 'class A { static { var process = 1; } }\nprocess.env;', 2, 1],
    ['a const in another function', 'function a() { const require = 1; }\nfunction b() { return require("fs"); }', 2, 23],
    ['a for-of let', 'for (let process of []) {}\nprocess.env;', 2, 1],
    ['a switch case let', 'switch (x) { case 1: let fetch = 1; }\nfetch("u");', 2, 1],
    ['a used local next to a free use', 'function f(process) { return process; }\nprocess.exit();', 2, 1],
    ['a body var, invisible to a parameter default', 'function f(a = process) { var process = 1; return a; }', 1, 16],
    ['a body var, invisible under a rest parameter', 'function f(...[a = Function]) { var Function; return a; }', 1, 20],
    ['a body let, invisible to an arrow rest parameter', '((...[a = process]) => { let process = 1; })();', 1, 11],
    ['a switch block let, invisible to the discriminant', 'switch (process) { case 1: let process; }', 1, 9],
    ['a method body var, invisible to its computed key', 'class A { [process]() { var process; } }', 1, 12],
  ];
  it.each(hostile)('rejects a global hidden behind %s', (label, source, line, column) => {
    expect(violationsOf(source), label).toEqual([{ rule: 'forbidden-global', line, column }]);
  });

  it('rejects a local `eval` binding as a strict-mode syntax error', () => {
    const error = rejectionOf('{ let eval = 1; }\neval("x");');
    expect(error).toMatchObject({ code: 'ERR_SCRIPT_SYNTAX', line: 1, column: 7 });
  });
});

describe('several violations', () => {
  it('lists every violation once, in source order, with 1-based positions', () => {
    const source = [
      'import fs from "node:fs";',
      'const data = await fetch("https://example.com");',
      'const local = 1; const process = 2;',
      '{ let Function = 3; }',
      'const f = new Function("return this");',
      'with (data) { eval("x"); }',
      'export default import.meta;',
    ].join('\n');
    expect(violationsOf(source)).toEqual([
      { rule: 'import-declaration', line: 1, column: 1 },
      { rule: 'forbidden-global', line: 2, column: 20 },
      { rule: 'forbidden-global', line: 5, column: 15 },
      { rule: 'with-statement', line: 6, column: 1 },
      { rule: 'forbidden-global', line: 6, column: 15 },
      { rule: 'export-declaration', line: 7, column: 1 },
      { rule: 'import-meta', line: 7, column: 16 },
    ]);
  });

  it('reports each reference to the same global', () => {
    expect(violationsOf('process.env;\nprocess.exit();')).toEqual([
      { rule: 'forbidden-global', line: 1, column: 1 },
      { rule: 'forbidden-global', line: 2, column: 1 },
    ]);
  });
});

describe('feature detection', () => {
  it.each([...FORBIDDEN_GLOBALS.keys()])('accepts `typeof %s` (it reads "undefined" in the sandbox)', (name) => {
    expect(() => validateScript(`return typeof ${name} === 'undefined' ? 'absent' : 'present';`)).not.toThrow();
  });

  const accepted: [label: string, source: string][] = [
    ['a parenthesized name', 'return typeof (process);'],
    ['a comparison in a condition', 'if (typeof window !== "undefined") print("browser");'],
    ['a name declared elsewhere (the scope fallback)', '{ const process = 1; }\nreturn typeof process;'],
    ['detection next to a local of the same name', 'function f(setTimeout) { return setTimeout; }\nreturn typeof setTimeout;'],
  ];
  it.each(accepted)('accepts %s', (_label, source) => {
    expect(() => validateScript(source)).not.toThrow();
  });

  it('still rejects a use next to the detection, at the use', () => {
    expect(violationsOf('const ok = typeof setTimeout === "function";\nreturn setTimeout(x);')).toEqual([
      { rule: 'forbidden-global', line: 2, column: 8 },
    ]);
  });

  it('still rejects a use hidden behind a local of the same name elsewhere', () => {
    expect(violationsOf('{ const process = 1; }\nreturn [typeof process, process.env];')).toEqual([
      { rule: 'forbidden-global', line: 2, column: 25 },
    ]);
  });

  it('still rejects a reserved name under typeof', () => {
    expect(violationsOf('return typeof __tw_checkpoint;')).toEqual([{ rule: 'reserved-name', line: 1, column: 15 }]);
  });
});
