// `toolweaver prompt` and `toolweaver report`, run as a subprocess against the build.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: plain-JS fixtures shared with the demo and benches.
import { createFixtureCatalog } from '../../fixtures/tools.mjs';

const CLI = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));
const TOOLS = fileURLToPath(new URL('../../fixtures/tools.mjs', import.meta.url));
const script = (name: string): string => fileURLToPath(new URL(`../../fixtures/scripts/${name}.js`, import.meta.url));

function toolweaver(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args], (error, stdout, stderr) => {
      resolve({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : -1, stdout, stderr });
    });
  });
}

describe('toolweaver prompt', () => {
  it('prints the catalog\'s prompt text', async () => {
    const run = await toolweaver(['prompt', '--tools', TOOLS]);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(createFixtureCatalog().toPrompt());
  });

  it('leaves output types out with --no-outputs', async () => {
    const run = await toolweaver(['prompt', '--tools', TOOLS, '--no-outputs']);
    expect(run.stdout).toBe(createFixtureCatalog().toPrompt({ outputs: false }));
  });
});

describe('toolweaver types --no-outputs', () => {
  it('prints the declarations without output types', async () => {
    const run = await toolweaver(['types', '--tools', TOOLS, '--no-outputs']);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(`${createFixtureCatalog().toTypeScript({ outputs: false })}\n`);
  });
});

describe('toolweaver report', () => {
  it('prints the measured table for a script', async () => {
    const run = await toolweaver(['report', script('team-expenses'), '--tools', TOOLS]);
    expect(run.code).toBe(0);
    const rows = run.stdout.trim().split('\n');
    expect(rows[0]).toBe('| | traditional | programmatic |');
    expect(rows[2]).toBe('| LLM round trips | 3 | 1 |');
    expect(rows[5]).toBe('| tool calls (levels) | 21 (2) | 21 (in the script) |');
  });

  it('prints one JSON record with --json and exits 1 when the script fails', async () => {
    const run = await toolweaver(['report', script('lead-workflow'), '--tools', TOOLS, '--context', '{"lead_id":"L-7"}', '--json']);
    const record = JSON.parse(run.stdout);
    expect(record).toMatchObject({ levels: 5, toolCalls: 6, traditional: { llmCalls: 6 }, programmatic: { llmCalls: 1 } });
    expect(record.calls.map((call: { level: number }) => call.level)).toEqual([1, 2, 2, 3, 4, 5]);
    const failed = await toolweaver(['report', script('lead-workflow'), '--tools', TOOLS, '--context', '{"lead_id":"nope"}']);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toContain('ERR_TOOL_CALL');
  });

  it('adds an assumed LLM latency to the measured milliseconds with --llm-latency-ms, and refuses a bad one', async () => {
    const run = await toolweaver(['report', script('team-expenses'), '--tools', TOOLS, '--json']);
    const { latency } = JSON.parse(run.stdout) as { latency: { traditionalToolMs: number; programmaticMs: number } };
    expect(latency.traditionalToolMs).toBeGreaterThanOrEqual(0);
    expect(latency.programmaticMs).toBeGreaterThan(0);
    const table = await toolweaver(['report', script('team-expenses'), '--tools', TOOLS, '--llm-latency-ms', '1000']);
    const [, traditional, programmatic] = /^\| latency \(L = 1,000 ms per LLM call\) \| ([\d,]+) ms \| ([\d,]+) ms \|$/m.exec(table.stdout)!;
    // 3 round trips against 1: at least 3,000 ms against at least 1,000 ms.
    expect(Number(traditional!.replace(/,/g, ''))).toBeGreaterThanOrEqual(3000);
    expect(Number(programmatic!.replace(/,/g, ''))).toBeGreaterThanOrEqual(1000);
    expect(Number(programmatic!.replace(/,/g, ''))).toBeLessThan(2000 + 60_000);
    const bad = await toolweaver(['report', script('team-expenses'), '--tools', TOOLS, '--llm-latency-ms', '-5']);
    expect(bad.code).toBe(2);
  });
});
