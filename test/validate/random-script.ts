// Entry of the random-script generator: a prelude of declarations (functions, arrows, async
// and generator functions, an async generator, a bounded recursion, an object with methods and
// accessors, a class with private, static and accessor members and a static block), then
// statements, then `return [out, a, b, c]`. Later declarations may call earlier ones only.
import { functionScope, type Scope } from './random-expression.js';
import { ProgramWriter, chooserOf } from './random-program.js';

function declare(w: ProgramWriter, top: Scope): string {
  const name = w.fresh('f');
  const [x, y] = [w.fresh('x'), w.fresh('y')];
  const body = (scope: Scope): string => `{ ${Array.from({ length: w.int(0, 2) }, () => w.statement(scope)).join(' ')} return ${w.expr(scope, 1)}; }`;
  const sync = functionScope(top, [x, y]);
  // Added once the declaration is written, so that no function can call itself unbounded.
  const pending: Scope['calls'] = [];
  const add = (call: (a: string, b: string) => string, async = false): void => void pending.push({ async, call });
  const text = writeDeclaration(w, top, { name, x, y, body, sync, add });
  top.calls.push(...pending);
  return text;
}

interface Parts {
  name: string;
  x: string;
  y: string;
  body: (scope: Scope) => string;
  sync: Scope;
  add: (call: (a: string, b: string) => string, async?: boolean) => void;
}

function writeDeclaration(w: ProgramWriter, top: Scope, { name, x, y, body, sync, add }: Parts): string {
  switch (w.choose(9)) {
    case 0:
      add((a, b) => `${name}(${a}, ${b})`);
      return `function ${name}(${x}, ${y} = 1) ${body(sync)}`;
    case 1:
      add((a, b) => `${name}(${a}, ${b})`);
      return `const ${name} = (${x}, ${y}) => ${w.expr(sync, 2)};`;
    case 2:
      add((a) => `(await ${name}(${a}))`, true);
      return `async function ${name}(${x}, ${y}) ${body(functionScope(top, [x, y], { isAsync: true }))}`;
    case 3:
      add((a) => `(await ${name}(${a}))`, true);
      return `const ${name} = async (${x}) => ${x} + await ${w.expr(functionScope(top, [x], { isAsync: true }), 1)};`;
    case 4:
      add((a) => `[...${name}(${a})].reduce((p, q) => p + q, 0)`);
      return `function* ${name}(${x}) { for (let i = 0; i < (${x} & 3); i++) yield i + ${w.expr(sync, 1)}; ${w.statement(functionScope(top, [x], { isGenerator: true }))} }`;
    case 5:
      add((a) => `(await (async () => { let t = 0; for await (const v of ${name}(${a})) t += v; return t; })())`, true);
      return `async function* ${name}(${x}) { yield ${x}; yield await ${w.expr(functionScope(top, [x], { isAsync: true }), 1)}; }`;
    case 6:
      add((a) => `${name}(${a})`);
      return `function ${name}(${x}) { ${x} &= 7; if (${x} === 0) return ${w.int(0, 3)}; return ${x} + ${name}(${x} - 1); }`;
    case 7:
      add((a, b) => `${name}.m(${a}, ${b})`);
      add((a) => `(${name}.g = ${a}, ${name}.g)`);
      return `const ${name} = { k: ${w.expr(functionScope(top, []), 1)}, m(${x}, ${y}) ${body(sync)}, get g() { return this.k; }, set g(${x}) { this.k = ${x} * 2; } };`;
    default:
      add((a, b) => `new ${name}(${a}).m(${b})`);
      add((a, b) => `(${name}.sm(${a}) + new ${name}(${a}).q + new ${name}(${b}).twice(${a}))`);
      return (
        `class ${name} { #p; static s = ${w.int(0, 4)}; static { this.t = this.s + 1; out.push("class"); } constructor(${x}) { this.#p = ${x}; } ` +
        `m(${y}) ${body(functionScope(top, [y]))} get q() { return this.#p; } set q(${x}) { this.#p = ${x}; } ` +
        `static sm(${x}) { return ${x} + ${name}.t; } #twice(${x}) { return ${x} * 2; } twice(${x}) { return this.#twice(${x}); } }`
      );
  }
}

/** The script the choice sequence `choices` describes; it always terminates. */
export function writeScript(choices: readonly number[]): string {
  const w = new ProgramWriter(chooserOf(choices));
  const top: Scope = {
    depth: 3,
    loops: 0,
    breakable: 0,
    loopLabels: [],
    blockLabels: [],
    vars: ['a', 'b', 'c'],
    mutable: ['a', 'b', 'c'],
    calls: [],
    isAsync: true,
    isGenerator: false,
    inFunction: false,
  };
  const lines = ['const out = [];', `let a = ${w.int(-2, 9)}, b = ${w.int(-2, 9)}, c = ${w.int(-2, 9)};`];
  for (let i = w.int(0, 3); i > 0; i--) lines.push(declare(w, top));
  for (let i = w.int(1, 8); i > 0; i--) lines.push(w.statement(top));
  lines.push('return [out, a, b, c];');
  return lines.join('\n');
}
