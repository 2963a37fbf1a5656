// When a port link's replies go: once per loop iteration, in one frame, in order, wherever the
// port lives (each frame is a post and a wake-up of the thread, behind the pool process a write).
import { describe, expect, it } from 'vitest';
import { decodeReplyGroup, splitReplies } from '../../src/call-frame.js';
import { createPortLink } from '../../src/pool/port-link.js';
import type { MainMessage } from '../../src/protocol.js';

const nextIteration = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** Replies to calls 1..3 from three turns of one loop iteration; the frames posted, decoded. */
async function framesOf(): Promise<number[][]> {
  const posted: MainMessage[] = [];
  const link = createPortLink(7, (message) => posted.push(message));
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
  it('posts the replies of one loop iteration in one frame, in order, not one frame per turn', async () => {
    expect(await framesOf()).toEqual([[1, 2, 3]]);
  });

  it('posts nothing after it is closed', async () => {
    const posted: MainMessage[] = [];
    const link = createPortLink(7, (message) => posted.push(message));
    link.reply({ executionId: 'tw-1', callId: 1, ok: true, resultJson: '1' });
    link.close();
    link.send({ type: 'ping', seq: 1 });
    await nextIteration();
    expect(posted).toEqual([]);
  });
});
