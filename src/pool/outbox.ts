// Owns batching of the messages one side of a channel sends together: a fan-out of 1,000
// calls, 256 tasks started at once, or the replies of every tool call whose timer fired in
// the same timers phase, cost one send, not one each. Never reorders messages.

/** Queues messages and sends them in order, as arrays. */
export interface Outbox<T> {
  push(message: T): void;
  /** Drops what is queued and sends nothing more. */
  close(): void;
}

/**
 * Creates an outbox. A message `isUrgent` says is urgent goes out at the end of the current
 * turn (a microtask), with everything queued before it; others wait for the check phase
 * (setImmediate), once per loop iteration. Node runs microtasks between two timer callbacks
 * and between two port messages, so a turn-by-turn flush of tool-call traffic sent one
 * message per settled timer (each a write, and a wake-up of the other side). Control
 * messages (a cancel, a task's outcome) are urgent: a stopped script's output must arrive
 * within the scheduler's short wait for it.
 */
export function createOutbox<T>(send: (batch: T[]) => void, isUrgent: (message: T) => boolean = () => true): Outbox<T> {
  let queued: T[] = [];
  let closed = false;
  let turnFlushQueued = false;
  let loopFlushQueued = false;
  const flush = (): void => {
    const batch = queued;
    queued = [];
    if (!closed && batch.length > 0) send(batch);
  };
  const flushAtTurnEnd = (): void => {
    turnFlushQueued = false;
    flush();
  };
  const flushAtLoopEnd = (): void => {
    loopFlushQueued = false;
    flush();
  };
  return {
    push(message) {
      if (closed) return;
      queued.push(message);
      if (isUrgent(message)) {
        if (!turnFlushQueued) queueMicrotask(flushAtTurnEnd);
        turnFlushQueued = true;
      } else if (!loopFlushQueued) {
        setImmediate(flushAtLoopEnd);
        loopFlushQueued = true;
      }
    },
    close() {
      closed = true;
      queued = [];
    },
  };
}
