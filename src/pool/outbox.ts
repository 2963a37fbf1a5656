// Owns batching of the messages one side of a channel sends in one event-loop iteration: a
// fan-out of 1,000 calls, 256 tasks started at once, or the replies of every tool call whose
// timer fired in the same timers phase, cost one send, not one each.

/** Queues messages and sends each loop iteration's messages as one array. */
export interface Outbox<T> {
  push(message: T): void;
  /** Drops what is queued and sends nothing more. */
  close(): void;
}

/**
 * Creates an outbox. The flush runs in the check phase (setImmediate), not in a microtask:
 * Node runs microtasks between two timer callbacks and between two port messages, so a
 * microtask flush sent one message per settled timer (each a write and a wake-up of the
 * other side); the check phase comes once per iteration, after the timers and the poll.
 */
export function createOutbox<T>(send: (batch: T[]) => void): Outbox<T> {
  let queued: T[] = [];
  let closed = false;
  const flush = (): void => {
    const batch = queued;
    queued = [];
    if (!closed && batch.length > 0) send(batch);
  };
  return {
    push(message) {
      if (closed) return;
      queued.push(message);
      if (queued.length === 1) setImmediate(flush);
    },
    close() {
      closed = true;
      queued = [];
    },
  };
}
