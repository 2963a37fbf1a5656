// Keeps the README and docs/ true: runs their snippets against the build, checks that every
// ```js block is run by some test, that every table of figures names its command, and that
// every relative link resolves.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it, vi } from 'vitest';
import * as toolweaver from 'toolweaver';

const read = (path: string): string => readFileSync(new URL(`../${path}`, import.meta.url), 'utf8');
const DOCS = ['README.md', 'examples/README.md', ...readdirSync(new URL('../docs/', import.meta.url)).filter((name) => name.endsWith('.md')).sort().map((name) => `docs/${name}`)];

function readmeSnippet(): string {
  const readme = read('README.md');
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

describe('docs/api.md typed catalog section', () => {
  const readme = read('docs/api.md');

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

/**
 * Levels of each fixture script's calls, at least: its chain of awaited calls. A run can
 * measure more (a call that reaches the dispatcher after another was answered counts as
 * depending on it), so a documented row is held to this bound, not to one run's count.
 */
const MIN_LEVELS: Readonly<Record<string, number>> = { 'team-expenses': 2, 'qualified-leads': 4, 'batch-report': 3, 'qualified-leads-500': 4 };

/** A comparison-table row's cells; the latency cells' measured milliseconds are never equal twice. */
function cellsOf(row: string): string[] {
  return row.split('|').slice(2, -1).map((cell) => cell.trim());
}

/** The rows of a document's comparison table against engine.report() on the demo's tools (values, not wording). */
function checkComparisonRows(document: string, names: readonly string[]): void {
  const text = read(document);
  it.each(names)(`shows what engine.report really measures for %s (${document})`, async (name) => {
    // @ts-expect-error: plain-JS fixtures.
    const { createFixtureTools } = await import('../fixtures/tools.mjs');
    // @ts-expect-error: plain-JS fixtures.
    const { loadScript } = await import('../fixtures/scenarios.mjs');
    // @ts-expect-error: plain-JS fixtures.
    const { leadSet500 } = await import('../fixtures/leads-500.mjs');
    const documented = cellsOf(new RegExp(`^\\| ${name} \\|.*\\|$`, 'm').exec(text)![0]);
    const options = { latencyMs: 20, jitterMs: 5, ...(name === 'qualified-leads-500' ? { leadSet: leadSet500 } : {}) };
    const engine = toolweaver.createEngine({ catalog: createFixtureTools(options).catalog, threads: 1 });
    try {
      const report = await engine.report(await loadScript(`${name}.js`));
      const measured = cellsOf(toolweaver.formatComparisonTable([{ name, report }]).split('\n')[2]!);
      // Tool calls, bytes and tokens on both sides: fixed by the data and the script.
      const fixed = [0, 3, 4, 6, 7, 8];
      expect(fixed.map((i) => documented[i])).toEqual(fixed.map((i) => measured[i]));
      const levels = Number(documented[1]);
      expect(levels).toBeGreaterThanOrEqual(MIN_LEVELS[name]!);
      expect(report.levels).toBeGreaterThanOrEqual(MIN_LEVELS[name]!);
      const formula = (cell: string): string => cell.replace(/ \+ [\d,]+ ms$/, '');
      expect([documented[2], formula(documented[5]!), formula(documented[9]!)]).toEqual([String(levels + 1), `${levels + 1} × L`, '1 × L']);
    } finally {
      await engine.close();
    }
  });
}

describe('docs/benchmarks.md measured table', () => {
  checkComparisonRows('docs/benchmarks.md', ['team-expenses', 'qualified-leads', 'batch-report', 'qualified-leads-500']);
});

describe('README comparison table', () => {
  checkComparisonRows('README.md', ['team-expenses', 'batch-report', 'qualified-leads-500']);
});

describe('README agent loop', () => {
  const block = /```js\n(import \{ ToolWeaverError \} from 'toolweaver';\n\nexport async function runAgent[\s\S]*?\n)```\n/.exec(read('README.md'));

  it('is at most about 20 lines', () => {
    expect(block).not.toBeNull();
    expect(block![1]!.trimEnd().split('\n').length).toBeLessThanOrEqual(24);
  });

  it('puts the instructions in the prompt, hands back the error message and the result, and returns the answer', async () => {
    const body = block![1]!.replace(/^import .*$/m, '').replace(/^export /m, '');
    const runAgent = new Function('ToolWeaverError', `${body}\nreturn runAgent;`)(toolweaver.ToolWeaverError) as (
      engine: toolweaver.Engine, callModel: (messages: { role: string; content: string }[]) => Promise<string>, task: string,
    ) => Promise<{ answer: string; messages: { role: string; content: string }[] }>;
    const catalog = new toolweaver.ToolCatalog().register({
      name: 'get_user_orders',
      input: { type: 'object', properties: { userId: { type: 'string' } }, required: ['userId'] },
      handler: async ({ userId }: { userId: string }) => [{ id: `${userId}-1`, total: 40 }, { id: `${userId}-2`, total: 2 }],
    });
    const engine = toolweaver.createEngine({ catalog, threads: 1 });
    const replies = [
      'I will add up the orders.\n```js\nconst orders = await get_user_order("L-7");\nreturn orders.length;\n```',
      '```js\nconst orders = await get_user_orders("L-7");\nprint(orders.length);\nreturn orders.reduce((sum, order) => sum + order.total, 0);\n```',
      'The orders of L-7 total 42.',
    ];
    const seen: number[] = [];
    const callModel = vi.fn(async (messages: { role: string; content: string }[]) => {
      seen.push(messages.length);
      return replies[seen.length - 1]!;
    });
    try {
      const expectedError = await engine.execute(replies[0]!).then(() => null, (error: toolweaver.ToolWeaverError) => error);
      expect(expectedError?.code).toBe('ERR_UNKNOWN_TOOL');
      const { answer, messages } = await runAgent(engine, callModel, 'What do the orders of L-7 total?');
      expect(answer).toBe('The orders of L-7 total 42.');
      expect(seen).toEqual([2, 4, 6]);
      expect(messages[0]).toEqual({ role: 'system', content: engine.instructions() });
      expect(messages[0]!.content).toContain('declare function get_user_orders');
      expect(messages[3]).toEqual({ role: 'user', content: expectedError!.toModelMessage() });
      expect(messages[5]).toEqual({ role: 'user', content: JSON.stringify({ value: 42, output: ['2'] }) });
      expect(messages).toHaveLength(7);
    } finally {
      await engine.close();
    }
  });

  it('runs the opening example on the fixture tools', async () => {
    // @ts-expect-error: plain-JS fixtures.
    const { createFixtureCatalog } = await import('../fixtures/tools.mjs');
    const opening = /```js\n(const team = await get_team_members\(\);[\s\S]*?)```/.exec(read('README.md'))![1]!;
    const engine = toolweaver.createEngine({ catalog: createFixtureCatalog(), threads: 1 });
    try {
      const result = await engine.execute(opening);
      expect(Array.isArray(result.value)).toBe(true);
      expect(result.metadata.toolCalls).toBeGreaterThan(1);
    } finally {
      await engine.close();
    }
  });
});

// Every ```js block of the README and docs/, and what runs it. A block that does not run on its
// own says why; a new block fails this test until it is listed here.
const JS_BLOCKS: { file: string; start: string; count?: number; runBy: string }[] = [
  { file: 'README.md', start: 'const team = await get_team_members();', runBy: 'test/readme.test.ts' },
  { file: 'README.md', start: "import { ToolCatalog, createEngine } from 'toolweaver';", runBy: 'test/readme.test.ts' },
  { file: 'README.md', start: "import { ToolWeaverError } from 'toolweaver';", runBy: 'test/readme.test.ts' },
  { file: 'docs/ai-sdk.md', start: "import { generateText, stepCountIs } from 'ai';", count: 2, runBy: 'test/connectors/ai-sdk-docs.test.ts' },
  { file: 'docs/api.md', start: 'const engine = createEngine({\n  catalog,', runBy: 'test/integration/approvals.test.ts' },
  { file: 'docs/api.md', start: "import { ToolCatalog, createEngine } from 'toolweaver';", runBy: 'test/integration/batch-readme.test.ts' },
  { file: 'docs/api.md', start: "import { createEngine, prewarmPool, ToolCatalog } from 'toolweaver';", runBy: 'test/integration/prewarm.test.ts' },
  { file: 'docs/api.md', start: "import { z } from 'zod';", runBy: 'not run: a fragment (`catalog` and `db` are the reader\'s)' },
  { file: 'docs/api.md', start: 'const engine = createEngine({ catalog: createFixtureCatalog(), stubs', runBy: 'test/readme.test.ts' },
  { file: 'docs/api.md', start: "import { get_users } from './tools';", runBy: 'test/integration/model-messages.test.ts' },
  { file: 'docs/api.md', start: "const users = await get_user", count: 4, runBy: 'test/integration/model-messages.test.ts' },
  { file: 'docs/mcp.md', start: "import { Client } from '@modelcontextprotocol/sdk/client/index.js';", runBy: 'test/connectors/mcp/docs.test.ts' },
  { file: 'docs/mcp.md', start: "import { StdioClientTransport }", runBy: 'not run: a tools module for a real server; fixtures/mcp-proxy-tools.mjs is the tested one' },
  { file: 'docs/mcp.md', start: "import { StdioServerTransport }", runBy: 'test/connectors/mcp/docs.test.ts' },
  { file: 'docs/mcp.md', start: "import { createServer } from 'node:http';", runBy: 'test/connectors/mcp/docs.test.ts' },
  { file: 'docs/mcp.md', start: "const engine = createEngine({ catalog, onApproval: 'per-execution' });", runBy: 'not run: a fragment (`catalog` is the reader\'s); test/connectors/mcp/approvals-http.test.ts serves such an engine' },
  { file: 'docs/queue.md', start: "import { createEngine, ToolCatalog } from 'toolweaver';", runBy: 'test/queue/cli.test.ts' },
  { file: 'docs/observability.md', start: "import { context, trace } from '@opentelemetry/api';", runBy: 'test/integration/observability-readme.test.ts' },
];

/** Markdown without its fenced blocks (their lines blanked), so headings and links in code are not read. */
function prose(text: string): string {
  return text.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, (block) => block.replace(/[^\n]/g, ''));
}

/** GitHub's anchors of a markdown file: heading slugs (numbered when repeated) and `<a id>`s. */
function anchors(text: string): Set<string> {
  const found = new Set<string>();
  const counts = new Map<string, number>();
  for (const match of prose(text).matchAll(/^#{1,6} (.*)$/gm)) {
    const slug = match[1]!.replace(/\[([^\]]*)\]\([^)]*\)/g, '$1').toLowerCase().replace(/[^\p{L}\p{N} _-]/gu, '').replace(/ /g, '-');
    const seen = counts.get(slug) ?? 0;
    counts.set(slug, seen + 1);
    found.add(seen === 0 ? slug : `${slug}-${seen}`);
  }
  for (const match of text.matchAll(/<a id="([^"]+)"><\/a>/g)) found.add(match[1]!);
  return found;
}

describe('README and docs/ stay true', () => {
  it('keeps the README to one screenful of sections (at most 260 lines)', () => {
    expect(read('README.md').split('\n').length).toBeLessThanOrEqual(260);
  });

  it('runs every ```js block somewhere: each is listed with the test that runs it', () => {
    const listed = JS_BLOCKS.map((entry) => ({ ...entry, seen: 0 }));
    for (const file of DOCS) {
      for (const block of read(file).matchAll(/^```js\n([\s\S]*?)^```/gm)) {
        const entry = listed.find((candidate) => candidate.file === file && block[1]!.startsWith(candidate.start));
        expect(entry, `${file}: a \`\`\`js block starting ${JSON.stringify(block[1]!.split('\n')[0])} is not listed in JS_BLOCKS`).toBeDefined();
        entry!.seen++;
      }
    }
    for (const entry of listed) {
      expect(entry.seen, `${entry.file}: ${entry.start}`).toBe(entry.count ?? 1);
      if (entry.runBy.startsWith('not run: ')) continue;
      // The test named must exist and read the file the block is in.
      expect(read(entry.runBy), `${entry.runBy} reads ${entry.file}`).toContain(entry.file.replace(/^docs\//, ''));
    }
  });

  it('names the command of every table of figures', () => {
    const figure = /\d[\d,.]*\s?(?:us|ms|s|MB|KB|B|calls\/s|scripts\/s|jobs\/s|tokens)(?![\w/])|\|\s*[\d,.]+x?\s*\|/;
    const command = /`(?:npm run [\w:-]+|npm run build && node [^`]+|node (?:--expose-gc )?bench\/[^`]+|npx toolweaver [^`]+)`|^```sh\n(?:npx toolweaver|npm run|node bench)/m;
    let checked = 0;
    for (const file of ['README.md', 'docs/benchmarks.md']) {
      const lines = read(file).split('\n');
      let since = 0; // first line after the previous heading or table
      for (let i = 0; i < lines.length; i++) {
        if (/^#{1,6} /.test(lines[i]!)) since = i + 1;
        if (!/^\s*\|/.test(lines[i]!)) continue;
        let end = i;
        while (end + 1 < lines.length && /^\s*\|/.test(lines[end + 1]!)) end++;
        const body = lines.slice(i + 2, end + 1).join('\n');
        if (figure.test(body)) {
          checked++;
          expect(lines.slice(since, i).join('\n'), `${file}:${i + 1}: a table of figures with no command before it`).toMatch(command);
        }
        since = end + 1;
        i = end;
      }
    }
    // The README's issue-13 table, its peers table and its comparison table; in docs/benchmarks.md:
    // the issue-13 table, its second table, the cold-start timelines, A/B and prewarm tables,
    // the validation A/B, checkpoints, counted checkpoints' instructions, chaos, soak, batches,
    // measured, against peers (rates and CPU), the quiet prewarm table, and the boot turns'
    // timeline and per-kind tables.
    expect(checked).toBe(20);
  });

  it('has no broken relative link: every file exists and every anchor is a heading or an <a id>', () => {
    const broken: string[] = [];
    for (const file of DOCS) {
      const text = read(file);
      for (const match of prose(text).matchAll(/\]\(([^)\s]+)\)/g)) {
        const target = match[1]!;
        if (/^[a-z]+:/i.test(target)) continue;
        const [path, anchor] = target.split('#') as [string, string | undefined];
        const resolved = path === '' ? file : new URL(path, new URL(file, 'file:///')).pathname.slice(1);
        if (!existsSync(new URL(`../${resolved}`, import.meta.url))) broken.push(`${file}: ${target}`);
        else if (anchor !== undefined && resolved.endsWith('.md') && !anchors(read(resolved)).has(anchor)) broken.push(`${file}: ${target} (no such anchor)`);
      }
    }
    expect(broken).toEqual([]);
  });
});
