import { describe, expect, it } from 'vitest';
import { HEAP_READ_INTERVAL_MS, MAX_CALLS_PER_CLOCK_READ, SLOW_STRETCH_MS, createCheckpoint, type Checkpoint } from '../../src/worker/checkpoint.js';

/** A clock the test moves by hand, counting how often it is read. */
function createClock(start = 0): { now: () => number; advance: (ms: number) => void; readonly reads: number } {
  let time = start;
  let reads = 0;
  return {
    now: () => {
      reads++;
      return time;
    },
    advance: (ms) => {
      time += ms;
    },
    get reads() {
      return reads;
    },
  };
}

/** Calls `fn` until it throws or `limit` calls are made; returns the calls made and what it threw. */
function callUntilThrow(fn: () => void, limit: number): { calls: number; thrown: unknown } {
  for (let calls = 1; calls <= limit; calls++) {
    try {
      fn();
    } catch (thrown) {
      return { calls, thrown };
    }
  }
  return { calls: limit, thrown: undefined };
}

describe('the checkpoint', () => {
  it('never throws before the deadline', () => {
    const clock = createClock();
    const checkpoint = createCheckpoint({ deadline: 1_000, now: clock.now });
    for (let i = 0; i < 100_000; i++) {
      checkpoint.fn();
      if (i % 100 === 0) clock.advance(0.5);
    }
    expect(checkpoint.stopReason()).toBeUndefined();
  });

  it('throws within one clock-read interval of the deadline in a fast loop', () => {
    const clock = createClock();
    const checkpoint = createCheckpoint({ deadline: 10, now: clock.now });
    for (let i = 0; i < 10_000; i++) checkpoint.fn();
    clock.advance(10);
    const { calls, thrown } = callUntilThrow(checkpoint.fn, 10 * MAX_CALLS_PER_CLOCK_READ);
    expect(thrown).toBeInstanceOf(Error);
    expect(calls).toBeLessThanOrEqual(MAX_CALLS_PER_CLOCK_READ);
    expect(checkpoint.stopReason()).toBe('timeout');
  });

  it('keeps throwing on every later call, so catching the signal does not help', () => {
    const clock = createClock();
    const checkpoint = createCheckpoint({ deadline: 5, now: clock.now });
    clock.advance(5);
    const first = callUntilThrow(checkpoint.fn, 10).thrown;
    expect(first).toBeInstanceOf(Error);
    for (let i = 0; i < 5_000; i++) expect(callUntilThrow(checkpoint.fn, 1).thrown).toBe(first);
  });

  it('throws one frozen Error per run', () => {
    const clock = createClock();
    const checkpoint = createCheckpoint({ deadline: 0, now: clock.now });
    const { thrown } = callUntilThrow(checkpoint.fn, 1);
    expect(thrown).toBeInstanceOf(Error);
    expect(Object.isFrozen(thrown)).toBe(true);
    expect(Object.isFrozen(checkpoint.fn)).toBe(true);
    const other = createCheckpoint({ deadline: 0, now: clock.now });
    expect(callUntilThrow(other.fn, 1).thrown).not.toBe(thrown);
  });

  it('reads the clock about once per MAX_CALLS_PER_CLOCK_READ calls in a fast loop', () => {
    const clock = createClock();
    const checkpoint = createCheckpoint({ deadline: 1_000, now: clock.now });
    const calls = 1_000_000;
    for (let i = 0; i < calls; i++) checkpoint.fn();
    expect(clock.reads).toBeLessThan(calls / MAX_CALLS_PER_CLOCK_READ + 20);
  });

  it('reads the clock on every call once calls are slow, so a heavy loop stops within one iteration', () => {
    const clock = createClock();
    const checkpoint = createCheckpoint({ deadline: 1_000_000, now: clock.now });
    for (let i = 0; i < 20_000; i++) checkpoint.fn();
    // Each iteration now does heavy builtin work between two checkpoint calls: the budget
    // left from the fast phase (at most MAX_CALLS_PER_CLOCK_READ calls) runs out first, then
    // every call reads the clock.
    const heavy = (): void => {
      clock.advance(SLOW_STRETCH_MS * 2);
      checkpoint.fn();
    };
    for (let i = 0; i < MAX_CALLS_PER_CLOCK_READ; i++) heavy();
    const readsBefore = clock.reads;
    for (let i = 0; i < 50; i++) heavy();
    expect(clock.reads - readsBefore).toBe(50);
  });

  it('stops at once when stopped from the main side, with the first reason', () => {
    const clock = createClock();
    const checkpoint = createCheckpoint({ deadline: 1_000, now: clock.now });
    for (let i = 0; i < 10_000; i++) checkpoint.fn();
    checkpoint.stop('aborted');
    checkpoint.stop('timeout');
    expect(callUntilThrow(checkpoint.fn, 1).thrown).toBeInstanceOf(Error);
    expect(checkpoint.stopReason()).toBe('aborted');
  });

  it('reports a run past its deadline as timed out even if no checkpoint noticed', () => {
    const clock = createClock();
    const checkpoint = createCheckpoint({ deadline: 50, now: clock.now });
    expect(checkpoint.stopReason()).toBeUndefined();
    clock.advance(50);
    expect(checkpoint.stopReason()).toBe('timeout');
    expect(callUntilThrow(checkpoint.fn, 1).thrown).toBeInstanceOf(Error);
  });
});

