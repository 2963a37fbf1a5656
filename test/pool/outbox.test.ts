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
});
