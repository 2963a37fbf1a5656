import { describe, expect, it } from 'vitest';
import { createOutbox } from '../../src/pool/outbox.js';
import { isUrgentChildMessage } from '../../src/pool/process-protocol.js';

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

describe('what the pool process sends at the end of its turn', () => {
  const outcome = { ok: true as const, valueJson: '1', output: [], outputTruncated: false };
  it.each([
    ['an outcome', { type: 'settled' as const, slot: 1, outcome }, false],
    ['a tool-call frame', { type: 'worker' as const, threadId: 1, message: { type: 'calls' as const, frame: '[]' } }, false],
    ['output lines', { type: 'worker' as const, threadId: 1, message: { type: 'output' as const, executionId: 'tw-1', slot: 1, lines: ['a'] } }, false],
    ['a pong', { type: 'worker' as const, threadId: 1, message: { type: 'pong' as const, threadId: 1, seq: 1 } }, true],
    ['a lost task', { type: 'lost' as const, slot: 1, loss: { reason: 'thread-ended' as const, running: 'no' as const, detail: 'x' } }, true],
    ['a probe\'s answer', { type: 'probed' as const, id: 1, stuck: [] }, true],
  ])('%s: %s', (_label, message, urgent) => {
    expect(isUrgentChildMessage(message)).toBe(urgent);
  });
});
