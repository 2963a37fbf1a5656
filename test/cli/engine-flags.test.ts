// `--timeout`, `--threads`, `--isolation` and `--memory-limit` of `run` and `batch`: applied to
// the engine, and a bad value is a usage error (exit 2) before anything runs.
import { rmSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { STACK_LINE, TOOLS, file, jsonLines, scratch, toolweaver } from './run-cli.js';

const work = scratch();
afterAll(() => rmSync(work, { recursive: true, force: true }));

const spin = file(work, 'spin.js', ['let i = 0;', 'while (true) { i++; }']);
const grow = file(work, 'grow.js', ['const a = [];', 'for (let i = 0; ; i++) a.push({ i, s: "x" + i });']);

describe('engine flags', () => {
  it.each([['process'], ['in-process']])('run --timeout stops an endless loop with ERR_EXECUTION_TIMEOUT (--isolation %s)', async (isolation) => {
    const run = await toolweaver(work, ['run', spin, '--tools', TOOLS, '--json', '--timeout', '300', '--threads', '1', '--isolation', isolation]);
    expect(run.code).toBe(1);
    const record = JSON.parse(run.stdout);
    expect(record).toMatchObject({ status: 'rejected', error: { code: 'ERR_EXECUTION_TIMEOUT' } });
    // The script ran for its 300 ms, not the engine's default of 300 s.
    expect(record.error.metadata.elapsedMs).toBeLessThan(30_000);
  });

  it('batch --timeout applies to every job', async () => {
    const jobs = file(work, 'spins.jsonl', [JSON.stringify({ code: 'while (true) {}' }), JSON.stringify({ code: 'for (;;) {}' })]);
    const run = await toolweaver(work, ['batch', jobs, '--tools', TOOLS, '--timeout', '300', '--threads', '1']);
    expect(run.code).toBe(1);
    const outcomes = jsonLines(run.stdout);
    expect(outcomes.map((o) => o['error']?.code)).toEqual(['ERR_EXECUTION_TIMEOUT', 'ERR_EXECUTION_TIMEOUT']);
    for (const outcome of outcomes) expect(outcome['error'].metadata.elapsedMs).toBeLessThan(30_000);
  });

  it('run --memory-limit stops a growing script with ERR_MEMORY_LIMIT', async () => {
    const run = await toolweaver(work, ['run', grow, '--tools', TOOLS, '--json', '--memory-limit', '32', '--threads', '1', '--timeout', '120000']);
    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout)).toMatchObject({ status: 'rejected', error: { code: 'ERR_MEMORY_LIMIT' } });
  });

  it.each([
    ['run', '--timeout', '0'],
    ['run', '--timeout', '1.5'],
    ['run', '--timeout', 'soon'],
    ['run', '--timeout', '2147483648'],
    ['batch', '--timeout', '-1'],
    ['run', '--threads', '0'],
    ['batch', '--threads', '257'],
    ['run', '--isolation', 'container'],
    ['batch', '--isolation', ''],
    ['run', '--memory-limit', '0'],
    ['batch', '--memory-limit', '1e3'],
    ['batch', '--concurrency', '100001'],
  ])('%s %s %s is a usage error (exit 2), nothing runs', async (command, flag, value) => {
    const input = command === 'run' ? spin : file(work, 'one.jsonl', [JSON.stringify({ code: 'while (true) {}' })]);
    const run = await toolweaver(work, [command, input, '--tools', TOOLS, flag, value]);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('--help');
    expect(run.stderr).not.toMatch(STACK_LINE);
  });
});
