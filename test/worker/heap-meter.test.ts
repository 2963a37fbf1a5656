import { describe, expect, it } from 'vitest';
import { BLAME_SHARE, FAST_GROWTH_BYTES, createHeapMeter } from '../../src/worker/heap-meter.js';

const MB = 2 ** 20;
const LIMIT = 64 * MB;

/** A fake thread heap: live bytes per run, plus garbage until a collection. */
function createHeap() {
  const live = new Map<number, number>();
  let garbage = 0;
  let collections = 0;
  const used = () => [...live.values()].reduce((sum, bytes) => sum + bytes, 0) + garbage;
  return {
    keep(slot: number, bytes: number) {
      live.set(slot, (live.get(slot) ?? 0) + bytes);
    },
    drop(bytes: number) {
      garbage += bytes;
    },
    free(slot: number) {
      live.delete(slot);
    },
    get collections() {
      return collections;
    },
    options: { readUsedBytes: used, collect: () => { garbage = 0; collections++; } },
  };
}

function createSubject() {
  const heap = createHeap();
  const meter = createHeapMeter(heap.options);
  meter.configure(LIMIT);
  const blamed: number[] = [];
  for (const slot of [1, 2, 3]) meter.open(slot, () => blamed.push(slot));
  return { heap, meter, blamed };
}

describe('createHeapMeter', () => {
  it('neither collects nor blames while the heap is under the limit', () => {
    const { heap, meter, blamed } = createSubject();
    meter.enter(1);
    heap.keep(1, 60 * MB);
    expect(meter.check(1)).toBe('growing');
    expect(meter.check(1)).toBe('ok');
    expect(heap.collections).toBe(0);
    expect(blamed).toEqual([]);
  });

  it('stops the run that grew the heap past the limit, at its own checkpoint', () => {
    const { heap, meter, blamed } = createSubject();
    meter.enter(2);
    heap.keep(2, 10 * MB);
    meter.check(2);
    meter.enter(1);
    heap.keep(1, 60 * MB);
    expect(meter.check(1)).toBe('stop');
    expect(blamed).toEqual([1]);
  });

  // Growth is charged to whoever was running since the last reading: a run that checks
  // right after another run grew the heap is not the one blamed.
  it('blames the run that grew the heap, not the one whose checkpoint noticed', () => {
    const { heap, meter, blamed } = createSubject();
    meter.enter(1);
    heap.keep(1, 70 * MB);
    meter.enter(2);
    expect(meter.check(2)).not.toBe('stop');
    expect(blamed).toEqual([1]);
  });

  it('blames no one when a collection brings the heap back under the limit, and waits for real growth before collecting again', () => {
    const { heap, meter, blamed } = createSubject();
    meter.enter(1);
    heap.keep(1, 60 * MB);
    heap.drop(10 * MB);
    expect(meter.check(1)).not.toBe('stop');
    expect(heap.collections).toBe(1);
    // Over the limit again, by less than a quarter of it past the last collection.
    heap.drop(8 * MB);
    meter.check(1);
    expect(heap.collections).toBe(1);
    heap.drop(10 * MB);
    meter.check(1);
    expect(heap.collections).toBe(2);
    expect(blamed).toEqual([]);
  });

  it('blames no one when no run grew the heap by a large share of the limit itself', () => {
    const { heap, meter, blamed } = createSubject();
    for (const slot of [1, 2, 3]) {
      meter.enter(slot);
      heap.keep(slot, 25 * MB);
      meter.check(slot);
    }
    expect(25 * MB).toBeLessThan(LIMIT * BLAME_SHARE);
    expect(heap.collections).toBe(1);
    expect(blamed).toEqual([]);
  });

  it('blames one run at a time: no one else until the blamed run has closed', () => {
    const { heap, meter, blamed } = createSubject();
    meter.enter(1);
    heap.keep(1, 70 * MB);
    expect(meter.check(1)).toBe('stop');
    meter.enter(2);
    heap.keep(2, 40 * MB);
    expect(meter.check(2)).not.toBe('stop');
    meter.close(1);
    heap.free(1);
    heap.keep(2, 30 * MB);
    expect(meter.check(2)).toBe('stop');
    expect(blamed).toEqual([1, 2]);
  });

  it('tells a checkpoint to read at every call while the heap grows fast', () => {
    const { heap, meter } = createSubject();
    meter.enter(1);
    heap.keep(1, FAST_GROWTH_BYTES + 1);
    expect(meter.check(1)).toBe('growing');
    heap.keep(1, 1024);
    expect(meter.check(1)).toBe('ok');
  });
});
