// Owns what the scheduler sees of a pool, whichever implementation runs it: threads in this
// process (script-pool.ts) or threads in a supervised child process (process-pool.ts).
// Everything a pool reports crosses a process boundary, so it is plain data or built from it.

import type { CallReply, MainMessage, RunOutcome, RunTask, WorkerMessage } from '../protocol.js';

/** How the pool is sized. */
export interface ScriptPoolOptions {
  threads: number;
  /** Scripts run at once on one thread (piscina's concurrentTasksPerWorker). */
  scriptsPerThread: number;
  /** Heap limit of each worker thread (old generation), in MB. */
  memoryLimitMb?: number;
}

/** A thread that missed a liveness ping, and the slot of the script it was running then (0 if none). */
export interface StuckThread {
  threadId: number;
  culprit: number;
}

/**
 * Why a task ended without an outcome:
 * - `out-of-memory`: its thread, or the whole pool process, ran out of memory;
 * - `thread-ended`: its thread was terminated or died;
 * - `process-ended`: the pool process died for another reason;
 * - `unavailable`: starts of the pool process keep failing (retried in the background), or
 *   the pool was destroyed.
 */
export type LossReason = 'out-of-memory' | 'thread-ended' | 'process-ended' | 'unavailable';

/** Plain-data description of a lost task. */
export interface TaskLoss {
  reason: LossReason;
  /**
   * Whether this task's script was running when the thread or process died: `yes` when
   * known exactly (a thread's culprit slot, or the only script holding a CPU in the pool
   * process), `maybe` when it was one of several scripts busy at that moment.
   */
  running: 'yes' | 'maybe' | 'no';
  detail: string;
}

/** The rejection of `ScriptPool.run` when the task's thread or process went away. */
export class TaskLostError extends Error {
  readonly loss: TaskLoss;
  constructor(loss: TaskLoss, options?: { cause?: unknown }) {
    super(loss.detail, options);
    this.name = 'TaskLostError';
    this.loss = loss;
  }
}

/** The loss a pool's rejection describes; anything but a TaskLostError counts as a dead thread. */
export function lossOf(error: unknown): TaskLoss {
  return error instanceof TaskLostError ? error.loss : { reason: 'thread-ended', running: 'no', detail: 'the worker thread ended' };
}

/** The main side's handle on one worker thread's port. */
export interface PortLink {
  readonly threadId: number;
  /** Queues a call reply; replies queued in one turn travel in one message. */
  reply(reply: CallReply): void;
  /** Posts a control message at once. */
  send(message: MainMessage): void;
  close(): void;
}

/**
 * Lifecycle of the pool, for the engine's events. Plain data: the pool process relays its
 * threads' events to the host over its channel.
 */
export type PoolEvent =
  /** A pool process is ready; `previousPid` names the dead one it replaces, if any. */
  | { type: 'process-started'; pid: number; previousPid: number | undefined; replacing: boolean }
  | { type: 'process-died'; pid: number | undefined; cause: 'out-of-memory' | 'signal' | 'exit-code' | 'failed-start'; signal: string | undefined; exitCode: number | undefined; lostTasks: number }
  /** A thread ended and its replacement said hello. */
  | { type: 'thread-replaced'; threadId: number; previousThreadId: number; cause: 'terminated' | 'died' }
  | { type: 'runaway-terminated'; threadId: number; executionId: string | undefined };

export type PoolEventHandler = (event: PoolEvent) => void;

/** Receives every message a worker sends on its port, with the link to answer on. */
export type WorkerMessageHandler = (message: WorkerMessage, link: PortLink) => void;

export interface ScriptPool {
  /** Most tasks in flight at once: threads x scriptsPerThread. */
  readonly capacity: number;
  /** Runs a task; rejects only with TaskLostError, when the thread running it died. */
  run(task: RunTask): Promise<RunOutcome>;
  /** Posts a control message to every thread (a cancel reaches the one running the script). */
  broadcast(message: MainMessage): void;
  /**
   * Threads that do not answer a ping within `windowMs` (stuck in a loop), each with the
   * script it is running. Until such a thread answers again, no new script is placed on it.
   */
  findUnresponsiveThreads(windowMs: number): Promise<StuckThread[]>;
  /** Terminates a thread; its tasks fail with TaskLostError and a replacement starts. */
  terminateThread(threadId: number): Promise<void>;
  /**
   * True while a liveness probe is unresolved (placing a script now could put it on a
   * thread about to be terminated), or while the pool process (re)starts. Not once its starts
   * have failed several times in a row: runs then reject as `unavailable` instead of waiting.
   */
  readonly placementPaused: boolean;
  /** Called whenever placement resumes. */
  onPlacementResumed(listener: () => void): void;
  /**
   * Stops every thread. Bounded: threads that do not exit in time are left to end on
   * their own, and with `force` a pool process that does not exit at once is killed.
   */
  destroy(options?: { force?: boolean }): Promise<void>;
}
