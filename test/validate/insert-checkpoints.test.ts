import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { CHECKPOINT_COUNTER, CHECKPOINT_GLOBAL, CHECKPOINT_LOCAL } from '../../src/globals.js';
import { validateScript } from '../../src/validate/index.js';

// SES evaluates code strictly; the prefix stays on line 1, so line numbers are unchanged.
const STRICT = '"use strict"; ';
const CALL = `${CHECKPOINT_LOCAL}(`;
const TICK = `if(--${CHECKPOINT_COUNTER}<0)${CHECKPOINT_COUNTER}=${CHECKPOINT_LOCAL}()|0;`;

interface Run {
  printed: string[];
  value: unknown;
  checkpoints: number;
}

/** Runs `code` (a wrapped script) in a plain vm context with a counting stub checkpoint. */
async function run(code: string): Promise<Run> {
  const printed: string[] = [];
  let checkpoints = 0;
  const context = {
    print: (...args: unknown[]) => void printed.push(args.map(String).join(' ')),
    // Returns 0: the next checkpoint calls again, so every checkpoint passed is counted.
    [CHECKPOINT_GLOBAL]: () => {
      checkpoints++;
      return 0;
    },
  };
  const value: unknown = await runInNewContext(STRICT + code, context, { filename: 'tw-script.js' });
  // The value comes from another realm; JSON makes it comparable with plain toEqual.
  return { printed, value: value === undefined ? undefined : JSON.parse(JSON.stringify(value)), checkpoints };
}

/** The script as the validator wraps it, without checkpoints: the reference behaviour. */
const original = (source: string): string => `(async function () {\n${source}\n})()`;

const count = (code: string): number => code.split(CALL).length - 1;

