import { describe, expect, it } from 'vitest';
import { BLAME_SHARE, FAST_GROWTH_BYTES, RECOLLECT_SHARE, createHeapMeter } from '../../src/worker/heap-meter.js';

const MB = 2 ** 20;
const LIMIT = 64 * MB;

/** A fake thread heap: bytes held, plus garbage until a collection. */
function createSubject() {
  let held = 0;
  let garbage = 0;
  let collections = 0;
  const meter = createHeapMeter({ readUsedBytes: () => held + garbage, collect: () => { garbage = 0; collections++; } });
  meter.configure(LIMIT);
  return {
    meter,
    keep: (bytes: number) => (held += bytes),
    drop: (bytes: number) => (garbage += bytes),
    /** V8 collects on its own, between two readings. */
    collectUnseen: () => (garbage = 0),
    collections: () => collections,
  };
}

describe('createHeapMeter', () => {
  it('neither collects nor stops while the heap is under the limit', () => {
    const heap = createSubject();
    heap.meter.enter(1);
    heap.keep(60 * MB);
    expect(heap.meter.check(1)).toBe('growing');
    expect(heap.meter.check(1)).toBe('ok');
    expect(heap.collections()).toBe(0);
  });

  it('stops the run that grew the heap past the limit within its own stretch', () => {
    const heap = createSubject();
    heap.meter.enter(2);
    heap.keep(10 * MB);
    heap.meter.enter(1);
    heap.keep(60 * MB);
    expect(heap.meter.check(1)).toBe('stop');
  });

  // What another script allocated (or a tool reply deserialized before the switch) is not
  // in the stretch of the run whose checkpoint notices the heap is past the limit.
  it('does not stop a run for memory another run allocated', () => {
    const heap = createSubject();
    heap.meter.enter(1);
    heap.keep(70 * MB);
    heap.meter.enter(2);
    heap.keep(1 * MB);
    expect(heap.meter.check(2)).not.toBe('stop');
  });

  it('stops a growing run even while another run holds most of the limit', () => {
    const heap = createSubject();
    heap.meter.enter(1);
    heap.keep(40 * MB);
    expect(heap.meter.check(1)).not.toBe('stop');
    heap.meter.enter(2);
    heap.keep(20 * MB);
    expect(heap.meter.check(2)).toBe('growing');
    heap.keep(20 * MB);
    expect(heap.meter.check(2)).toBe('stop');
  });

  it('keeps the stretch of a run across its own turns, and starts a new one when another run came between', () => {
    const heap = createSubject();
    heap.meter.enter(1);
    heap.keep(40 * MB);
    heap.meter.enter(1);
    heap.keep(30 * MB);
    expect(heap.meter.check(1)).toBe('stop');
    const other = createSubject();
    other.meter.enter(1);
    other.keep(40 * MB);
    other.meter.enter(2);
    other.meter.enter(1);
    other.keep(30 * MB);
    expect(other.meter.check(1)).not.toBe('stop');
  });

  it('does not stop a run whose growth was garbage, and collects again only after more growth', () => {
    const heap = createSubject();
    heap.meter.enter(1);
    heap.keep(40 * MB);
    heap.meter.enter(2);
    // Holds 30 MB (under its share) and churns: over the limit, the growth is garbage.
    heap.keep(30 * MB);
    heap.drop(10 * MB);
    expect(heap.meter.check(2)).not.toBe('stop');
    expect(heap.collections()).toBe(1);
    heap.drop(RECOLLECT_SHARE * LIMIT - MB);
    expect(heap.meter.check(2)).not.toBe('stop');
    expect(heap.collections()).toBe(1);
    heap.drop(2 * MB);
    expect(heap.meter.check(2)).not.toBe('stop');
    expect(heap.collections()).toBe(2);
  });

  it('does not stop a run that grew the heap by less than its share of the limit', () => {
    const heap = createSubject();
    heap.meter.enter(1);
    heap.keep(50 * MB);
    heap.meter.enter(2);
    heap.keep(BLAME_SHARE * LIMIT - MB);
    expect(heap.meter.check(2)).not.toBe('stop');
  });

  it('tells a checkpoint to read at every call while the heap grows fast', () => {
    const heap = createSubject();
    heap.meter.enter(1);
    heap.keep(FAST_GROWTH_BYTES + 1);
    expect(heap.meter.check(1)).toBe('growing');
    heap.keep(1024);
    expect(heap.meter.check(1)).toBe('ok');
  });
  // Issue 15: a run stopped for memory leaves its garbage behind; the next run's stretch
  // starts with it in its first reading.
  it('measures a stretch from its lowest reading, so garbage of an earlier run collected meanwhile hides none of its growth', () => {
    const heap = createSubject();
    heap.meter.enter(1);
    heap.drop(100 * MB);
    heap.meter.enter(2);
    heap.collectUnseen();
    expect(heap.meter.check(2)).toBe('ok');
    heap.keep(70 * MB);
    expect(heap.meter.check(2)).toBe('stop');
  });

  it('collects garbage an earlier run left once the heap passes the limit, then stops the run that grew it', () => {
    const heap = createSubject();
    heap.meter.enter(1);
    heap.drop(100 * MB);
    heap.meter.enter(2);
    // Past the limit, but this stretch grew it by less than its share: only a collection
    // shows the 100 MB were garbage.
    heap.keep(20 * MB);
    expect(heap.meter.check(2)).not.toBe('stop');
    expect(heap.collections()).toBe(1);
    heap.keep(50 * MB);
    expect(heap.meter.check(2)).toBe('stop');
  });
});
