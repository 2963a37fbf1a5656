// Runs the README's quick-start snippet against the build, so the README stays true.
import { readFileSync } from 'node:fs';
import { describe, expect, it, vi } from 'vitest';
import * as toolweaver from 'toolweaver';

function readmeSnippet(): string {
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
  const block = /```js\n(import \{ ToolCatalog, createEngine \} from 'toolweaver';[\s\S]*?)```/.exec(readme);
  if (block === null) throw new Error('README quick-start snippet not found');
  return block[1]!;
}

describe('README', () => {
  it('runs the quick-start snippet and prints what its comments say', async () => {
    const body = readmeSnippet().replace(/^import .*$/m, '');
    const logged: unknown[] = [];
    const log = vi.fn((value: unknown) => logged.push(value));
    const run = new Function('ToolCatalog', 'createEngine', 'console', `return (async () => {${body}})();`);
    await run(toolweaver.ToolCatalog, toolweaver.createEngine, { log });
    expect(logged[0]).toBe(42);
    expect(logged[1]).toEqual(['orders: 2']);
    expect(logged[2]).toMatchObject({ toolCalls: 1, toolCallsByName: { get_user_orders: 1 }, reruns: 0, replayedCalls: 0 });
  });
});

describe('README typed catalog section', () => {
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

  it('shows declarations that the fixture catalog really prints', async () => {
    // @ts-expect-error: plain-JS fixtures.
    const { createFixtureCatalog } = await import('../fixtures/tools.mjs');
    const excerpt = /```ts\n([\s\S]*?)```/.exec(readme)![1]!;
    const text: string = createFixtureCatalog().toTypeScript();
    for (const part of excerpt.split(/(?=^\/\/ )/m)) expect(text).toContain(part);
  });

  it('shows the token counts the fixture catalog really has', async () => {
    // @ts-expect-error: plain-JS fixtures.
    const { createFixtureCatalog } = await import('../fixtures/tools.mjs');
    const catalog: toolweaver.ToolCatalog = createFixtureCatalog();
    const number = (text: string): number => Number(text.replace(/[*,]/g, ''));
    const declarations = /\| \*\*all 16 tools, `toTypeScript\(\)`\*\* \| \| (\S+) \| (\S+) \|/.exec(readme)!;
    expect([number(declarations[1]!), number(declarations[2]!)]).toEqual([toolweaver.countTokens(catalog.toTypeScript()), toolweaver.countTokens(catalog.toTypeScript({ outputs: false }))]);
    const prompt = /\| \*\*`toPrompt\(\)` \(rules \+ example \+ declarations\)\*\* \| \| (\S+) \| (\S+) \|/.exec(readme)!;
    expect([number(prompt[1]!), number(prompt[2]!)]).toEqual([toolweaver.countTokens(catalog.toPrompt()), toolweaver.countTokens(catalog.toPrompt({ outputs: false }))]);
  });

  it('shows the value a stubbed run really returns', async () => {
    // @ts-expect-error: plain-JS fixtures.
    const { createFixtureCatalog } = await import('../fixtures/tools.mjs');
    const snippet = /const engine = createEngine\(\{ catalog: createFixtureCatalog\(\), stubs: \{ seed: 7 \} \}\);\nconst result = await engine\.execute\(`([\s\S]*?)`\);\n\/\/ result\.value: (.*)\n\/\/ result\.metadata\.toolCalls: (\d+)/.exec(readme)!;
    const engine = toolweaver.createEngine({ catalog: createFixtureCatalog(), stubs: { seed: 7 }, threads: 1 });
    try {
      const result = await engine.execute(snippet[1]!);
      expect(result.value).toEqual(JSON.parse(snippet[2]!));
      expect(result.metadata.toolCalls).toBe(Number(snippet[3]));
    } finally {
      await engine.close();
    }
  });
});

describe('README measured table', () => {
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

  it.each(['team-expenses', 'qualified-leads', 'batch-report'])('shows what engine.report really measures for %s', async (name) => {
    // @ts-expect-error: plain-JS fixtures.
    const { createFixtureTools } = await import('../fixtures/tools.mjs');
    // @ts-expect-error: plain-JS fixtures.
    const { loadScript } = await import('../fixtures/scenarios.mjs');
    const row = new RegExp(`^\\| ${name} \\|(.*)\\|$`, 'm').exec(readme)![1]!.split('|').map((cell) => cell.trim());
    const engine = toolweaver.createEngine({ catalog: createFixtureTools().catalog, threads: 1 });
    try {
      const report = await engine.report(await loadScript(name));
      const { traditional: t, programmatic: p } = report;
      const table = toolweaver.formatComparisonTable([{ name, report }]).split('\n')[2]!;
      expect(`| ${name} | ${row.join(' | ')} |`).toBe(table);
      expect([t.llmCalls, p.llmCalls]).toEqual([report.levels + 1, 1]);
    } finally {
      await engine.close();
    }
  });
});
