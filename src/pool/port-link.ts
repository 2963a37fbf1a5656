// Owns the main side of one worker's port, wherever that port lives: replies made in one
// turn travel in one `replies` frame (outbox.ts, call-frame.ts); control messages
// go at once. The in-process pool posts on the worker's MessagePort; the host of a pool
// process posts through the IPC channel to the same port in the child.

import { encodeReplies } from '../call-frame.js';
import type { CallReply, MainMessage } from '../protocol.js';
import { createOutbox } from './outbox.js';
import type { PortLink } from './types.js';

/**
 * A link to thread `threadId` that hands its messages to `post`; `onClose` releases
 * whatever carries them.
 */
export function createPortLink(threadId: number, post: (message: MainMessage) => void, onClose: () => void = () => {}): PortLink {
  let closed = false;
  // Replies go at the end of their turn, not of the loop iteration: a thread waiting for
  // them would otherwise idle while the host dispatches the calls that arrived meanwhile
  // (measured: fewer messages, yet team-expenses at 64 in flight ran slower in-process).
  const replies = createOutbox<CallReply>((batch) => post({ type: 'replies', frame: encodeReplies(batch) }));
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
