// Owns the main side of one worker's persistent port: coalesces replies made in one turn
// into one message, and passes incoming worker messages to the pool's handler.

import type { MessagePort } from 'node:worker_threads';
import type { CallReply, MainMessage } from '../protocol.js';
import type { PortLink } from './types.js';

export function createPortLink(threadId: number, port: MessagePort): PortLink {
  let replies: CallReply[] = [];
  let flushQueued = false;
  let closed = false;
  const flush = (): void => {
    flushQueued = false;
    if (closed || replies.length === 0) return;
    const batch = replies;
    replies = [];
    port.postMessage({ type: 'replies', replies: batch } satisfies MainMessage);
  };
  return {
    threadId,
    reply(reply) {
      replies.push(reply);
      if (flushQueued) return;
      flushQueued = true;
      queueMicrotask(flush);
    },
    send(message) {
      if (!closed) port.postMessage(message);
    },
    close() {
      closed = true;
      replies = [];
      port.close();
    },
  };
}
