// Random numeric expressions for random-program.ts: arithmetic over the names in scope, and
// every kind of function written inline (arrows with expression and block bodies, function
// expressions with a directive, methods, accessors, classes with private and static members
// and static blocks, generators, async functions), each called right away or through a
// declaration of the program's prelude. Every expression terminates.
import type { ProgramWriter } from './random-program.js';

/** What is legal where an expression or statement is written. */
export interface Scope {
  /** Nesting left: at 0 only leaves and simple statements are written. */
  depth: number;
  /** Enclosing loops and breakable statements (loops and switches) in this function. */
  loops: number;
  breakable: number;
  loopLabels: string[];
  blockLabels: string[];
  /** Numeric names that can be read, and the ones that can also be assigned. */
  vars: string[];
  mutable: string[];
  /** Prelude functions: each writes a call from two argument expressions. */
  calls: Array<{ async: boolean; call: (x: string, y: string) => string }>;
  isAsync: boolean;
  isGenerator: boolean;
  inFunction: boolean;
}

const OPERATORS = ['+', '-', '*', '%', '&', '|', '^', '<<', '>>', '===', '<'];

/** The scope inside a new function whose parameters are `params`. */
export function functionScope(scope: Scope, params: string[], kind: { isAsync?: boolean; isGenerator?: boolean } = {}): Scope {
  return {
    ...scope,
    depth: Math.max(0, Math.min(scope.depth - 1, 1)),
    loops: 0,
    breakable: 0,
    loopLabels: [],
    blockLabels: [],
    vars: [...scope.vars, ...params],
    mutable: [...scope.mutable, ...params],
    isAsync: kind.isAsync === true,
    isGenerator: kind.isGenerator === true,
    inFunction: true,
  };
}

/** A function body: some statements, then a numeric return. */
function functionBody(w: ProgramWriter, scope: Scope): string {
  const statements = Array.from({ length: w.int(0, 2) }, () => w.statement(scope)).join(' ');
  return `{ ${statements} return ${w.expr(scope, 1)}; }`;
}

function writeCall(w: ProgramWriter, scope: Scope, sub: () => string): string | undefined {
  const calls = scope.calls.filter((callable) => scope.isAsync || !callable.async);
  if (calls.length === 0) return undefined;
  return w.one(calls).call(sub(), sub());
}

function writeArrow(w: ProgramWriter, scope: Scope, sub: () => string): string {
  const [x, y] = [w.fresh('x'), w.fresh('y')];
  const inner = functionScope(scope, [x, y]);
  switch (w.choose(4)) {
    case 0:
      return `((${x}, ${y} = ${w.int(0, 3)}) => ${w.expr(inner, 1)})(${sub()})`;
    case 1:
      return `((${x}) => (${y}) => ${w.expr(inner, 1)})(${sub()})(${sub()})`;
    case 2:
      return `((${x}, ${y}) => ${functionBody(w, inner)})(${sub()}, ${sub()})`;
    default:
      return `(function ${w.fresh('named')}(${x}, ${y}) { "use strict"; return ${w.expr(inner, 1)}; })(${sub()}, ${sub()})`;
  }
}

function writeSesSequence(w: ProgramWriter, sub: () => string): string {
  return w.one([
    `("import(" + ${sub()}).length`,
    `('<!-- -->'.length * ${sub()})`,
    `({ eval(x) { return x + 1; } }).eval(${sub()})`,
    `({ import(x) { return x * 2; } }).import(${sub()})`,
    `({ "-->": ${sub()} })["-->"]`,
    `\`eval(${'${'}${sub()}}) -->\`.length`,
  ]);
}

