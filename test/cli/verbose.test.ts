// `--verbose` of `run` and `batch`, as a subprocess against the build: one stderr line per
// tool call with its timing and outcome; stdout unchanged; no tool data in the log.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
// @ts-expect-error: plain-JS fixtures shared with the demo and benches.
import { getScenario } from '../../fixtures/scenarios.mjs';

const CLI = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));
const TOOLS = fileURLToPath(new URL('../../fixtures/tools.mjs', import.meta.url));
const SCRIPT = fileURLToPath(new URL('../../fixtures/scripts/team-expenses.js', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'toolweaver-verbose-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const LINE = /^toolweaver: tw-[0-9a-f]{8} #(\d+) (\S+) (ok [\d.]+ ms \d+ B|failed \S+ [\d.]+ ms)$/;

function toolweaver(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args], { cwd: work }, (error, stdout, stderr) => {
      resolve({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : -1, stdout, stderr });
    });
  });
}

describe('toolweaver --verbose', () => {
  it('logs each tool call of `run` to stderr with its timing, and leaves stdout as it was', async () => {
    const scenario = getScenario('team-expenses');
    const run = await toolweaver(['run', SCRIPT, '--tools', TOOLS, '--verbose']);
    expect(run.code).toBe(0);
    const lines = run.stderr.trim().split('\n');
    expect(lines).toHaveLength(scenario.expectedToolCalls);
    const parsed = lines.map((line) => LINE.exec(line));
    expect(parsed.every((match) => match !== null)).toBe(true);
    expect(parsed.map((match) => Number(match![1])).sort((a, b) => a - b)).toEqual(Array.from({ length: lines.length }, (_, i) => i + 1));
    expect(new Set(parsed.map((match) => match![2]))).toEqual(new Set(['get_team_members', 'get_expenses']));
    expect(JSON.parse(run.stdout.split('\n').slice(1).join('\n')).value).toEqual(scenario.expected);
    const quiet = await toolweaver(['run', SCRIPT, '--tools', TOOLS]);
    expect(quiet.stderr).toBe('');
  });

  it('logs the calls of every `batch` job, failed ones with their code', async () => {
    const jobs = join(work, 'jobs.jsonl');
    writeFileSync(jobs, [JSON.stringify({ code: 'return (await get_users()).length' }), JSON.stringify({ code: 'try { await get_user_orders("u-nobody"); } catch {} try { await get_user_orders(7); } catch {} return 1' })].join('\n') + '\n');
    const run = await toolweaver(['batch', jobs, '--tools', TOOLS, '--verbose']);
    expect(run.code).toBe(0);
    const lines = run.stderr.trim().split('\n').map((line) => LINE.exec(line));
    expect(lines.every((match) => match !== null)).toBe(true);
    expect(lines.map((match) => [match![2], match![3]!.startsWith('ok') ? 'ok' : match![3]!.split(' ').slice(0, 2).join(' ')]).sort()).toEqual([['get_user_orders', 'failed ERR_TOOL_INPUT'], ['get_user_orders', 'failed Error'], ['get_users', 'ok']]);
  });
});