// [label, source, checkpoint sites (functions + loops) in the source]
const SCRIPTS: [label: string, source: string, sites: number][] = [
  ['a while loop with a block', 'let i = 0;\nwhile (i < 3) { i++; }\nreturn i;', 1],
  ['a while loop with one statement', 'let i = 0;\nwhile (i < 3) i++;\nreturn i;', 1],
  ['an empty loop body', 'let i = 0;\nfor (; i < 4; i++);\nreturn i;', 1],
  ['do-while with a statement and ASI', 'let x = 0\ndo x++\nwhile (x < 3)\nreturn x', 1],
  ['do-while with a block', 'let x = 0;\ndo { x += 2; } while (x < 5);\nreturn x;', 1],
  ['for-in and for-of bodies without braces', 'const o = { a: 1, b: 2 }; let s = "";\nfor (const k in o) s += k;\nfor (const v of [3, 4]) s += v;\nreturn s;', 2],
  ['nested loops without braces', 'let n = 0;\nfor (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) n++;\nreturn n;', 2],
  ['labelled continue and break', 'let out = [];\nouter: for (let i = 0; i < 4; i++) {\n  for (let j = 0; j < 4; j++) {\n    if (j === 2) continue outer;\n    if (i === 3) break outer;\n    out.push(`${i}${j}`);\n  }\n}\nreturn out;', 2],
  ['closures', 'function counter() { let n = 0; return { inc: () => ++n, get: function () { return n; } }; }\nconst c = counter(); c.inc(); c.inc();\nreturn c.get();', 3],
  ['an arrow returning an object literal', 'const f = (x) => ({ x, y: [x] });\nreturn f(2);', 1],
  ['nested expression-bodied arrows', 'const add = (a) => (b) => a + b;\nreturn add(2)(3);', 2],
  ['an arrow body that is a sequence', 'const f = (a) => (print(a), a * 2);\nreturn f(4);', 1],
  ['a loop body ending where its arrow ends', 'let f;\nfor (const v of [1, 2]) f = () => v\nreturn f()', 2],
  ['arrows followed by ASI', 'let a = () => 1\nlet b = a()\nreturn b', 1],
  ['an arrow body ending before a comment', 'const f = (x) => x + 1 // one more\nreturn f(1)', 1],
  ['default parameters with arrows', 'function f(a, g = () => a * 10) { return g(); }\nreturn [f(1), f(1, () => 5)];', 3],
  ['generators', 'function* g() { let i = 0; while (i < 3) yield i++; }\nfunction* h() { yield* g(); yield 9; }\nreturn [...h()];', 3],
  ['async functions and for await', 'async function* gen() { for (let i = 0; i < 3; i++) { await null; yield i; } }\nconst out = [];\nfor await (const v of gen()) out.push(v);\nconst f = async () => (await Promise.resolve(7)) + 1;\nreturn [out, await f()];', 4],
  ['getters and setters', 'const o = { _v: 1, get v() { return this._v; }, set v(x) { this._v = x * 2; } };\no.v = 5;\nreturn o.v;', 2],
  ['classes', 'class A { #p = 1; static s = 2; constructor(x) { this.x = x; } get p() { return this.#p; } #priv() { return 3; } m() { return this.#priv(); } static make() { return new this(4); } }\nclass B extends A { constructor() { super(5); this.y = 6; } m() { return super.m() + 1; } }\nconst a = A.make(), b = new B();\nreturn [a.x, a.p, a.m(), A.s, b.x, b.y, b.m()];', 7],
  ['class fields holding arrows and static blocks', 'class C { f = () => this.g; g = 3; static h; static { C.h = [1, 2].map((x) => x * 2); } }\nreturn [new C().f(), C.h];', 2],
  ['object methods, async and generator methods', 'const o = { m() { return 1; }, async a() { return 2; }, *g() { yield 3; }, async *ag() { yield 4; } };\nconst ag = [];\nfor await (const v of o.ag()) ag.push(v);\nreturn [o.m(), await o.a(), [...o.g()], ag];', 5],
  ['this, arguments and new.target', 'function F() { if (!new.target) return "call"; this.n = arguments.length; }\nconst o = { v: 7, m() { return [1].map(() => this.v); } };\nreturn [F(), new F(1, 2).n, o.m()];', 3],
  ['super in an arrow inside a method', 'class A { x() { return 1; } }\nclass B extends A { y() { return (() => super.x())(); } }\nreturn new B().y();', 3],
  ['a directive with a semicolon', 'function f() { "use strict"; return 1; }\nreturn f();', 1],
  ['a directive without a semicolon', 'function f() {\n  "use strict"\n  return 2\n}\nreturn f();', 1],
  ['immediately invoked functions', 'const a = (function () { return 1; })();\nconst b = (() => 2)();\nreturn a + b;', 2],
  ['a tagged template', 'const tag = (s, ...v) => s.raw.join("|") + v.join(",");\nreturn tag`a${1}b${2}`;', 1],
  ['callbacks of builtins', 'return [3, 1, 2].sort((a, b) => a - b).map((x) => x * 2).filter(function (x) { return x > 2; });', 3],
  ['a regexp and a division in arrow bodies', 'const f = (s) => /a+/.test(s), g = (x) => x / 2 / 1;\nreturn [f("aa"), g(8)];', 2],
  ['try, catch and finally in a loop', 'let log = [];\nfor (let i = 0; i < 3; i++) {\n  try { if (i === 1) throw new Error("x"); log.push(i); }\n  catch (e) { log.push(e.message); }\n  finally { log.push("f"); }\n}\nreturn log;', 1],
  ['a hashbang line', '#!/usr/bin/env node\nlet n = 0;\nwhile (n < 2) n++;\nreturn n;', 1],
];

