// Owns the checkpoint of one script run: the function validation calls at the head of every
// loop and function body. It throws once the run is past its deadline or stopped, and keeps
// throwing, so a runaway script stops itself without its thread being terminated.

import { performance } from 'node:perf_hooks';
import type { HeapVerdict } from './heap-meter.js';

/** Why a run was stopped; maps onto the cancel reasons of the protocol. */
export type StopReason = 'timeout' | 'aborted' | 'ended' | 'memory';

/** The checkpoint of one run. */
export interface Checkpoint {
  /** The function endowed to the script (frozen). Throws `signal` once the run is stopped. */
  readonly fn: () => void;
  /** Stops the run: every later call of `fn` throws. The first reason wins. */
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
  /** Reads the thread's heap for this run at every clock read (see heap-meter.ts). */
  readHeap?: () => HeapVerdict;
}

/**
 * Most calls between two clock reads. A tight loop calls the checkpoint about once per
 * nanosecond or two; reading the clock costs ~30-50 ns, so 1,024 keeps that under 1% of
 * the loop while a runaway is noticed within a few microseconds of its deadline.
 */
export const MAX_CALLS_PER_CLOCK_READ = 1024;

/**
 * Calls between clock reads shrink back to one when a stretch between two reads took longer
 * than this: a loop whose every iteration does heavy builtin work (a big `sort`, `indexOf`)
 * is then checked every iteration, so it stops within about one iteration of its deadline.
 */
export const SLOW_STRETCH_MS = 1;

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
  let callsLeft = 1;
  let lastRead = now();

  // SECURITY: "Anything thrown into a script is a fresh plain error": made lazily, once per
  // run, frozen, recognised by identity only. A script that catches it learns that it was
  // stopped and can do nothing with it that it could not do with any frozen error.
  const stopSignal = (): Error => (signal ??= Object.freeze(new Error(MESSAGES[reason ?? 'ended'])));

  // Once stopped, `callsLeft` stays at or below zero: every call takes the slow path.
  const halt = (stopReason: StopReason): void => {
    reason ??= stopReason;
    callsLeft = 0;
  };

  // SECURITY: "A script that exhausts its memory fails alone": the heap is read with the
  // clock, and a loop growing it fast reads it at every call, so a structure that grows by
  // doubling is stopped before the thread's hard limit, where V8 may abort the process.
  const readClock = (): void => {
    const time = now();
    if (time >= deadline) return halt('timeout');
    const heap = readHeap?.() ?? 'ok';
    if (heap === 'stop') return halt('memory');
    callsPerRead = heap === 'growing' || time - lastRead > SLOW_STRETCH_MS ? 1 : Math.min(callsPerRead * 2, MAX_CALLS_PER_CLOCK_READ);
    callsLeft = callsPerRead;
    lastRead = time;
  };

  // Off the hot path: a clock read, or the throw of a stopped run.
  const checkSlowly = (): void => {
    if (reason === undefined) readClock();
    if (reason === undefined) return;
    callsLeft = 0;
    throw stopSignal();
  };

  // SECURITY: "A runaway script stops itself at its time limit": once stopped, every call
  // throws, so catching the signal only reaches the next loop head or function entry,
  // which throws again.
  const checkpoint = (): void => {
    if (--callsLeft > 0) return;
    checkSlowly();
  };

  return {
    fn: Object.freeze(checkpoint),
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
