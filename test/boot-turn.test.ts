import { describe, expect, it } from 'vitest';
import { bootTurnOf, createBootTurn, reclaimBootTurn, releaseBootTurn, takeBootTurn } from '../src/boot-turn.js';

describe('boot turns', () => {
  it('gives a free turn at once, and marks who holds it', async () => {
    const turn = createBootTurn();
    await takeBootTurn(turn, 7);
    expect(Atomics.load(turn, 0)).toBe(7);
    releaseBootTurn(turn, 7);
    expect(Atomics.load(turn, 0)).toBe(0);
  });

  it('lets a second thread in only once the holder gives the turn back', async () => {
    const turn = createBootTurn();
    await takeBootTurn(turn, 1);
    let taken = false;
    const second = takeBootTurn(turn, 2, 10_000).then(() => (taken = true));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(taken).toBe(false);
    releaseBootTurn(turn, 1);
    await second;
    expect(Atomics.load(turn, 0)).toBe(2);
  });

  it('ignores a release by a thread that does not hold the turn', async () => {
    const turn = createBootTurn();
    await takeBootTurn(turn, 1);
    releaseBootTurn(turn, 2);
    expect(Atomics.load(turn, 0)).toBe(1);
  });

  it('is taken back from a holder that is no longer live, and the next waiter gets it', async () => {
    const turn = createBootTurn();
    await takeBootTurn(turn, 1);
    const second = takeBootTurn(turn, 2, 10_000);
    reclaimBootTurn(turn, (threadId) => threadId !== 1);
    await second;
    expect(Atomics.load(turn, 0)).toBe(2);
    reclaimBootTurn(turn, (threadId) => threadId === 2);
    expect(Atomics.load(turn, 0)).toBe(2);
  });

  it('stops waiting after its bound, without taking the turn from its holder', async () => {
    const turn = createBootTurn();
    await takeBootTurn(turn, 1);
    await takeBootTurn(turn, 2, 30);
    expect(Atomics.load(turn, 0)).toBe(1);
  });

  it('reads the turn from a thread\'s workerData, and none from anything else', () => {
    const turn = createBootTurn();
    const read = bootTurnOf({ bootTurn: turn.buffer });
    Atomics.store(turn, 0, 5);
    expect(read === undefined ? undefined : Atomics.load(read, 0)).toBe(5);
    for (const data of [undefined, null, {}, { bootTurn: new ArrayBuffer(4) }, { dist: '/x' }]) expect(bootTurnOf(data)).toBeUndefined();
  });
});
