import { describe, expect, it } from 'vitest';
import { createValidationPacer } from '../src/validation-pacer.js';

const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

/** A pacer on a fake clock where every task takes `costMs`. */
function createSubject(sliceMs: number, costMs: number) {
  let clock = 0;
  const ran: number[] = [];
  const pacer = createValidationPacer(sliceMs, () => clock);
  const submit = (id: number) => pacer.run(() => {
    clock += costMs;
    ran.push(id);
  });
  return { pacer, ran, submit };
}

describe('createValidationPacer', () => {
  it('runs tasks inline until the turn has used its slice, then the rest in later turns, in order', async () => {
    const { ran, submit } = createSubject(20, 5);
    for (let id = 1; id <= 10; id++) submit(id);
    expect(ran).toEqual([1, 2, 3, 4]);
    await nextTurn();
    expect(ran).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    await nextTurn();
    expect(ran).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  });

  it('keeps order for a task submitted while others wait, even in a fresh turn', async () => {
    const { ran, submit } = createSubject(10, 10);
    submit(1);
    submit(2);
    expect(ran).toEqual([1]);
    await new Promise((resolve) => setTimeout(resolve, 0));
    submit(3);
    await nextTurn();
    await nextTurn();
    expect(ran).toEqual([1, 2, 3]);
  });

  it('gives each turn a fresh slice', async () => {
    const { ran, submit } = createSubject(10, 6);
    submit(1);
    submit(2);
    await nextTurn();
    await nextTurn();
    ran.length = 0;
    submit(3);
    expect(ran).toEqual([3]);
  });

  it('runs every waiting task at once on flush', () => {
    const { pacer, ran, submit } = createSubject(5, 5);
    for (let id = 1; id <= 5; id++) submit(id);
    pacer.flush();
    expect(ran).toEqual([1, 2, 3, 4, 5]);
  });
});