describe('checkpoint insertion', () => {
  it.each(SCRIPTS)('puts one checkpoint in each body and keeps the result: %s', async (_label, source, sites) => {
    const prepared = validateScript(source);
    expect(prepared.regenerated).toBe(false);
    expect(count(prepared.code)).toBe(sites);
    const reference = await run(original(source.startsWith('#!') ? `//${source.slice(2)}` : source));
    const result = await run(prepared.code);
    expect(result.printed).toEqual(reference.printed);
    expect(result.value).toEqual(reference.value);
    expect(reference.checkpoints).toBe(0);
    if (sites > 0) expect(result.checkpoints).toBeGreaterThan(0);
  });

  it.each(SCRIPTS)('keeps the line count: %s', (_label, source) => {
    expect(validateScript(source).code.split('\n')).toHaveLength(source.split('\n').length + 2);
  });

  it('calls the checkpoint once per loop iteration and once per function call', async () => {
    const source = 'function f(x) { return x; }\nlet s = 0;\nfor (let i = 0; i < 10; i++) s += f(i);\nlet j = 0;\nwhile (j < 5) j++;\ndo j--; while (j > 0);\nreturn s;';
    const result = await run(validateScript(source).code);
    expect(result.value).toBe(45);
    expect(result.checkpoints).toBe(10 + 10 + 5 + 5);
  });

  it('keeps a directive prologue first', () => {
    expect(validateScript('function f() { "use strict"; return 1; }').code).toContain(`{ "use strict";;${TICK} return 1;`);
    expect(validateScript('function f() {\n"a"\n"b"\nreturn 1; }').code).toContain(`"b";${TICK}\nreturn 1;`);
  });

  it('declares the counter once, on the wrapper line, only when there is a checkpoint', () => {
    const code = validateScript('while (false) {}').code;
    expect(code.split('\n')[0]).toBe(`(async function () {var ${CHECKPOINT_COUNTER}=0,${CHECKPOINT_LOCAL}=${CHECKPOINT_GLOBAL};`);
    expect(code.split(`var ${CHECKPOINT_COUNTER}`)).toHaveLength(2);
    expect(validateScript('return 1;').code).not.toContain(CHECKPOINT_COUNTER);
  });

  it('gives each run its own counter, shared by its async functions, however runs interleave', async () => {
    // A refill answering 2 lets two more checkpoints pass: ceil(k / 3) calls for k checkpoints
    // of one counter. Each run passes 4 (its loop), in 2 calls; one counter for both runs
    // would make 3 calls, one per function or per loop would make more.
    let calls = 0;
    const context = { [CHECKPOINT_GLOBAL]: () => (calls++, 2) };
    const code = validateScript('for (let i = 0; i < 4; i++) await null;').code;
    await Promise.all([runInNewContext(STRICT + code, context), runInNewContext(STRICT + code, context)]);
    expect(calls).toBe(4);
    calls = 0;
    const shared = validateScript('const f = async () => { await null; await null; };\nawait Promise.all([f(), f(), f()]);').code;
    await runInNewContext(STRICT + shared, context);
    expect(calls).toBe(1);
  });

  it('leaves a script without functions or loops byte for byte', () => {
    const source = 'const a = await get_a();\nif (a) print(a);\nreturn { a };';
    expect(validateScript(source).code).toBe(original(source));
  });

  it('keeps every line where it was, so runtime errors report the script line', async () => {
    const source = [
      'const items = [1, 2, 3];',
      'function check(x) {',
      '  for (const y of items) if (y > x) return y;',
      '  return items.map((v) => v * 2).find((v) => {',
      '    if (v > 4) throw new Error("line 5");',
      '    return false;',
      '  });',
      '}',
      'return check(10);',
    ].join('\n');
    const error = await run(validateScript(source).code).then(
      () => expect.fail('expected the script to throw'),
      (thrown: unknown) => thrown as Error,
    );
    // The wrapper's `(async function () {` is line 1 of the evaluated code.
    expect(/tw-script\.js:(\d+):/.exec(String(error.stack))?.[1]).toBe('6');
  });
});

describe('checkpoint insertion on the regenerated path', () => {
  const cases: [label: string, source: string, sites: number][] = [
    ['import( in a string beside a loop', 'let out = [];\nfor (let i = 0; i < 2; i++) out.push("import(" + i + ")");\nreturn out;', 1],
    ['i-->0 in a loop without braces', 'let i = 3, n = 0;\nwhile (i-->0) n++;\nreturn [i, n];', 1],
    ['--> in a string inside an arrow', 'const f = (x) => x + " -->";\nreturn [1, 2].map(f);', 1],
    ['eval( in a comment inside a function', 'function f() {\n  // never eval(x)\n  return 1;\n}\nreturn f();', 1],
    ['a method named import', 'const o = { import(x) { return x * 2; } };\nreturn o.import(4);', 1],
    ['<!-- in a template inside a class', 'class A { m(n) { return `<!-- ${n} -->`; } }\nreturn new A().m(1);', 1],
    ['a hashbang and import(', '#!/usr/bin/env node\nconst f = () => "import(";\nreturn f();', 1],
  ];

  it.each(cases)('puts one checkpoint in each body and keeps the result: %s', async (_label, source, sites) => {
    const prepared = validateScript(source);
    expect(prepared.regenerated).toBe(true);
    expect(count(prepared.code)).toBe(sites);
    const reference = await run(original(source.startsWith('#!') ? `//${source.slice(2)}` : source));
    const result = await run(prepared.code);
    expect(result.printed).toEqual(reference.printed);
    expect(result.value).toEqual(reference.value);
    expect(result.checkpoints).toBeGreaterThan(0);
  });

  it('keeps every line where it was', async () => {
    const source = 'const s = "import(";\nfunction f(n) {\n  while (n > 0) n--;\n  throw new Error(s);\n}\nreturn f(3);';
    const prepared = validateScript(source);
    expect(prepared.regenerated).toBe(true);
    const error = await run(prepared.code).then(
      () => expect.fail('expected the script to throw'),
      (thrown: unknown) => thrown as Error,
    );
    expect(/tw-script\.js:(\d+):/.exec(String(error.stack))?.[1]).toBe('5');
  });
});
