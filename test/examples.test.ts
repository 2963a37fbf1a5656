// Runs every program in examples/ as a user would (node, from the repository root, so
// `toolweaver` resolves to this build through the package's exports) and checks what it prints.
import { execFile } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { createEngine } from 'toolweaver';
import { expectCrmServerRunsScripts } from './connectors/mcp/crm-server-check.js';

const root = fileURLToPath(new URL('../', import.meta.url));
const TESTED = ['agent-loop-ai-sdk.mjs', 'batch-jsonl.mjs', 'mcp-import.mjs', 'mcp-serve.mjs'];
const run = async (...args: string[]) => promisify(execFile)(process.execPath, args, { cwd: root, encoding: 'utf8' });
const source = (name: string): string => readFileSync(new URL(`../examples/${name}`, import.meta.url), 'utf8');

describe('examples/', () => {
  it('has a test for every program', () => {
    expect(readdirSync(new URL('../examples/', import.meta.url)).filter((name) => name.endsWith('.mjs')).sort()).toEqual(TESTED);
  });

  it('agent-loop-ai-sdk.mjs: the mock model writes a script, the engine runs it, the answer comes from its value', async () => {
    // @ts-expect-error: plain-JS fixtures.
    const { createFixtureCatalog } = await import('../fixtures/tools.mjs');
    // @ts-expect-error: plain-JS fixtures.
    const { loadScript } = await import('../fixtures/scenarios.mjs');
    const engine = createEngine({ catalog: createFixtureCatalog(), threads: 1 });
    let over: { name: string }[];
    try {
      over = (await engine.execute(await loadScript('team-expenses'))).value as { name: string }[];
    } finally {
      await engine.close();
    }
    expect(over.length).toBeGreaterThan(0);
    const { stdout } = await run('examples/agent-loop-ai-sdk.mjs');
    const [answer, counts] = stdout.trimEnd().split('\n');
    expect(answer).toBe(`${over.length} people spent more than $10,000 in Q3: ${over.map((m) => m.name).join(', ')}.`);
    expect(counts).toMatch(/^tool calls: 21, bytes from tools: \d+, bytes returned: \d+$/);
  }, 60_000);

  it('batch-jsonl.mjs: one outcome per line of the JSONL, the unknown lead rejected, the others scored', async () => {
    // @ts-expect-error: plain-JS fixtures.
    const { createFixtureCatalog } = await import('../fixtures/tools.mjs');
    const { stdout, stderr } = await run('examples/batch-jsonl.mjs', 'examples/leads.jsonl');
    const outcomes = stdout.trimEnd().split('\n').map((line) => JSON.parse(line) as { id: string; error?: string });
    const lines = readFileSync(new URL('../examples/leads.jsonl', import.meta.url), 'utf8').split('\n');
    const jobs = lines.flatMap((text, index) => (text.trim() === '' ? [] : [{ id: `examples/leads.jsonl:${index + 1}`, lead: (JSON.parse(text) as { id: string }).id }]));
    expect(outcomes.map((outcome) => outcome.id).sort()).toEqual(jobs.map((job) => job.id).sort());
    const engine = createEngine({ catalog: createFixtureCatalog(), threads: 1 });
    try {
      for (const job of jobs) {
        const outcome = outcomes.find((candidate) => candidate.id === job.id)!;
        const expected = await engine.execute('const lead = await get_lead(lead_id); const { score } = await score_lead(lead_id); return { name: lead.name, score, qualified: score >= 70 };', { context: { lead_id: job.lead } })
          .then((result) => ({ id: job.id, ...(result.value as object) }), (error: { code: string }) => ({ id: job.id, error: error.code }));
        expect(outcome).toEqual(expected);
      }
    } finally {
      await engine.close();
    }
    expect(outcomes.filter((outcome) => outcome.error !== undefined)).toEqual([{ id: 'examples/leads.jsonl:5', error: 'ERR_TOOL_CALL' }]);
    expect(stderr).toContain('{"ERR_TOOL_CALL":1}');
  }, 60_000);

  it('mcp-import.mjs and mcp-serve.mjs are the examples of docs/mcp.md', () => {
    const docs = readFileSync(new URL('../docs/mcp.md', import.meta.url), 'utf8');
    const block = (marker: string) => new RegExp(`<!-- ${marker} -->\\n\`\`\`js\\n([\\s\\S]*?)\`\`\``).exec(docs)![1]!;
    const body = (name: string) => source(name).replace(/^(\/\/.*\n)+/, '');
    expect(body('mcp-import.mjs')).toBe(block('mcp-import-example'));
    expect(body('mcp-serve.mjs')).toBe(block('mcp-serve-example').replace("'./fixtures/mcp-tools.mjs'", "'../fixtures/mcp-tools.mjs'"));
  });

  it('mcp-import.mjs: prints what its comments say', async () => {
    const expected = [...source('mcp-import.mjs').matchAll(/console\.log\(.*\); \/\/ (.*)$/gm)].map((match) => match[1]!);
    expect(expected).toHaveLength(2);
    const { stdout } = await run('examples/mcp-import.mjs');
    expect(stdout.trimEnd().split('\n')).toEqual(expected);
  }, 60_000);

  it('mcp-serve.mjs: an SDK client runs a script through execute_code', async () => {
    await expectCrmServerRunsScripts('examples/mcp-serve.mjs', root, 'examples-test');
  }, 60_000);
});
