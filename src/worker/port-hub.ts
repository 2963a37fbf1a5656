// Owns the worker's end of its persistent MessagePort: batches outgoing tool calls and
// output lines into one message per turn, and routes replies, cancels and pings to the
// script runs registered here. Knows nothing about Compartments.

import { threadId, type MessagePort } from 'node:worker_threads';
import type { CallReply, CallRequest, MainMessage, WorkerMessage } from '../protocol.js';

/** What the hub needs from a running script. */
export interface RunHandle {
  /** Settles one of the script's pending tool calls. */
  settleCall(reply: CallReply): void;
  /** Ends the script early (time limit, abort, or its execution already ended on main). */
  cancel(reason: 'timeout' | 'aborted' | 'ended'): void;
}

/** The worker side of the port, shared by every script on the thread. */
export interface PortHub {
  sendCall(call: CallRequest): void;
  sendOutput(executionId: string, line: string): void;
  register(executionId: string, run: RunHandle): void;
  unregister(executionId: string): void;
}

export function createPortHub(port: MessagePort): PortHub {
  const runs = new Map<string, RunHandle>();
  let calls: CallRequest[] = [];
  let output = new Map<string, string[]>();
  let flushQueued = false;

  // Calls made in one microtask turn (a Promise.all fan-out) travel in one message: the
  // design notes measured 136k calls/s unbatched against 289k batched.
  const flush = (): void => {
    flushQueued = false;
    for (const [executionId, lines] of output) post({ type: 'output', executionId, lines });
    if (calls.length > 0) post({ type: 'calls', calls });
    calls = [];
    output = new Map();
  };
  const queueFlush = (): void => {
    if (flushQueued) return;
    flushQueued = true;
    queueMicrotask(flush);
  };
  const post = (message: WorkerMessage): void => port.postMessage(message);

  port.on('message', (message: MainMessage) => {
    switch (message.type) {
      case 'replies':
        for (const reply of message.replies) runs.get(reply.executionId)?.settleCall(reply);
        return;
      case 'cancel':
        runs.get(message.executionId)?.cancel(message.reason);
        return;
      case 'ping':
        post({ type: 'pong', threadId, seq: message.seq });
        return;
    }
  });

  return {
    sendCall(call) {
      calls.push(call);
      queueFlush();
    },
    sendOutput(executionId, line) {
      const lines = output.get(executionId);
      if (lines === undefined) output.set(executionId, [line]);
      else lines.push(line);
      queueFlush();
    },
    register(executionId, run) {
      runs.set(executionId, run);
    },
    unregister(executionId) {
      runs.delete(executionId);
    },
  };
}
