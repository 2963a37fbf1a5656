import { describe, expect, it } from 'vitest';
import { ScriptSyntaxError } from '../../src/errors.js';
import { parseScript } from '../../src/validate/parse.js';
import { stripTypeScript } from '../../src/validate/strip-typescript.js';

function strip(source: string): string {
  const result = stripTypeScript(source);
  if (!('code' in result)) throw result.failure;
  return result.code;
}

function refusalOf(source: string): { code: string; line: number; column: number } {
  try {
    strip(source);
  } catch (error) {
    expect(error).toBeInstanceOf(ScriptSyntaxError);
    const { code, line, column } = error as ScriptSyntaxError;
    return { code, line, column };
  }
  return expect.fail(`expected a refusal of:\n${source}`);
}

describe('stripTypeScript', () => {
  const cases: [label: string, source: string, expected: string][] = [
    ['a variable annotation', 'const n: number = 1;', 'const n         = 1;'],
    ['a definite assignment', 'let v!: string;', 'let v         ;'],
    ['parameter annotations, optional and default', 'function f(a?: number, b: string = "x"): void {}', 'function f(a         , b         = "x")       {}'],
    ['a rest parameter annotation', 'const g = (...r: string[]) => r;', 'const g = (...r          ) => r;'],
    ['a destructuring annotation', 'const { a }: { a: number } = o;', 'const { a }                = o;'],
    ['a catch parameter annotation', 'try {} catch (e: unknown) {}', 'try {} catch (e         ) {}'],
    ['an interface, with a `;` kept against ASI', 'interface U { id: string }\nreturn 1;', ';                         \nreturn 1;'],
    ['a type alias', 'type Id = string | number;', ';                         '],
    ['`as` and `as const`', 'const a = (x as any).y, b = [1] as const;', 'const a = (x       ).y, b = [1]         ;'],
    ['`as` after parentheses', 'const n = (await f()) as number;', 'const n = (await f())          ;'],
    ['`satisfies`', 'const c = { a: 1 } satisfies R;', 'const c = { a: 1 }            ;'],
    ['a non-null assertion', 'return a!.b!;', 'return a .b ;'],
    ['type arguments on calls and new', 'const m = new Map<string, number>(); f<T>(x);', 'const m = new Map                (); f   (x);'],
    ['an angle-bracket assertion', 'return <number>v;', 'return         v;'],
    ['a generic arrow and its return type', 'const id = <T,>(x: T): T => x;', 'const id =     (x   )    => x;'],
    ['a `this` parameter', 'function h(this: Window, a: number) {}', 'function h(              a        ) {}'],
    ['class modifiers, optional and definite members', 'class A { private readonly x?: number = 1; public static y!: string; protected m?(): void {} }', 'class A {                  x          = 1;        static y         ;           m ()       {} }'],
    ['abstract classes, implements and declared members', 'abstract class B<T> extends C<T> implements D, E { declare z: T; abstract w(): void; }', '         class B    extends C                    { ;             ;                   }'],
    ['an abstract class extending a member named abstract', 'abstract class F extends m.abstract {}', '         class F extends m.abstract {}'],
    ['an index signature and overloads', 'class K { [k: string]: unknown; f(a: string): void; f(a: any) {} }', 'class K { ;                     ;                   f(a     ) {} }'],
    ['declarations and type-only imports and exports', 'declare const q: number;\nimport type { Z } from "z";\nexport interface I {}\nexport type { Q };', ';                       \n;                          \n;                    \n;                 '],
    ['a function overload and a type-only namespace', 'function o(a: string): void;\nnamespace N { export type X = 1 }', ';                           \n;                                '],
    ['a declared enum', 'declare enum E { A }', ';                   '],
  ];
  it.each(cases)('blanks %s, keeping every column', (_label, source, expected) => {
    const code = strip(source);
    expect(code).toBe(expected);
    expect(code).toHaveLength(source.length);
    expect(() => parseScript(code)).not.toThrow();
  });

  const refused: [label: string, source: string, line: number, column: number][] = [
    ['an enum', 'const a = 1;\nenum Color { Red, Green }', 2, 1],
    ['a const enum', 'const enum E { A = 1 }', 1, 1],
    ['a namespace with values', 'namespace N {\n  export const x = 1;\n}', 1, 1],
    ['a parameter property', 'class P {\n  constructor(private x: number) {}\n}', 2, 15],
    ['`import x = require()`', 'import fs = require("fs");', 1, 1],
    ['`export =`', 'export = 1;', 1, 1],
    ['`as` ending a line before `(`', 'const y = x as any\n(foo)();', 1, 11],
  ];
  it.each(refused)('refuses %s with a syntax error at its position', (_label, source, line, column) => {
    expect(refusalOf(source)).toEqual({ code: 'ERR_SCRIPT_SYNTAX', line, column });
  });

  it('reports a failure, without throwing, for text that is not TypeScript either', () => {
    const result = stripTypeScript('const = ;');
    expect('failure' in result && result.failure.code).toBe('ERR_SCRIPT_SYNTAX');
  });
});
