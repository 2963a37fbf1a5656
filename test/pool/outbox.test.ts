import { describe, expect, it } from 'vitest';
import { createOutbox } from '../../src/pool/outbox.js';

const turn = () => new Promise((resolve) => setImmediate(resolve));

describe('createOutbox', () => {
  it('sends the messages pushed in one turn as one batch, in order', async () => {
    const sent: number[][] = [];
    const outbox = createOutbox<number>((batch) => sent.push(batch));
    for (let i = 0; i < 1_000; i++) outbox.push(i);
    expect(sent).toEqual([]);
    await turn();
    outbox.push(1_000);
    await turn();
    expect(sent).toHaveLength(2);
    expect(sent[0]).toEqual(Array.from({ length: 1_000 }, (_, i) => i));
    expect(sent[1]).toEqual([1_000]);
  });

  it('sends nothing once closed, including what was queued', async () => {
    const sent: number[][] = [];
    const outbox = createOutbox<number>((batch) => sent.push(batch));
    outbox.push(1);
    outbox.close();
    outbox.push(2);
    await turn();
    expect(sent).toEqual([]);
  });

  it('sends what timers of one timers phase pushed as one batch, when those messages can wait', async () => {
    const sent: number[][] = [];
    const outbox = createOutbox<number>((batch) => sent.push(batch), () => false);
    // Node runs microtasks between two timer callbacks: a turn-end flush would send three batches.
    await new Promise<void>((resolve) => {
      for (let i = 0; i < 3; i++) setTimeout(() => outbox.push(i), 0);
      setTimeout(() => queueMicrotask(resolve), 0);
    });
    expect(sent).toEqual([]);
    await turn();
    expect(sent).toEqual([[0, 1, 2]]);
  });

  it('sends an urgent message at the end of its turn, after what was queued before it', async () => {
    const sent: number[][] = [];
    const outbox = createOutbox<number>((batch) => sent.push(batch), (message) => message < 0);
    outbox.push(1);
    outbox.push(-1);
    outbox.push(2);
    await Promise.resolve();
    expect(sent).toEqual([[1, -1, 2]]);
    outbox.push(3);
    await Promise.resolve();
    expect(sent).toHaveLength(1);
    await turn();
    expect(sent).toEqual([[1, -1, 2], [3]]);
  });
});
