// Owns the checkpoint of one script run: the function validation calls at the head of every
// loop and function body. It throws once the run is past its deadline or stopped, and keeps
// throwing, so a runaway script stops itself without its thread being terminated.

import { performance } from 'node:perf_hooks';
import type { HeapVerdict } from './heap-meter.js';

/** Why a run was stopped; maps onto the cancel reasons of the protocol. */
export type StopReason = 'timeout' | 'aborted' | 'ended' | 'memory';

/** The checkpoint of one run. */
export interface Checkpoint {
  /**
   * The function endowed to the script as `__tw_checkpoint` (frozen, behind a Proxy so the
   * optimizer never inlines it into a loop: endowments.ts), called by the prepared code when
   * its own counter runs out (src/validate/insert-checkpoints.ts). Reads
   * the clock (and the heap meter), then returns how many checkpoints may pass before the
   * next call; throws the stop signal once the run is stopped, on this and every later call.
   */
  readonly refill: () => number;
  /**
   * A counted checkpoint for the engine's own loops run for the script (structuredClone):
   * the same budget as the script's, one unit per call. Throws as `refill` does.
   */
  readonly fn: () => void;
  /**
   * Stops the run: the next `refill` throws, and so does every later one. The script
   * notices at its next refill, at most one batch of checkpoints later (see
   * MAX_CALLS_PER_CLOCK_READ). The first reason wins.
   */
  stop(reason: StopReason): void;
  /**
   * Why the run is stopped, reading the clock first: a run past its deadline is stopped
   * with 'timeout' even if no checkpoint noticed. Undefined while the run may go on.
   */
  stopReason(): StopReason | undefined;
  /**
   * Moves the deadline later (the host paused the time limit while a call waited for
   * approval). A run already stopped stays stopped.
   */
  extendDeadline(deadline: number): void;
}

/** What a checkpoint needs to know; `now` is injectable for tests. */
export interface CheckpointOptions {
  /** `now()` value past which the run is out of time. */
  deadline: number;
  /** Monotonic milliseconds. @default performance.now */
  now?: () => number;
  /** Reads the thread's heap for this run (see heap-meter.ts), at most every HEAP_READ_INTERVAL_MS while it does not grow. */
  readHeap?: () => HeapVerdict;
}

/**
 * Most checkpoints between two clock reads. A tight loop passes a checkpoint about once per
 * nanosecond or two, and a clock read (a call and `performance.now()`) costs ~50-100 ns, so
 * 1,024 keeps reads to a few percent of the loop while a runaway is noticed within microseconds of
 * its deadline. The batch doubles from 1 at each read while stretches stay short.
 */
export const MAX_CALLS_PER_CLOCK_READ = 1024;

/**
 * Calls between clock reads shrink back to one when a stretch between two reads took longer
 * than this: a loop whose every iteration does heavy builtin work (a big `sort`, `indexOf`)
 * is then checked every iteration, so it stops within about one iteration of its deadline.
 */
export const SLOW_STRETCH_MS = 1;

/**
 * Time between two heap readings at clock reads while the heap does not grow fast. A heap
 * reading (`v8.getHeapStatistics()`) costs about 10x a clock read; at every clock read it
 * would double a tight loop. While the heap grows fast, every clock read reads it too.
 */
export const HEAP_READ_INTERVAL_MS = 0.25;

const MESSAGES: Readonly<Record<StopReason, string>> = {
  timeout: 'the execution ran out of time',
  aborted: 'the execution was stopped',
  ended: 'the execution has ended',
  memory: 'the execution ran out of memory',
};

/** Creates the checkpoint of one run. */
export function createCheckpoint(options: CheckpointOptions): Checkpoint {
  const { readHeap } = options;
  let { deadline } = options;
  const now = options.now ?? (() => performance.now());
  let reason: StopReason | undefined;
  let signal: Error | undefined;
  let callsPerRead = 1;
  let lastRead = now();
  let lastHeapRead = Number.NEGATIVE_INFINITY;
  let growing = false;
  // The engine's own counter (fn), the twin of the script's: negative means "refill now".
  let left = -1;

  // SECURITY: "Anything thrown into a script is a fresh plain error": made lazily, once per
  // run, frozen, recognised by identity only. A script that catches it learns that it was
  // stopped and can do nothing with it that it could not do with any frozen error.
  const stopSignal = (): Error => (signal ??= Object.freeze(new Error(MESSAGES[reason ?? 'ended'])));

  const halt = (stopReason: StopReason): void => {
    reason ??= stopReason;
    left = -1;
  };

  // SECURITY: "A script that exhausts its memory fails alone": the heap is read with the
  // clock (at most every HEAP_READ_INTERVAL_MS), and at every clock read while it grows
  // fast, when the batch is one checkpoint: a structure that grows by doubling is stopped
  // before the thread's hard limit, where V8 may abort the process.
  const readClock = (): void => {
    const time = now();
    if (time >= deadline) return halt('timeout');
    let heap: HeapVerdict = 'ok';
    if (readHeap !== undefined && (growing || time - lastHeapRead >= HEAP_READ_INTERVAL_MS)) {
      heap = readHeap();
      lastHeapRead = time;
      if (heap === 'stop') return halt('memory');
    }
    growing = heap === 'growing';
    callsPerRead = growing || time - lastRead > SLOW_STRETCH_MS ? 1 : Math.min(callsPerRead * 2, MAX_CALLS_PER_CLOCK_READ);
    lastRead = time;
  };

  // SECURITY: "A runaway script stops itself at its time limit": once stopped, every call
  // throws, and the script's counter stays negative (the assignment of the next count never
  // happens), so catching the signal only reaches the next loop head or function entry,
  // which calls again and throws again.
  const refill = (): number => {
    if (reason === undefined) readClock();
    if (reason !== undefined) throw stopSignal();
    return callsPerRead - 1;
  };

  const fn = (): void => {
    if (--left < 0) left = refill();
  };

  return {
    refill: Object.freeze(refill),
    fn: Object.freeze(fn),
    stop: halt,
    stopReason() {
      if (reason === undefined && now() >= deadline) halt('timeout');
      return reason;
    },
    extendDeadline(later) {
      if (reason === undefined) deadline = Math.max(deadline, later);
    },
  };
}