/** One checkpoint as the prepared code writes it: `if (--n < 0) n = refill();`. */
function createSite(checkpoint: Checkpoint): () => void {
  let n = 0;
  return () => {
    if (--n < 0) n = checkpoint.refill();
  };
}

describe('the refill the prepared code calls', () => {
  it('returns counts that double up to MAX_CALLS_PER_CLOCK_READ - 1 while stretches are short', () => {
    const clock = createClock();
    const checkpoint = createCheckpoint({ deadline: 1_000, now: clock.now });
    const counts = Array.from({ length: 16 }, () => checkpoint.refill());
    expect(counts.slice(0, 4)).toEqual([1, 3, 7, 15]);
    expect(counts.at(-1)).toBe(MAX_CALLS_PER_CLOCK_READ - 1);
    clock.advance(SLOW_STRETCH_MS * 2);
    expect(checkpoint.refill()).toBe(0);
  });

  it('stops a counting loop within MAX_CALLS_PER_CLOCK_READ checkpoints of its deadline, then at every checkpoint', () => {
    const clock = createClock();
    const checkpoint = createCheckpoint({ deadline: 10, now: clock.now });
    const site = createSite(checkpoint);
    for (let i = 0; i < 100_000; i++) site();
    clock.advance(10);
    const { calls, thrown } = callUntilThrow(site, 10 * MAX_CALLS_PER_CLOCK_READ);
    expect(thrown).toBeInstanceOf(Error);
    expect(calls).toBeLessThanOrEqual(MAX_CALLS_PER_CLOCK_READ);
    for (let i = 0; i < 100; i++) expect(callUntilThrow(site, 1).thrown).toBe(thrown);
  });

  it('stops a counting loop stopped from the main side at its next refill', () => {
    const clock = createClock();
    const checkpoint = createCheckpoint({ deadline: 1_000, now: clock.now });
    const site = createSite(checkpoint);
    for (let i = 0; i < 100_000; i++) site();
    checkpoint.stop('aborted');
    expect(callUntilThrow(site, 10 * MAX_CALLS_PER_CLOCK_READ).calls).toBeLessThanOrEqual(MAX_CALLS_PER_CLOCK_READ);
    expect(checkpoint.stopReason()).toBe('aborted');
  });

  it('reads the heap at most every HEAP_READ_INTERVAL_MS while it does not grow, and at every refill while it grows', () => {
    const clock = createClock();
    let verdict: 'ok' | 'growing' | 'stop' = 'ok';
    let reads = 0;
    const checkpoint = createCheckpoint({ deadline: 1_000, now: clock.now, readHeap: () => (reads++, verdict) });
    for (let i = 0; i < 100; i++) checkpoint.refill();
    expect(reads).toBe(1);
    clock.advance(HEAP_READ_INTERVAL_MS);
    checkpoint.refill();
    expect(reads).toBe(2);
    verdict = 'growing';
    clock.advance(HEAP_READ_INTERVAL_MS);
    expect(checkpoint.refill()).toBe(0);
    for (let i = 0; i < 10; i++) expect(checkpoint.refill()).toBe(0);
    expect(reads).toBe(13);
    verdict = 'stop';
    expect(() => checkpoint.refill()).toThrow(Error);
    expect(checkpoint.stopReason()).toBe('memory');
  });
});
