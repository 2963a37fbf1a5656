import type { ScriptPool } from '../../src/pool/index.js';
import type { RunOutcome, RunTask } from '../../src/protocol.js';

/** A pool whose runs the test settles by hand; no threads. */
export function createFakePool() {
  const runs: Array<{ task: RunTask; reject: (error: Error) => void; resolve: (outcome: RunOutcome) => void }> = [];
  let resumed: () => void = () => {};
  const pool = {
    capacity: 8,
    placementPaused: false,
    run: (task: RunTask) => new Promise<RunOutcome>((resolve, reject) => runs.push({ task: { ...task }, resolve, reject })),
    broadcast: () => {},
    findUnresponsiveThreads: async () => [],
    terminateThread: async () => {},
    onPlacementResumed: (listener: () => void) => (resumed = listener),
    destroy: async () => {},
  };
  return { pool: pool as typeof pool & ScriptPool, runs, resume: () => resumed() };
}

/** One turn of the event loop: lets rejected runs reach the scheduler. */
export const settle = () => new Promise((resolve) => setImmediate(resolve));

/** A task with nothing in it, for an execution id. */
export const emptyTask = (executionId: string) => ({ executionId, slot: 0, code: '', contextJson: undefined, setup: '', deadlineAt: 0, streamOutput: false }) as unknown as RunTask;