function writeObject(w: ProgramWriter, scope: Scope, sub: () => string): string {
  const x = w.fresh('x');
  const method = functionBody(w, functionScope(scope, [x]));
  // Inside a function that is not async (a parameter default too), `await` is a syntax error.
  const inner = (): string => w.expr(functionScope(scope, []), 1);
  switch (w.choose(3)) {
    case 0:
      return `({ v: ${sub()}, get g() { return this.v * 2; }, set g(${x}) { this.v = ${x}; } }).g`;
    case 1:
      return `((o) => { o.g = ${inner()}; return o.v + o.m(${inner()}); })({ v: 0, get g() { return this.v; }, set g(${x}) { this.v = ${x} + 1; }, m(${x}) ${method} })`;
    default:
      return `(({ p, q = ${inner()} }, [r, ...t]) => p + q + r + t.length)({ p: ${sub()} }, [${sub()}, 1, 2])`;
  }
}

function writeGenerator(w: ProgramWriter, scope: Scope, sub: () => string): string {
  const n = w.fresh('n');
  const inner = functionScope(scope, [n], { isGenerator: true });
  if (w.choose(2) === 0) {
    return `[...(function* (${n}) { ${w.statement(inner)} for (let i = 0; i < (${n} & 3); i++) yield i * ${w.expr(inner, 1)}; yield* [${w.expr(inner, 1)}]; })(${sub()})].reduce((p, q) => p + q, 0)`;
  }
  const method = functionScope(scope, [], { isGenerator: true });
  return `[...({ *g() { yield ${w.expr(method, 1)}; ${w.statement(method)} yield ${w.expr(method, 1)}; } }).g()].length`;
}

function writeClass(w: ProgramWriter, scope: Scope, sub: () => string): string {
  const y = w.fresh('y');
  const method = functionBody(w, functionScope(scope, [y]));
  // A field initializer is a function body of its own: no `await` there.
  return (
    `new (class { #p = ${w.expr(functionScope(scope, []), 1)}; static s = ${w.int(0, 5)}; static { out.push("static " + this.s); } ` +
    `constructor(x) { this.x = x; } m(${y}) ${method} get q() { return this.#d() + this.x; } #d() { return this.#p * 2; } ` +
    `static k(z) { return z; } })(${sub()})${w.one(['.q', `.m(${sub()})`])}`
  );
}

function writeAwait(w: ProgramWriter, scope: Scope, sub: () => string): string {
  const x = w.fresh('x');
  const inner = functionScope(scope, [x], { isAsync: true });
  return w.one([
    `(await ${sub()})`,
    `(await Promise.resolve(${sub()}))`,
    `(await (async (${x}) => ${x} + await ${w.expr(inner, 1)})(${sub()}))`,
    `(await (async function (${x}) ${functionBody(w, inner)})(${sub()}))`,
  ]);
}

/** A numeric expression over `scope`, nested at most `depth` levels. */
export function writeExpression(w: ProgramWriter, scope: Scope, depth: number): string {
  const leaf = (): string => (w.choose(2) === 0 ? String(w.int(-3, 9)) : w.one(scope.vars));
  if (depth <= 0) return leaf();
  const sub = (): string => writeExpression(w, scope, depth - 1);
  switch (w.choose(15)) {
    case 0:
    case 1:
      return leaf();
    case 2:
    case 3:
      return `(${sub()} ${w.one(OPERATORS)} ${sub()})`;
    case 4:
      return `(${sub()} > ${sub()} ? ${sub()} : ${sub()})`;
    case 5:
      return writeCall(w, scope, sub) ?? leaf();
    case 6:
      return writeArrow(w, scope, sub);
    case 7:
      return `\`${'${'}${sub()}}|${'${'}${sub()}}\`.length`;
    case 8:
      return writeSesSequence(w, sub);
    case 9:
      return writeObject(w, scope, sub);
    case 10:
      return writeGenerator(w, scope, sub);
    case 11:
      return writeClass(w, scope, sub);
    case 12:
      return scope.isAsync ? writeAwait(w, scope, sub) : leaf();
    default:
      return `((k) => { let n = k; const inc = () => ++n; inc(); return inc(); })(${sub()})`;
  }
}
