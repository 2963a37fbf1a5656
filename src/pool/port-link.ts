// Owns the main side of one worker's port, wherever that port lives: replies made in one
// turn travel in one `replies` frame (outbox.ts, call-frame.ts); control messages
// go at once. The in-process pool posts on the worker's MessagePort; the host of a pool
// process posts through its data channel (child-channel.ts) to the same port in the child.

import { encodeReplies } from '../call-frame.js';
import type { CallReply, MainMessage } from '../protocol.js';
import { createOutbox } from './outbox.js';
import type { PortLink } from './types.js';

/**
 * When a link's replies go: at the end of their turn, or of the loop iteration.
 * - `turn` for a port in this process: a thread waiting for replies would otherwise idle
 *   while the host dispatches the calls that arrived meanwhile (measured: fewer messages,
 *   yet team-expenses at 64 in flight ran slower in-process).
 * - `loop` for a port behind the pool process: there every frame is a write to the data
 *   channel and a wake-up of the pool process, and replies whose tool calls end in timers
 *   (each timer callback its own turn) went one write each: 21,084 writes for 1,000
 *   team-expenses scripts of 21 calls.
 */
export type ReplyBatching = 'turn' | 'loop';

/**
 * A link to thread `threadId` that hands its messages to `post`; `onClose` releases
 * whatever carries them.
 */
export function createPortLink(threadId: number, post: (message: MainMessage) => void, onClose: () => void = () => {}, batching: ReplyBatching = 'turn'): PortLink {
  let closed = false;
  const replies = createOutbox<CallReply>((batch) => post({ type: 'replies', frame: encodeReplies(batch) }), () => batching === 'turn');
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
