import { describe, expect, it } from 'vitest';
import { Journal, ReplayBudget } from '../../src/dispatch/journal.js';
import { WorkerCrashedError } from '../../src/errors.js';
import { Execution } from '../../src/execution.js';
import type { ScriptPool } from '../../src/pool/index.js';
import { Scheduler } from '../../src/scheduler.js';
import { createFakePool, emptyTask, settle } from './fake-pool.js';

describe('claim: a re-run never repeats a tool call of the run that died', () => {
  it('answers only for the current run of an execution, also while it waits to be re-run', async () => {
    const { pool, runs, resume } = createFakePool();
    const scheduler = new Scheduler(pool as unknown as ScriptPool, { killGraceMs: 1_000, memoryLimitMb: 64 });
    const execution = new Execution('tw-test', 10, 60_000, (ended) => scheduler.onEnded(ended));
    const task = emptyTask('tw-test');
    const slot = { execution, task };
    scheduler.register(slot);
    scheduler.admit(slot);

    const firstRun = runs[0]!.task.slot;
    expect(scheduler.executionOf('tw-test', firstRun)).toBe(execution);
    expect(scheduler.executionOf('tw-test', firstRun + 1)).toBeUndefined();

    // The thread dies before the script called a tool: it is queued to run again.
    pool.placementPaused = true;
    runs[0]!.reject(new Error('worker exited with code: 1'));
    await settle();
    expect(runs).toHaveLength(1);
    expect(scheduler.executionOf('tw-test', firstRun)).toBeUndefined();

    pool.placementPaused = false;
    resume();
    expect(runs).toHaveLength(2);
    const secondRun = runs[1]!.task.slot;
    expect(secondRun).not.toBe(firstRun);
    expect(scheduler.executionOf('tw-test', firstRun)).toBeUndefined();
    expect(scheduler.executionOf('tw-test', secondRun)).toBe(execution);

    runs[1]!.resolve({ ok: true, valueJson: '7', output: [], outputTruncated: false });
    await expect(execution.promise).resolves.toMatchObject({ value: 7 });
  });

  it('reports a re-run that did not make every call its lost run made, whatever it returned', async () => {
    const { pool, runs } = createFakePool();
    const scheduler = new Scheduler(pool as unknown as ScriptPool, { killGraceMs: 1_000, memoryLimitMb: 64 });
    const execution = new Execution('tw-test', 10, 60_000, (ended) => scheduler.onEnded(ended));
    execution.journal = new Journal(new ReplayBudget(1_000));
    const task = emptyTask('tw-test');
    scheduler.register({ execution, task });
    scheduler.admit({ execution, task });
    // The first run made one call (answered), then lost its thread.
    const taken = execution.journal.take('send_email', '[]');
    if (!('record' in taken) || taken.record === undefined) throw new Error('expected a new entry');
    execution.journal.settle(taken.record, { ok: true, resultJson: 'true', bytes: 4 });
    execution.toolCalls = 1;
    runs[0]!.reject(new Error('worker exited with code: 1'));
    await settle();
    // Re-run (its calls are all in the journal), and it returns without making the call.
    expect(runs).toHaveLength(2);
    runs[1]!.resolve({ ok: true, valueJson: '"other path"', output: ['took the other path'], outputTruncated: false });
    const error = await execution.promise.then(() => undefined, (failure: unknown) => failure);
    expect(error).toBeInstanceOf(WorkerCrashedError);
    expect((error as WorkerCrashedError).sideEffectsPossible).toBe(true);
    // The re-run's printed output stays on the error.
    expect((error as WorkerCrashedError).output).toEqual(['took the other path']);
  });
});
