// Owns stopping scripts that are already on a thread: sends the cancel, and if the task is
// still not done after the grace period, terminates whichever threads no longer answer a
// ping (a script spinning on CPU, or in an `await null` loop, starves its whole thread).

import type { ScriptPool, StuckThread } from './pool/index.js';

/** How long a thread has to answer a liveness ping before it counts as stuck. */
const PROBE_WINDOW_MS = 100;

/**
 * The engine's verdict on a stuck thread, given the slot of the script spinning on it:
 * `kill` when that script has overrun its own budget (or was already stopped), `wait` when
 * it is a legitimate heavy step still within its time limit.
 */
export type Judge = (culpritSlot: number) => 'kill' | 'wait';

export interface Watchdog {
  /** Cancels a running script; ends its thread if it does not let go within the grace period. */
  stop(executionId: string, reason: 'timeout' | 'aborted', running: Promise<void>): void;
  /** Resolves when no stop is in progress. */
  idle(): Promise<void>;
}

const sleep = (ms: number): Promise<'timeout'> =>
  new Promise((resolve) => setTimeout(() => resolve('timeout'), ms).unref());

/** `onTerminate` hears of each thread terminated, before its termination starts. */
export function createWatchdog(pool: ScriptPool, killGraceMs: number, judge: Judge, onTerminate: (stuck: StuckThread) => void = () => {}): Watchdog {
  const inProgress = new Set<Promise<void>>();

  // SECURITY: "A runaway script is stopped and the engine keeps serving": a cancel first,
  // then, past the grace period, termination of every thread that stopped answering.
  const enforce = async (executionId: string, reason: 'timeout' | 'aborted', running: Promise<void>): Promise<void> => {
    const done = running.then(() => 'done' as const);
    for (;;) {
      pool.broadcast({ type: 'cancel', executionId, reason });
      // Probe at once: a thread that stays silent gets no new scripts while we wait.
      if ((await Promise.race([done, pool.findUnresponsiveThreads(PROBE_WINDOW_MS)])) === 'done') return;
      if ((await Promise.race([done, sleep(killGraceMs)])) === 'done') return;
      const stuck = await pool.findUnresponsiveThreads(PROBE_WINDOW_MS);
      if ((await Promise.race([done, sleep(0)])) === 'done') return;
      // The culprit slot names the script spinning on each stuck thread; the engine blames
      // it and re-runs or reports the others when piscina fails their tasks.
      const doomed = stuck.filter(({ culprit }) => judge(culprit) === 'kill');
      for (const thread of doomed) onTerminate(thread);
      await Promise.all(doomed.map(({ threadId }) => pool.terminateThread(threadId)));
    }
  };

  return {
    stop(executionId, reason, running) {
      const task = enforce(executionId, reason, running);
      inProgress.add(task);
      void task.finally(() => inProgress.delete(task));
    },
    async idle() {
      while (inProgress.size > 0) await Promise.allSettled([...inProgress]);
    },
  };
}
