// Owns the main side of one worker's port, wherever that port lives: replies made in one
// loop iteration travel in one `replies` frame (outbox.ts, call-frame.ts); control messages
// go at once. The in-process pool posts on the worker's MessagePort; the host of a pool
// process posts through its data channel (child-channel.ts) to the same port in the child.

import { encodeReplies } from '../call-frame.js';
import type { CallReply, MainMessage } from '../protocol.js';
import { createOutbox } from './outbox.js';
import type { PortLink } from './types.js';

/**
 * A link to thread `threadId` that hands its messages to `post`; `onClose` releases
 * whatever carries them. Its replies go once per loop iteration: replies whose tool calls end
 * in timers (each timer callback its own turn) went one frame each when they went per turn
 * (21,084 frames for 1,000 team-expenses scripts of 21 calls), each a post, a wake-up of the
 * thread (and behind the pool process a write to its channel). An in-process pool once
 * measured faster per turn (a waiting thread idled while the host dispatched the calls that
 * had arrived meanwhile); since the dispatcher answers a call without its promise layers,
 * per loop iteration measured faster there too (W3 in-process 1.13x and 1.33x as fast, CPU
 * 1.27x and 1.35x as cheap; W2 1.17x: `node bench/compare.mjs <base> 7 W1,W2,W3`).
 */
export function createPortLink(threadId: number, post: (message: MainMessage) => void, onClose: () => void = () => {}): PortLink {
  let closed = false;
  const replies = createOutbox<CallReply>((batch) => post({ type: 'replies', frame: encodeReplies(batch) }), () => false);
  return {
    threadId,
    reply: (reply) => replies.push(reply),
    send(message) {
      if (!closed) post(message);
    },
    close() {
      closed = true;
      replies.close();
      onClose();
    },
  };
}
