// When a port link's replies go: per turn for a port in this process, per loop iteration for a
// port behind the pool process (each frame there is an IPC write and a wake-up of the child).
import { describe, expect, it } from 'vitest';
import { decodeReplyGroup, splitReplies } from '../../src/call-frame.js';
import { createPortLink, type ReplyBatching } from '../../src/pool/port-link.js';
import type { MainMessage } from '../../src/protocol.js';

const nextIteration = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** Replies to calls 1..3 from three turns of one loop iteration; the frames posted, decoded. */
async function framesOf(batching: ReplyBatching): Promise<number[][]> {
  const posted: MainMessage[] = [];
  const link = createPortLink(7, (message) => posted.push(message), undefined, batching);
  for (let callId = 1; callId <= 3; callId++) {
    link.reply({ executionId: 'tw-1', callId, ok: true, resultJson: `${callId}` });
    // A turn ends here: the microtasks queued so far (a turn's flush) run first.
    await null;
  }
  await nextIteration();
  return posted.map((message) => {
    if (message.type !== 'replies') throw new Error(`unexpected ${message.type}`);
    return splitReplies(message.frame).flatMap(([executionId, group]) => decodeReplyGroup(executionId, group).map((reply) => reply.callId));
  });
}

describe('createPortLink', () => {
  it('posts one frame per turn for a port in this process', async () => {
    expect(await framesOf('turn')).toEqual([[1], [2], [3]]);
  });

  it('posts one frame per loop iteration for a port behind the pool process, in order', async () => {
    expect(await framesOf('loop')).toEqual([[1, 2, 3]]);
  });

  it('posts nothing after it is closed', async () => {
    const posted: MainMessage[] = [];
    const link = createPortLink(7, (message) => posted.push(message), undefined, 'loop');
    link.reply({ executionId: 'tw-1', callId: 1, ok: true, resultJson: '1' });
    link.close();
    link.send({ type: 'ping', seq: 1 });
    await nextIteration();
    expect(posted).toEqual([]);
  });
});
