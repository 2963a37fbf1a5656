import { describe, expect, it } from 'vitest';
import { ExecutionTimeoutError, WorkerCrashedError } from 'toolweaver';
import { createGate, engineFor, rejectionOf, UNSTOPPABLE_RUNAWAY } from '../helpers.js';

describe('claim: a runaway script is stopped and the engine keeps serving (exact blame)', () => {
  /** One runaway stuck in one builtin call among 20 bystanders on its thread: 10 waiting on a tool call, 10 not yet started. */
  async function killAmongBystanders(replayToolCalls: boolean) {
    const release = createGate();
    let entered = 0;
    const allEntered = createGate();
    const engine = engineFor([{ name: 'slow_write', handler: async (n: unknown) => { if (++entered === 10) allEntered.open(); await release.wait(10_000); return `written ${n}`; } }], { threads: 1, killGraceMs: 150, replayToolCalls });
    await engine.execute('return 0');
    const early = Array.from({ length: 10 }, (_, i) => engine.execute(`return await slow_write(${i});`).then((result) => result, (error: unknown) => error));
    expect(await allEntered.wait()).toBe(true);
    // Only the thread-kill fallback can stop it.
    const runaway = rejectionOf(engine.execute(UNSTOPPABLE_RUNAWAY, { timeoutMs: 250 }));
    const late = Array.from({ length: 10 }, (_, i) => engine.execute(`return ${100 + i};`));
    const runawayError = await runaway;
    release.open();
    return { runawayError, late: await Promise.all(late), early: await Promise.all(early), entered: () => entered, engine };
  }

  it('blames only the runaway among 20 bystanders on its thread, and re-runs every bystander, replaying tool calls', async () => {
    for (let round = 0; round < 3; round++) {
      const { runawayError, late, early, entered, engine } = await killAmongBystanders(true);
      expect(runawayError).toBeInstanceOf(ExecutionTimeoutError);
      expect(late.map((result) => result.value)).toEqual(Array.from({ length: 10 }, (_, i) => 100 + i));
      // Re-run: each waiting call was answered from the journal, its handler entered once.
      expect(early.map((result: any) => result.value)).toEqual(Array.from({ length: 10 }, (_, i) => `written ${i}`));
      expect(early.map((result: any) => [result.metadata.reruns, result.metadata.replayedCalls])).toEqual(Array.from({ length: 10 }, () => [1, 1]));
      expect(entered()).toBe(10);
      await engine.close();
    }
  });

  it('with replayToolCalls off, reports the bystanders that had called tools with WorkerCrashedError and re-runs the rest', async () => {
    const { runawayError, late, early, entered } = await killAmongBystanders(false);
    expect(runawayError).toBeInstanceOf(ExecutionTimeoutError);
    expect(late.map((result) => result.value)).toEqual(Array.from({ length: 10 }, (_, i) => 100 + i));
    for (const error of early) {
      expect(error).toBeInstanceOf(WorkerCrashedError);
      expect((error as WorkerCrashedError).sideEffectsPossible).toBe(true);
    }
    expect(entered()).toBe(10);
  });

  it('blames the script spinning in an await-null loop, not the one whose tool answered last', async () => {
    const engine = engineFor([{ name: 'ping', handler: () => 'pong' }], { threads: 1, killGraceMs: 150 });
    const spinner = rejectionOf(engine.execute('await ping(); while (true) await null;', { timeoutMs: 250 }));
    const calm = engine.execute('await ping(); await ping(); return "calm";', { timeoutMs: 60_000 });
    const results = await Promise.allSettled([spinner, calm]);
    expect((results[0] as PromiseFulfilledResult<any>).value.code).toBe('ERR_EXECUTION_TIMEOUT');
    const calmOutcome = results[1]!;
    // The calm script either finished first or lost its thread after calling tools: never a timeout.
    if (calmOutcome.status === 'fulfilled') expect(calmOutcome.value.value).toBe('calm');
    else expect(calmOutcome.reason.code).toBe('ERR_WORKER_CRASHED');
  });

  it('does not kill a legitimate CPU-heavy step within its budget when a neighbour times out', async () => {
    const inHang = createGate();
    const engine = engineFor([{ name: 'hang', handler: () => { inHang.open(); return new Promise(() => {}); } }], { threads: 1, killGraceMs: 100 });
    // Started first: a cold pool process can take longer than the neighbour's 150 ms.
    await engine.execute('return 0');
    const waiting = rejectionOf(engine.execute('await hang();', { timeoutMs: 150 }));
    expect(await inHang.wait()).toBe(true);
    const sorter = engine.execute(`
      const records = Array.from({ length: 200000 }, (_, i) => ({ id: i, score: (i * 7919) % 100003 }));
      let checksum = 0;
      // ~800 ms of sorting on our machines: well past the neighbour's timeout + grace + probe.
      for (let round = 0; round < 24; round++) {
        records.sort((a, b) => (round % 2 ? a.score - b.score : b.score - a.score));
        checksum += records[0].score;
      }
      return { first: records[0].score, checksum };
    `, { timeoutMs: 60_000 });
    expect((await sorter).value).toEqual({ first: 0, checksum: 12 * 100002 });
    expect((await waiting).code).toBe('ERR_EXECUTION_TIMEOUT');
  });
});
