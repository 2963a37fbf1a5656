// Owns batching of the messages one side of the pool process's IPC channel sends in one
// turn: a fan-out of 1,000 calls, or 256 tasks started at once, cost one send, not 1,000.

/** Queues messages and sends each turn's messages as one array. */
export interface Outbox<T> {
  push(message: T): void;
  /** Drops what is queued and sends nothing more. */
  close(): void;
}

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
      if (queued.length === 1) queueMicrotask(flush);
    },
    close() {
      closed = true;
      queued = [];
    },
  };
}
