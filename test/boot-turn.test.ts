import { availableParallelism } from 'node:os';
import { describe, expect, it } from 'vitest';
import { bootTurnHolders, bootTurnOf, createBootTurn, reclaimBootTurn, releaseBootTurn, takeBootTurn } from '../src/boot-turn.js';

describe('boot turns', () => {
  it('gives a free turn at once, and marks who holds it', async () => {
    const turn = createBootTurn(1);
    await takeBootTurn(turn, 7);
    expect(bootTurnHolders(turn)).toEqual([7]);
    releaseBootTurn(turn, 7);
    expect(bootTurnHolders(turn)).toEqual([]);
  });

  it('lets a second thread in only once the holder gives the turn back', async () => {
    const turn = createBootTurn(1);
    await takeBootTurn(turn, 1);
    let taken = false;
    const second = takeBootTurn(turn, 2, 10_000).then(() => (taken = true));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(taken).toBe(false);
    releaseBootTurn(turn, 1);
    await second;
    expect(bootTurnHolders(turn)).toEqual([2]);
  });

  it('lets as many threads boot at once as it has slots, and the next one wait', async () => {
    const turn = createBootTurn(2);
    await takeBootTurn(turn, 1);
    await takeBootTurn(turn, 2);
    let taken = false;
    const third = takeBootTurn(turn, 3, 10_000).then(() => (taken = true));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(taken).toBe(false);
    releaseBootTurn(turn, 2);
    await third;
    expect(bootTurnHolders(turn).sort()).toEqual([1, 3]);
  });

  it('has one slot fewer than the cores, and at least one', () => {
    expect(bootTurnHolders(createBootTurn())).toEqual([]);
    expect(createBootTurn().length - 1).toBe(Math.max(1, availableParallelism() - 1));
  });

  it('ignores a release by a thread that does not hold a turn', async () => {
    const turn = createBootTurn(1);
    await takeBootTurn(turn, 1);
    releaseBootTurn(turn, 2);
    expect(bootTurnHolders(turn)).toEqual([1]);
  });

  it('is taken back from a holder that is no longer live, and the next waiter gets it', async () => {
    const turn = createBootTurn(1);
    await takeBootTurn(turn, 1);
    const second = takeBootTurn(turn, 2, 10_000);
    reclaimBootTurn(turn, (threadId) => threadId !== 1);
    await second;
    expect(bootTurnHolders(turn)).toEqual([2]);
    reclaimBootTurn(turn, (threadId) => threadId === 2);
    expect(bootTurnHolders(turn)).toEqual([2]);
  });

  it('stops waiting after its bound, without taking the turn from its holder', async () => {
    const turn = createBootTurn(1);
    await takeBootTurn(turn, 1);
    await takeBootTurn(turn, 2, 30);
    expect(bootTurnHolders(turn)).toEqual([1]);
  });

  it('reads the turns from a thread\'s workerData, and none from anything else', () => {
    const turn = createBootTurn(1);
    const read = bootTurnOf({ bootTurn: turn.buffer });
    Atomics.store(turn, 1, 5);
    expect(read === undefined ? undefined : bootTurnHolders(read)).toEqual([5]);
    for (const data of [undefined, null, {}, { bootTurn: new ArrayBuffer(8) }, { bootTurn: new SharedArrayBuffer(4) }, { dist: '/x' }]) expect(bootTurnOf(data)).toBeUndefined();
  });
});
