// Task setups (tool bindings and limits) through a real pool process and its threads: each
// text crosses the IPC channel once per process (setup-table.ts) and is parsed once per
// thread (worker/setup-cache.ts), yet every run gets exactly its own setup, past both bounds,
// and a process that replaces a dead one is sent what it needs again.
import type { ChildProcess } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { forkPoolProcess } from '../../dist/pool/process-pool.js';
import { MAX_SETUPS } from '../../dist/pool/setup-table.js';
import type { ScriptPoolOptions } from '../../dist/pool/types.js';
import { poolWith, taskFor } from './process-pool-harness.js';

const LIMITS = { maxOutputLines: 100, maxOutputChars: 10_000, maxArgumentChars: 10_000, maxArgumentCharsPerExecution: 10_000, maxValueChars: 10_000, maxToolCalls: 10, memoryLimitMb: 64 };

/** Setup `n`: one tool, `tool<n>`, and a bound on the returned value of 1,000 + 200n characters. */
const boundOf = (n: number): number => 1_000 + 200 * n;
const setupOf = (n: number): string => JSON.stringify({ tools: [{ name: `tool${n}`, path: [`tool${n}`] }], limits: { ...LIMITS, maxValueChars: boundOf(n) } });

/** What a run of setup `n` returns when it gets exactly its setup, empty of padding. */
const EXPECTED = { seen: ['function', 'undefined'], pad: '' };

/**
 * A run of setup `n` that reports which of tool<n> and tool<n + 1> it can see, and returns
 * 100 characters of JSON less than its bound, or 100 more when `over`: the first fails under
 * the bound of a smaller setup, the second passes under a larger one.
 */
function taskOf(slot: number, n: number, over = false) {
  const pad = boundOf(n) - JSON.stringify(EXPECTED).length + (over ? 100 : -100);
  const code = `(async () => ({ seen: [typeof tool${n}, typeof tool${n + 1}], pad: 'x'.repeat(${pad}) }))()`;
  return { ...taskFor(slot, code), setup: setupOf(n) };
}

/** The value of a run that succeeded, without its padding. */
function valueOf(outcome: Awaited<ReturnType<ReturnType<typeof poolWith>['run']>>): unknown {
  if (!outcome.ok) return outcome;
  const value = JSON.parse(outcome.valueJson!) as { seen: string[]; pad: string };
  return { ...value, pad: '', length: outcome.valueJson!.length };
}

describe('task setups through the pool process', () => {
  it('gives every run its own setup while more setups are in use than either side keeps', async () => {
    const pool = poolWith(forkPoolProcess);
    const count = MAX_SETUPS + 4;
    let slot = 0;
    // Up, then down: the second round first names setups both sides still hold, then, at
    // the bound, ones they dropped.
    const order = Array.from({ length: count }, (_, n) => n);
    for (const round of [order, [...order].reverse()]) {
      for (const n of round) {
        expect(valueOf(await pool.run(taskOf(++slot, n)))).toEqual({ ...EXPECTED, length: boundOf(n) - 100 });
        const over = await pool.run(taskOf(++slot, n, true));
        expect(over).toMatchObject({ ok: false, error: { code: 'ERR_PAYLOAD_TOO_LARGE', limit: boundOf(n) } });
      }
    }
  });

  it('sends a process that replaces a dead one the setups it runs', async () => {
    const children: ChildProcess[] = [];
    const pool = poolWith((options: ScriptPoolOptions) => {
      const child = forkPoolProcess(options);
      children.push(child);
      return child;
    });
    expect(valueOf(await pool.run(taskOf(1, 3)))).toEqual({ ...EXPECTED, length: boundOf(3) - 100 });
    const replaced = new Promise<void>((resolve) => pool.onPlacementResumed(resolve));
    children[0]!.kill('SIGKILL');
    await replaced;
    expect(children).toHaveLength(2);
    expect(valueOf(await pool.run(taskOf(2, 3)))).toEqual({ ...EXPECTED, length: boundOf(3) - 100 });
  });
});
