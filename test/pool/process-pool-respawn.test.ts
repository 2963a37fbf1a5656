// The pool process's supervision when starts fail: backoff, unavailability that never lasts
// for good, and destroy during a wait. A fork seam makes starts fail; the pool and the
// scheduler come from dist (see process-pool-harness.ts). Fake setTimeout only, so the waits
// between starts pass when the test says; child processes and setImmediate stay real.
import { spawn, type ChildProcess } from 'node:child_process';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { Execution } from '../../dist/execution.js';
import { forkPoolProcess } from '../../dist/pool/process-pool.js';
import { TaskLostError, type ScriptPoolOptions } from '../../dist/pool/types.js';
import { Scheduler } from '../../dist/scheduler.js';
import { rejectionOf } from '../helpers.js';
import { poolWith, STDIO, taskFor, until } from './process-pool-harness.js';

/** Three ways a start fails: the fork throws, the process ends before 'ready', the spawn fails ('error', then 'close'). */
const FAILING_STARTS = [
  ['a fork that throws', (): ChildProcess => { throw new Error('spawn EAGAIN'); }],
  ['a process that exits before it is ready', (): ChildProcess => spawn(process.execPath, ['-e', 'process.exit(1)'], { stdio: STDIO })],
  ['a spawn that fails (ENOENT)', (): ChildProcess => spawn('/nonexistent/toolweaver-node', [], { stdio: STDIO })],
] as const;

/** A fork that fails while `failing` is true, recording each start and when its process is gone. */
function createForks(fail: () => ChildProcess) {
  const ended: Array<Promise<void>> = [];
  const forks = {
    failing: true,
    get starts() {
      return ended.length;
    },
    /** Resolves once start `n` (from 1) has failed and every event of its process has fired. */
    failed: (n: number) => ended[n - 1]!,
    fork(options: ScriptPoolOptions): ChildProcess {
      if (!forks.failing) {
        ended.push(new Promise(() => {}));
        return forkPoolProcess(options);
      }
      let spawned: ChildProcess;
      try {
        spawned = fail();
      } catch (error) {
        ended.push(Promise.resolve());
        throw error;
      }
      // Registered before the pool's listeners: by the time this resolves, the pool has seen every event.
      ended.push(new Promise((resolve) => spawned.once('close', () => resolve())));
      return spawned;
    },
  };
  return forks;
}

describe('pool process starts that fail', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
  });

  it.each(FAILING_STARTS)('holds placement through two failed starts, then rejects runs at once as unavailable and keeps retrying with backoff: %s', async (_label, fail) => {
    const forks = createForks(fail);
    const pool = poolWith(forks.fork);
    let resumed = 0;
    pool.onPlacementResumed(() => resumed++);

    for (const [start, waitMs] of [[1, 100], [2, 200]] as const) {
      await forks.failed(start);
      expect(pool.placementPaused).toBe(true);
      expect(resumed).toBe(0);
      // Exactly one retry pending: the failure was handled once ('error' and 'close' of one spawn count once).
      expect(vi.getTimerCount()).toBe(1);
      await vi.advanceTimersByTimeAsync(waitMs - 1);
      expect(forks.starts).toBe(start);
      await vi.advanceTimersByTimeAsync(1);
      expect(forks.starts).toBe(start + 1);
    }

    await forks.failed(3);
    expect(pool.placementPaused).toBe(false);
    expect(resumed).toBe(1);
    const error = await rejectionOf(pool.run(taskFor(1)));
    expect(error).toBeInstanceOf(TaskLostError);
    expect(error.loss).toMatchObject({ reason: 'unavailable', running: 'no' });

    await vi.advanceTimersByTimeAsync(400);
    expect(forks.starts).toBe(4);
    await forks.failed(4);
    await vi.advanceTimersByTimeAsync(800);
    expect(forks.starts).toBe(5);
  });

  it('serves again once a start succeeds after the pool was unavailable', async () => {
    const forks = createForks(FAILING_STARTS[1][1]);
    const pool = poolWith(forks.fork);
    let resumed = 0;
    pool.onPlacementResumed(() => resumed++);
    await forks.failed(1);
    await vi.advanceTimersByTimeAsync(100);
    await forks.failed(2);
    await vi.advanceTimersByTimeAsync(200);
    await forks.failed(3);
    expect((await rejectionOf(pool.run(taskFor(1)))).loss.reason).toBe('unavailable');

    forks.failing = false;
    await vi.advanceTimersByTimeAsync(400);
    expect(forks.starts).toBe(4);
    await until(() => resumed === 2);
    expect(pool.placementPaused).toBe(false);
    expect(await pool.run(taskFor(2))).toMatchObject({ ok: true, valueJson: '42' });
  });

  it('settles every queued script with WorkerCrashedError once starts have failed three times, and none before', async () => {
    const forks = createForks(FAILING_STARTS[0][1]);
    const pool = poolWith(forks.fork);
    const scheduler = new Scheduler(pool, { killGraceMs: 1_000, memoryLimitMb: 64 });
    const outcomes: string[] = [];
    const executions = [1, 2, 3].map((n) => {
      const execution = new Execution(`tw-test-${n}`, 10, 60_000, (ended) => scheduler.onEnded(ended));
      const slot = { execution, task: taskFor(0) };
      scheduler.register(slot);
      scheduler.admit(slot);
      return execution.promise.then(
        () => outcomes.push('ok'),
        (error: { code: string; sideEffectsPossible: boolean }) => outcomes.push(`${error.code} ${error.sideEffectsPossible}`),
      );
    });
    await vi.advanceTimersByTimeAsync(100);
    expect(forks.starts).toBe(2);
    expect(outcomes).toEqual([]);
    await vi.advanceTimersByTimeAsync(200);
    expect(forks.starts).toBe(3);
    await until(() => outcomes.length === 3);
    await Promise.all(executions);
    expect(outcomes).toEqual(Array(3).fill('ERR_WORKER_CRASHED false'));
  });

  it('clears the pending retry when destroyed during a backoff wait, and starts nothing after', async () => {
    const forks = createForks(FAILING_STARTS[1][1]);
    const pool = poolWith(forks.fork);
    await forks.failed(1);
    expect(vi.getTimerCount()).toBe(1);
    await pool.destroy();
    expect(vi.getTimerCount()).toBe(0);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(forks.starts).toBe(1);
    expect((await rejectionOf(pool.run(taskFor(1)))).loss.reason).toBe('unavailable');
  });
});

