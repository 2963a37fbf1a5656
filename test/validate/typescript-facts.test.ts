// The facts the TypeScript walk gathers while it erases (typescript-facts.ts) stand in for
// collectFacts over the erased AST, so they must be those: the same violations, references,
// bound names, calls and checkpoint sites. Checked on TypeScript written to put every kind
// of node in every role (code, pattern, property name, label, `typeof`, behind wrappers), and
// on random plain scripts read as TypeScript.
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SecurityValidationError } from '../../src/errors.js';
import { collectFacts, type ScriptFacts } from '../../src/validate/collect-facts.js';
import { blankOutsideFence, chooseFence, findFences } from '../../src/validate/extract-fence.js';
import { validateScript } from '../../src/validate/index.js';
import { stripTypeScript } from '../../src/validate/strip-typescript.js';
import { SEED, scripts } from './script-properties.js';

/** `facts` as plain sorted data: the walk's order is not collectFacts' (consumers sort). */
function summary(facts: ScriptFacts): Record<string, string[]> {
  return {
    violations: facts.violations.map((v) => `${v.rule}@${v.line}:${v.column} ${v.message}`).sort(),
    forbiddenReferences: facts.forbiddenReferences.map((id) => `${id.name}@${id.start}`).sort(),
    declaredForbiddenNames: [...facts.declaredForbiddenNames].sort(),
    declaredNames: [...facts.declaredNames].sort(),
    calls: facts.calls.map((call) => `${[call.root.name, ...call.members].join('.')}@${call.root.start}`).sort(),
    checkpointSites: facts.checkpointSites.map((site) => `${site.type}@${site.start}`).sort(),
  };
}

/** The walk's facts and collectFacts' on the erased AST, or undefined when it is not erased. */
function bothFacts(source: string): { walked: Record<string, string[]>; collected: Record<string, string[]> } | undefined {
  const result = stripTypeScript(source);
  if (!('code' in result)) throw result.failure;
  if (result.parsed === undefined) return undefined;
  return { walked: summary(result.parsed.facts!), collected: summary(collectFacts(result.parsed.ast)) };
}

const reply = readFileSync(new URL('../../fixtures/scripts/model-reply-typescript.md', import.meta.url), 'utf8');

const cases: [label: string, source: string][] = [
  ['`typeof` of a name behind wrappers', "if (typeof (process as any) === 'object') {}\nconst t = typeof (window!), u = typeof (<any>require);\nconst v = typeof (a.b as any), w = typeof (x! as unknown)!;"],
  ['forbidden names behind wrappers', "(eval as any)('1');\nconst F = (Function satisfies unknown);\nf<T>(require);\nconst g = (y: number) => y as any as Function;\nnew (Foo as any)<T>(globalThis);"],
  ['calls through wrappers', 'get_users<T>();\n(get_users as any)();\ncrm!.find_leads<string>();\n(a.b as T).c();\n(x!)();\na?.(eval);\nf?.<T>();\ntag<T>`${process}`;'],
  ['binding patterns with types and defaults', 'const { a, b: [c, ...d], [k as string]: e = Function, ...rest }: T = o;\nfunction f({ x = process }: { x?: unknown }, [y]: number[] = [], ...z: string[]) {}\nconst o2 = { m({ q }: T, r = eval) {} };\nconst h = async ([Function]: any[], { require: req }: any) => req;'],
  ['a typed catch parameter and loop heads', 'try {} catch (e: unknown) { print(e); }\nfor (const [k, v] of Object.entries(o) as [string, number][]) {}\nfor (let i: number = 0; i < n!; i++) {}'],
  ['assignment patterns, which are references', 'let a;\n({ a = eval } = o as T);\n[a!] = [process];\n(a as any) = Function;'],
  ['property names, computed keys, shorthands and labels', 'const o = { process: 1, [require as any]: 2, eval() {}, Function };\no.Function;\no[globalThis as any];\nouter: for (const x of xs as any[]) { continue outer; }\nclass C { Function = 1; [eval as any] = 2; #p = 3; get g(): number { return this.#p; } }'],
  ['reserved names in every role', 'const __tw_x: number = 1;\nconst q = typeof (__tw_y as any);\nfunction g(__tw_z?: string) { return __tw_w!; }\nconst { __tw_v }: any = o;'],
  ['structural violations', "export const v: number = 1;\nconst m = import.meta;\nimport(name as string);"],
  ['every kind of function and loop', 'const f = <T,>(x: T): T => x;\nasync function* g(a: number): AsyncGenerator<number> { for await (const v of a as any) yield v; }\nclass K { m(): void { while (true as boolean) break; } static s = () => 1; #n(): void {} }\ndo {} while (false);\nfor (const k in o as object) {}\nconst e = function (this_: number): void {};\nconst ob = { m(): void {} };'],
  ['types that mention names, which are no references', 'interface I { a: typeof process; b: Function }\ntype T = typeof eval;\nconst z = <T>(q);\nclass D extends (Base as any)<T> {}\nconst E = class extends (Base as any) {};'],
  ['the fixture reply', blankOutsideFence(reply, chooseFence(findFences(reply))!)],
];

describe("the TypeScript walk's facts", () => {
  it.each(cases)('are those collectFacts finds in the erased AST, for %s', (_label, source) => {
    const facts = bothFacts(source);
    expect(facts, 'the case must erase exactly, or the walk is not what validation uses').toBeDefined();
    expect(facts!.walked).toEqual(facts!.collected);
  });

  it('cover every kind of fact over the cases', () => {
    const all = cases.map(([, source]) => bothFacts(source)!.collected);
    for (const kind of ['violations', 'forbiddenReferences', 'declaredForbiddenNames', 'declaredNames', 'calls', 'checkpointSites']) {
      expect(all.some((facts) => facts[kind]!.length > 0), kind).toBe(true);
    }
  });

  it('are those collectFacts finds for random plain scripts read as TypeScript', () => {
    let compared = 0;
    fc.assert(
      fc.property(scripts, (source) => {
        const result = stripTypeScript(source);
        if (!('code' in result) || result.parsed === undefined) return;
        compared++;
        expect(summary(result.parsed.facts!)).toEqual(summary(collectFacts(result.parsed.ast)));
      }),
      { seed: SEED, numRuns: 100 },
    );
    expect(compared).toBeGreaterThan(50);
  });

  it('reject forbidden names behind wrappers and accept `typeof` of one, at their positions', () => {
    expect(validateScript('const t: string = typeof (process as any);\nreturn t;').code).toContain('typeof (process');
    let thrown: unknown;
    try {
      validateScript('const ok = typeof (window!);\nconst f = (eval as any)("1");\n(<any>Function)("x");');
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(SecurityValidationError);
    const { violations } = thrown as SecurityValidationError;
    expect(violations.map(({ rule, line, column }) => ({ rule, line, column }))).toEqual([
      { rule: 'forbidden-global', line: 2, column: 12 },
      { rule: 'forbidden-global', line: 3, column: 7 },
    ]);
  });
});
