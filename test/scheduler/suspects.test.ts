import { describe, expect, it } from 'vitest';
import { MemoryLimitError } from '../../src/errors.js';
import { Execution } from '../../src/execution.js';
import { TaskLostError, type ScriptPool } from '../../src/pool/index.js';
import { Scheduler } from '../../src/scheduler.js';
import { createFakePool, emptyTask, settle } from './fake-pool.js';

const outOfMemory = (running: 'yes' | 'maybe') => new TaskLostError({ reason: 'out-of-memory', running, detail: 'the pool process ran out of memory' });

describe('claim: a script that exhausts its memory fails alone', () => {
  it('blames an isolated suspect only when it was the one script busy at its second death', async () => {
    const { pool, runs } = createFakePool();
    const scheduler = new Scheduler(pool as unknown as ScriptPool, { killGraceMs: 1_000, memoryLimitMb: 64 });
    const execution = new Execution('tw-loop', 10, 60_000, (ended) => scheduler.onEnded(ended));
    const task = emptyTask('tw-loop');
    scheduler.register({ execution, task });
    scheduler.admit({ execution, task });
    // Busy beside a bomb at a first death: a suspect, run again isolated.
    runs[0]!.reject(outOfMemory('maybe'));
    await settle();
    expect(runs).toHaveLength(2);
    // Busy again, beside a fresh bomb placed next to it: no more guilty than before.
    runs[1]!.reject(outOfMemory('maybe'));
    await settle();
    expect(runs).toHaveLength(3);
    expect(execution.ended).toBe(false);
    // The only script busy at a death while isolated: blamed.
    runs[2]!.reject(outOfMemory('yes'));
    const error = await execution.promise.then(() => undefined, (failure: unknown) => failure);
    expect(error).toBeInstanceOf(MemoryLimitError);
  });
});
