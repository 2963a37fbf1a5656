// The erased TypeScript AST that validation uses instead of parsing the blanked text again
// must be that parse: same nodes, same names and values, same starts, and ends that differ
// only by blanked spaces. Checked on TypeScript models write and on random plain scripts.
import { readFileSync } from 'node:fs';
import { VISITOR_KEYS } from '@babel/types';
import type { Node } from '@babel/types';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { chooseFence, findFences, blankOutsideFence } from '../../src/validate/extract-fence.js';
import { validateScript } from '../../src/validate/index.js';
import { parseScript } from '../../src/validate/parse.js';
import { stripTypeScript, type StrippedScript } from '../../src/validate/strip-typescript.js';
import { SEED, scripts } from './script-properties.js';

const SCALARS = ['name', 'value', 'operator', 'kind', 'computed', 'static', 'async', 'generator', 'method', 'shorthand', 'prefix', 'delegate', 'optional', 'await', 'tail'];

/** Differences between two ASTs of `code`, as paths (empty when they are the same parse). */
function differences(erased: unknown, parsed: unknown, code: string, path = 'program'): string[] {
  if (erased == null || parsed == null) return erased == parsed ? [] : [`${path}: ${String(erased)} vs ${String(parsed)}`];
  if (Array.isArray(erased) || Array.isArray(parsed)) {
    if (!Array.isArray(erased) || !Array.isArray(parsed) || erased.length !== parsed.length) return [`${path}: list lengths`];
    return erased.flatMap((item, i) => differences(item, parsed[i], code, `${path}[${i}]`));
  }
  const a = erased as Node & Record<string, unknown>;
  const b = parsed as Node & Record<string, unknown>;
  if (a.type !== b.type) return [`${path}: ${a.type} vs ${b.type}`];
  const found: string[] = [];
  if (a.start !== b.start) found.push(`${path}.start: ${a.start} vs ${b.start}`);
  // A node that ended in a type ends after its blanked spaces; nothing else may differ.
  if (a.end! < b.end! || code.slice(b.end!, a.end!).trim() !== '') found.push(`${path}.end: ${a.end} vs ${b.end}`);
  for (const key of SCALARS) {
    const [x, y] = [a[key] ?? false, b[key] ?? false];
    if (typeof x !== 'object' && x !== y) found.push(`${path}.${key}: ${String(x)} vs ${String(y)}`);
  }
  if ((a.extra?.parenthesized ?? false) !== (b.extra?.parenthesized ?? false)) found.push(`${path}.parenthesized`);
  for (const key of VISITOR_KEYS[a.type] ?? []) found.push(...differences(a[key], b[key], code, `${path}.${key}`));
  return found;
}

function stripped(source: string): StrippedScript {
  const result = stripTypeScript(source);
  if (!('code' in result)) throw result.failure;
  return result;
}

/** Asserts that `source` erased exactly, and that its erased AST is the blanked text's parse. */
function expectExactErasure(source: string): void {
  const { code, parsed } = stripped(source);
  expect(parsed, `not erased:\n${source}`).toBeDefined();
  expect(differences(parsed!.ast.program, parseScript(code).ast.program, code)).toEqual([]);
}

describe('the erased TypeScript AST', () => {
  const exact: [label: string, source: string][] = [
    ['annotations on declarations, parameters and returns', 'const n: number = 1;\nfunction f(a: string, b?: number): string { return a; }\nconst g = (x: number): number => x * 2;'],
    ['`as`, `as const`, `satisfies` and `!`', 'const a = (x as any).y, b = [1] as const;\nconst c = { a: 1 } satisfies R;\nreturn a!.b!;'],
    ['parenthesized wrappers, nested', 'const v = ((x as A)!);\nconst w = (y!) as B;\nconst z = <T>(q);\n(x = 1) as T;'],
    ['type arguments on calls, new, tags and instantiations', 'const m = new Map<string, number>(); f<T>(x); tag<U>`t${1}`; const h = f<string>; const o = a?.b<T>();'],
    ['a generic arrow and a generic function', 'const id = <T,>(x: T): T => x;\nfunction pick<K extends string>(k: K): K { return k; }'],
    ['interfaces and type aliases, also inside blocks', 'interface U { id: string }\nif (a) { type L = 1; }\nfunction f() { interface I {} return 1; }\nswitch (a) { case 1: type M = 2; }\nreturn 1;'],
    ['destructuring, rest and catch annotations', 'const { a }: { a: number } = o;\nconst g = (...r: string[]) => r;\ntry {} catch (e: unknown) {}'],
    ['an arrow body that is a wrapper', 'const f = (x: unknown) => x as number;\nconst g = (y: number[]) => y!;\nitems.map((i) => i as string);'],
    ['class members with annotations only', 'class A { x: number = 1; m(a: string): void {} static s: string; }'],
    ['the fixture reply', readFileSync(new URL('../../fixtures/scripts/model-reply-typescript.md', import.meta.url), 'utf8')],
  ];
  it.each(exact)('is the parse of the blanked text for %s', (_label, source) => {
    const text = source.includes('```') ? blankOutsideFence(source, chooseFence(findFences(source))!) : source;
    expectExactErasure(text);
    // Validated from the erased AST, the script is prepared as its blanked text would be
    // (checkpoints and `return` in the same places; only spaces may sit elsewhere).
    const squeeze = (code: string): string => code.replace(/\s+/g, '');
    expect(squeeze(validateScript(text).code)).toBe(squeeze(validateScript(stripped(text).code).code));
  });

  const inexact: [label: string, source: string][] = [
    ['a declaration whose type ends the line', 'let x: number\n[1, 2].forEach(print);'],
    ['type arguments before a line break', 'f<T>\n(x);'],
    ['an assertion before a comment', 'const y = x as any // why\n;'],
    ['a type at the end of the text', 'return x as number'],
    ['modifiers', 'class A { private readonly x = 1 }'],
    ['`declare`', 'declare const q: number;\nreturn 1;'],
    ['`implements`', 'class B implements C {}'],
    ['a `this` parameter', 'function h(this: Window, a: number) {}'],
    ['a type-only export', 'export interface I {}'],
    ['an annotation spanning lines', 'function f(o: {\n  a: number;\n}) { return o.a; }'],
    ['an interface where `;` is no statement', 'export default interface I {}'],
  ];
  it.each(inexact)('is not used for %s: the blanked text is parsed', (_label, source) => {
    expect(stripped(source).parsed).toBeUndefined();
  });

  it('is the parse of the text for random plain scripts read as TypeScript', () => {
    let compared = 0;
    fc.assert(
      fc.property(scripts, (source) => {
        const result = stripTypeScript(source);
        if (!('code' in result) || result.parsed === undefined) return;
        compared++;
        expect(differences(result.parsed.ast.program, parseScript(result.code).ast.program, result.code)).toEqual([]);
      }),
      { seed: SEED, numRuns: 100 },
    );
    expect(compared).toBeGreaterThan(50);
  });
});
