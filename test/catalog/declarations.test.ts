import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { ToolCatalog, type ToolDefinition } from '../../src/catalog/index.js';

const handler = () => null;

/** Top-level statement names and kinds, and any syntax errors, of declaration text. */
function parseDeclarations(text: string): { names: string[]; errors: number } {
  const file = ts.createSourceFile('tools.d.ts', text, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
  const names = file.statements.map((statement) => {
    const named = statement as ts.Statement & { name?: ts.Identifier };
    return `${ts.SyntaxKind[statement.kind]}:${named.name?.text ?? '?'}`;
  });
  const errors = (file as unknown as { parseDiagnostics: unknown[] }).parseDiagnostics.length;
  return { names, errors };
}

describe('toTypeScript', () => {
  it('declares both call forms with input and output types and doc comments', () => {
    const catalog = new ToolCatalog().register({
      name: 'get_expenses',
      description: 'Expense lines of one member.',
      input: { type: 'object', properties: { memberId: { type: 'string', description: 'Member id' }, quarter: { enum: ['Q1', 'Q2'] } }, required: ['memberId', 'quarter'] },
      output: { type: 'array', items: { type: 'object', properties: { amount: { type: 'number' } }, required: ['amount'] } },
      handler,
    });
    const text = catalog.toTypeScript();
    expect(text).toContain('/** Expense lines of one member. */');
    expect(text).toContain('declare function get_expenses(memberId: string, quarter: "Q1" | "Q2"): Promise<get_expenses.Output>;');
    expect(text).toContain('declare function get_expenses(args: get_expenses.Input): Promise<get_expenses.Output>;');
    expect(text).toContain('/** Member id */');
    expect(text).toContain('type Output = { amount: number; }[];');
    expect(parseDeclarations(text)).toEqual({ names: ['FunctionDeclaration:get_expenses', 'FunctionDeclaration:get_expenses', 'ModuleDeclaration:get_expenses'], errors: 0 });
  });

  it('nests dotted names in namespaces and shows the registered name of a renamed tool', () => {
    const catalog = new ToolCatalog()
      .register({ name: 'github.list_pull_requests', description: 'Open PRs', handler })
      .register({ name: 'send-email', handler });
    const text = catalog.toTypeScript();
    expect(text).toMatch(/declare namespace github \{\n {2}\/\*\* Open PRs \*\/\n {2}function list_pull_requests\(arg\?: unknown\)/);
    expect(text).toContain('(registered as "send-email")');
    expect(text).toContain('declare function send_email(arg?: unknown): Promise<unknown>;');
  });

  it('refers to an earlier identical type instead of repeating it', () => {
    const record = { type: 'object', properties: { id: { type: 'string' }, name: { type: 'string' }, email: { type: 'string' }, status: { type: 'string' } } };
    const catalog = new ToolCatalog()
      .register({ name: 'get_lead', output: record, handler })
      .register({ name: 'list_leads', output: { type: 'array', items: record }, handler });
    expect(catalog.toTypeScript()).toContain('type Output = get_lead.Output[];');
  });

  it.each([
    ['a description closing the comment', { description: '*/ declare function steal(): void; /*' }],
    ['a description with backticks and code', { description: '`${process.exit()}` ```js\nrequire("fs")\n```' }],
    ['a description with line separators', { description: 'a\u2028*/ declare const x: 1;\u2029/*' }],
    ['a property name that breaks out of a key', { input: { type: 'object', properties: { '"]: 1; declare const y: 2; //': { type: 'string' } } } }],
    ['an enum value with quotes and a comment end', { input: { type: 'object', properties: { mode: { enum: ['"; declare const z: 3; "', '*/'] } } } }],
    ['a property description closing its comment', { input: { type: 'object', properties: { q: { type: 'string', description: '*/ q: never; declare const w: 4; /*' } } } }],
  ])('keeps %s inside its comment or string', (_label, extra) => {
    const catalog = new ToolCatalog().register({ name: 'safe_tool', handler, ...extra } as ToolDefinition);
    const { names, errors } = parseDeclarations(catalog.toTypeScript());
    expect(errors).toBe(0);
    expect(names.every((name) => name.endsWith(':safe_tool'))).toBe(true);
  });

  it('stays small for the fixture catalog', async () => {
    // @ts-expect-error: plain-JS fixtures.
    const { createFixtureCatalog } = await import('../../fixtures/tools.mjs');
    const text: string = createFixtureCatalog().toTypeScript();
    // About 2,300 tokens for 16 richly described tools; a regression to repeated boilerplate shows here.
    expect(Math.ceil(text.length / 4)).toBeLessThan(2_600);
  });
});
