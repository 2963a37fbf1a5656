import { describe, expect, it } from 'vitest';
import type { BatchOutcome, BatchProgress, ToolContext } from 'toolweaver';
// @ts-expect-error: plain-JS fixtures shared with the demo and benches.
import { createFixtureCatalog } from '../../fixtures/tools.mjs';
// @ts-expect-error: plain-JS fixtures shared with the demo and benches.
import { getScenario, loadScript } from '../../fixtures/scenarios.mjs';
import { createGate, engineFor } from '../helpers.js';

async function collect(outcomes: AsyncIterable<BatchOutcome>): Promise<BatchOutcome[]> {
  const all: BatchOutcome[] = [];
  for await (const outcome of outcomes) all.push(outcome);
  return all;
}

/** A tool that answers only once `gate` opens, or rejects when its execution ends. */
function gatedTool(name: string, gate: ReturnType<typeof createGate>, calls: { count: number }) {
  return {
    name,
    handler: async (_input: unknown, ctx: ToolContext) => {
      calls.count++;
      const ended = new Promise<never>((_, reject) => ctx.signal.addEventListener('abort', () => reject(new Error('ended')), { once: true }));
      await Promise.race([gate.wait(), ended]);
      return 'opened';
    },
  };
}

describe('engine.executeMany', () => {
  it('yields outcomes in completion order, each with its job\'s id and index', async () => {
    const gate = createGate();
    const engine = engineFor([gatedTool('wait_for_gate', gate, { count: 0 })]);
    const outcomes = engine.executeMany([
      { id: 'slow', code: 'return await wait_for_gate();' },
      { code: 'return label + "!";', context: { label: 'fast' } },
    ]);
    const first = await outcomes.next();
    expect(first.value).toMatchObject({ id: 1, index: 1, status: 'fulfilled', result: { value: 'fast!' } });
    gate.open();
    const second = await outcomes.next();
    expect(second.value).toMatchObject({ id: 'slow', index: 0, status: 'fulfilled', result: { value: 'opened' } });
    expect((await outcomes.next()).done).toBe(true);
  });

  it('stalls intake while the consumer is slow', async () => {
    const engine = engineFor([]);
    const concurrency = 4;
    let pulled = 0;
    function* jobs() {
      for (let n = 0; n < 200; n++) {
        pulled++;
        yield { code: 'return n * 2;', context: { n } };
      }
    }
    const idle = createGate();
    const outcomes = engine.executeMany(jobs(), {
      concurrency,
      onProgress: (progress: BatchProgress) => progress.inFlight === 0 && idle.open(),
    });
    await outcomes.next();
    // Every job taken has settled; a batch without backpressure would have run them all by now.
    expect(await idle.wait()).toBe(true);
    expect(pulled).toBe(concurrency);
    const rest = await collect(outcomes);
    expect(rest).toHaveLength(199);
    expect(pulled).toBe(200);
  });

  it('ends the batch on abort: running jobs are aborted and the rest never run', async () => {
    const gate = createGate();
    const calls = { count: 0 };
    const engine = engineFor([gatedTool('hang', gate, calls)]);
    const controller = new AbortController();
    const jobs = Array.from({ length: 30 }, (_, n) => ({ code: n < 3 ? 'return n;' : 'return await hang();', context: { n } }));
    const outcomes: BatchOutcome[] = [];
    for await (const outcome of engine.executeMany(jobs, { concurrency: 5, signal: controller.signal })) {
      outcomes.push(outcome);
      // Jobs 0-2 are the only ones that can finish; the others wait on `hang` until aborted.
      if (outcomes.length === 3) controller.abort();
    }
    expect(outcomes).toHaveLength(30);
    const fulfilled = outcomes.filter((o) => o.status === 'fulfilled');
    expect(fulfilled.map((o) => o.index).sort()).toEqual([0, 1, 2]);
    const rejected = outcomes.filter((o) => o.status === 'rejected');
    expect(rejected.every((o) => o.status === 'rejected' && o.error.code === 'ERR_EXECUTION_ABORTED')).toBe(true);
    expect(calls.count).toBeLessThanOrEqual(5);
  });

  it('gives mixed outcomes with the same typed errors as execute, and finishes the batch', async () => {
    const engine = engineFor([{ name: 'explode', handler: () => { throw new Error('tool broke'); } }]);
    const jobs = [
      { id: 'ok', code: 'return 1 + 1;' },
      { id: 'throws', code: 'throw new TypeError("bad input");' },
      { id: 'syntax', code: 'return (;' },
      { id: 'forbidden', code: 'return require("fs");' },
      { id: 'tool', code: 'return await explode();' },
      { id: 'context', code: 'return 1;', context: { explode: 1 } },
      { id: 'ok-again', code: 'return x;', context: { x: 'still running' } },
    ];
    const outcomes = await collect(engine.executeMany(jobs));
    const byId = Object.fromEntries(outcomes.map((o) => [o.id, o.status === 'fulfilled' ? o.result.value : o.error.code]));
    expect(byId).toEqual({
      ok: 2,
      throws: 'ERR_SCRIPT',
      syntax: 'ERR_SCRIPT_SYNTAX',
      forbidden: 'ERR_SECURITY_VALIDATION',
      tool: 'ERR_TOOL_CALL',
      context: 'ERR_INVALID_OPTIONS',
      'ok-again': 'still running',
    });
  });

  it('gives exactly 10,000 outcomes for a 10,000-job batch', async () => {
    const engine = engineFor([]);
    function* jobs() {
      for (let n = 0; n < 10_000; n++) yield { code: 'return n;', context: { n } };
    }
    const seen = new Set<number>();
    let wrong = 0;
    for await (const outcome of engine.executeMany(jobs())) {
      seen.add(outcome.index);
      if (outcome.status !== 'fulfilled' || outcome.result.value !== outcome.index) wrong++;
    }
    expect(seen.size).toBe(10_000);
    expect(wrong).toBe(0);
  });

  it('runs the team-expenses scenario over an async stream of jobs', async () => {
    const scenario = getScenario('team-expenses');
    const code = await loadScript('team-expenses');
    const engine = engineFor(createFixtureCatalog());
    async function* jobs() {
      for (let n = 0; n < 40; n++) yield { id: `run-${n}`, code };
    }
    const outcomes = await collect(engine.executeMany(jobs(), { concurrency: 8 }));
    expect(outcomes).toHaveLength(40);
    for (const outcome of outcomes) {
      expect(outcome.status).toBe('fulfilled');
      if (outcome.status === 'fulfilled') expect(outcome.result.value).toEqual(scenario.expected);
    }
  });
});
