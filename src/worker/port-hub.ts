// Owns the worker's end of its persistent MessagePort: batches outgoing tool calls and
// output lines into one message per turn, and routes replies, cancels and pings to the
// script runs registered here. Knows nothing about Compartments.

import { threadId, type MessagePort } from 'node:worker_threads';
import { decodeReplyGroup, encodeCalls, splitReplies, type SettledCall } from '../call-frame.js';
import type { CallRequest, MainMessage, WorkerMessage } from '../protocol.js';

/** What the hub needs from a running script. */
export interface RunHandle {
  /** Settles one of the script's pending tool calls. */
  settleCall(reply: SettledCall): void;
  /** Ends the script early (time limit, abort, or its execution already ended on main). */
  cancel(reason: 'timeout' | 'aborted' | 'ended'): void;
  /** Fails the script with what its code threw where nothing could catch it (a promise job). */
  fail(thrown: unknown): void;
}

/** The worker side of the port, shared by every script on the thread. */
export interface PortHub {
  sendCall(call: CallRequest): void;
  sendOutput(executionId: string, slot: number, line: string): void;
  register(executionId: string, slot: number, run: RunHandle): void;
  unregister(executionId: string): void;
  /** Records that the thread is about to run this registered script's code (see HelloMessage.culprit). */
  enter(executionId: string): void;
  /**
   * Hands an uncaught exception to the script whose code the current macrotask entered.
   * False when no script was entered since the last macrotask boundary the hub saw: the
   * exception is then not attributable, and the caller must not pin it on anyone.
   */
  blameUncaught(thrown: unknown): boolean;
}

interface Registered {
  executionId: string;
  slot: number;
  run: RunHandle;
}

/** `onEnter` hears each entry into a script's code (the heap meter starts that script's stretch). */
export function createPortHub(port: MessagePort, culprit: Int32Array, onEnter?: (slot: number) => void): PortHub {
  const runs = new Map<string, Registered>();
  // The run whose code the current macrotask entered (the JS twin of the culprit slot, but
  // an identity: a slot number is reused by the next script once this one ends).
  let current: Registered | undefined;
  let leaveQueued = false;
  const leave = (): void => {
    leaveQueued = false;
    current = undefined;
    Atomics.store(culprit, 0, 0);
  };
  // The slot stays set until the macrotask that entered it ends: a script spinning in a
  // loop or an `await null` chain never lets `leave` run, so a stuck thread still names it,
  // while an idle thread reads 0 (the pool process samples this to know who is on the CPU).
  // Every macrotask that runs script code enters that script first, and runs no other
  // script's code: so a microtask that throws belongs to the entry in force.
  const enter = (entry: Registered): void => {
    const { slot } = entry;
    current = entry;
    onEnter?.(slot);
    Atomics.store(culprit, 0, slot);
    if (leaveQueued) return;
    leaveQueued = true;
    setImmediate(leave);
  };
  // Each execution's replies resume only that script, in a macrotask of its own: the
  // microtasks it spawns then belong to it alone, so the culprit slot is exact even for a
  // script spinning in an `await null` loop. The first group runs at once. A group's values
  // are parsed after entering its script, so its heap meter counts them.
  const settleGroups = (frame: string): void => {
    let first = true;
    for (const [executionId, group] of splitReplies(frame)) {
      const settle = (): void => {
        const entry = runs.get(executionId);
        if (entry === undefined) return;
        enter(entry);
        for (const reply of decodeReplyGroup(executionId, group)) entry.run.settleCall(reply);
      };
      if (first) settle();
      else setImmediate(settle);
      first = false;
    }
  };
  let calls: CallRequest[] = [];
  let output = new Map<string, { slot: number; lines: string[] }>();
  let flushQueued = false;

  // Calls made in one microtask turn (a Promise.all fan-out) travel in one message: the
  // design notes measured 136k calls/s unbatched against 289k batched.
  const flush = (): void => {
    flushQueued = false;
    for (const [executionId, { slot, lines }] of output) post({ type: 'output', executionId, slot, lines });
    if (calls.length > 0) post({ type: 'calls', frame: encodeCalls(calls) });
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
        settleGroups(message.frame);
        return;
      case 'cancel': {
        const entry = runs.get(message.executionId);
        if (entry === undefined) return;
        enter(entry);
        entry.run.cancel(message.reason);
        return;
      }
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
    sendOutput(executionId, slot, line) {
      const pending = output.get(executionId);
      if (pending === undefined) output.set(executionId, { slot, lines: [line] });
      else pending.lines.push(line);
      queueFlush();
    },
    register(executionId, slot, run) {
      runs.set(executionId, { executionId, slot, run });
    },
    enter(executionId) {
      const entry = runs.get(executionId);
      if (entry !== undefined) enter(entry);
    },
    unregister(executionId) {
      runs.delete(executionId);
    },
    blameUncaught(thrown) {
      if (current === undefined) return false;
      // A script that already has its outcome keeps it: what its leftover code throws is
      // its own business, like a rejection nobody handles.
      if (runs.get(current.executionId) === current) current.run.fail(thrown);
      return true;
    },
  };
}
