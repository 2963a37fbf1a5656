// Owns the host's side of the pool process (isolation: 'process'): forks it, relays tasks,
// port messages, probes and terminations, and supervises it. When it dies, every task it held
// fails with TaskLostError naming which scripts were busy, and a fresh process starts.
// Never runs a script in the host, and never lets the child keep the host alive when idle.
// Longer than our usual file: supervision (start, death, blame, respawn, destroy) shares the
// in-flight maps with the relay, and splitting them would pass those maps around.

import { fork, type ChildProcess } from 'node:child_process';
import type { Socket } from 'node:net';
import { fileURLToPath } from 'node:url';
import type { MainMessage, RunOutcome, RunTask } from '../protocol.js';
import { createOutbox, type Outbox } from './outbox.js';
import { createPortLink } from './port-link.js';
import type { ChildMessage, HostMessage } from './process-protocol.js';
import { TaskLostError, type LossReason, type PortLink, type ScriptPool, type ScriptPoolOptions, type StuckThread, type WorkerMessageHandler } from './types.js';

const CHILD_PATH = fileURLToPath(new URL('./pool-process.js', import.meta.url));

/** Starts in a row that end before the process is ready, after which the pool gives up. */
const MAX_FAILED_STARTS = 3;
/** How long `destroy` waits for the process to exit before killing it. */
const DESTROY_WAIT_MS = 5_000;
/** The end of the child's stderr kept to tell an out-of-memory abort from other deaths. */
const STDERR_TAIL_CHARS = 4_096;
/** What V8 prints when it aborts a process for memory (heap limit, or a table too large). */
const OUT_OF_MEMORY_TEXT = /out of memory|allocation failed|invalid (?:table |array )?size|invalid array length/i;

interface Pending {
  resolve: (outcome: RunOutcome) => void;
  reject: (error: TaskLostError) => void;
}

/** One running pool process and what is in flight on it. */
interface Child {
  process: ChildProcess;
  outbox: Outbox<HostMessage>;
  ready: boolean;
  exited: boolean;
  /** Resolves when the child is gone ('exit', or a spawn that failed with only 'error'). */
  ended: Promise<void>;
  markEnded: () => void;
  stderrTail: string;
  /** Slots of scripts holding a CPU at the last sample. */
  busy: number[];
  links: Map<number, PortLink>;
}

/**
 * SECURITY: "An allocation that aborts a whole Node process cannot take the host down":
 * the threads that run scripts live in this child process. Its flags are ours alone: the
 * host's execArgv (an inspector, a loader) and NODE_OPTIONS are not inherited, since a
 * `--max-old-space-size` there would override the threads' heap limit.
 */
function forkChild(options: ScriptPoolOptions): ChildProcess {
  const env = { ...process.env };
  delete env.NODE_OPTIONS;
  return fork(CHILD_PATH, [JSON.stringify(options)], { execArgv: [], env, serialization: 'json', stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
}

export function createProcessPool(options: ScriptPoolOptions, onMessage: WorkerMessageHandler): ScriptPool {
  const pending = new Map<number, Pending>();
  const probes = new Map<number, (stuck: StuckThread[]) => void>();
  const terminations = new Map<number, () => void>();
  const resumeListeners: Array<() => void> = [];
  let child: Child;
  let nextId = 0;
  let failedStarts = 0;
  let unavailable = false;
  let destroyed: Promise<void> | undefined;

  // The channel keeps the host alive only while something waits on the child (a starting
  // child may have queued scripts waiting for it).
  const updateRef = (): void => {
    // Undefined only if every fork at construction threw (then the pool is unavailable).
    const channel = (child as Child | undefined)?.process.channel;
    if (channel === undefined || channel === null) return;
    if (!child.ready || pending.size + probes.size + terminations.size > 0 || destroyed !== undefined) channel.ref();
    else channel.unref();
  };
  const resume = (): void => {
    for (const listener of resumeListeners) listener();
  };

  const onChildMessage = (current: Child, message: ChildMessage): void => {
    switch (message.type) {
      case 'ready':
        current.ready = true;
        failedStarts = 0;
        updateRef();
        return resume();
      case 'settled':
      case 'lost': {
        const entry = pending.get(message.slot);
        if (entry === undefined) return;
        pending.delete(message.slot);
        updateRef();
        if (message.type === 'settled') return entry.resolve(message.outcome);
        return entry.reject(new TaskLostError(message.loss));
      }
      case 'worker': {
        let link = current.links.get(message.threadId);
        if (link === undefined) {
          const { threadId } = message;
          link = createPortLink(threadId, (relayed) => current.outbox.push({ type: 'post', threadId, message: relayed }));
          current.links.set(threadId, link);
        }
        return onMessage(message.message, link);
      }
      case 'probed':
        probes.get(message.id)?.(message.stuck);
        probes.delete(message.id);
        updateRef();
        if (probes.size === 0) resume();
        return;
      case 'terminated':
        terminations.get(message.id)?.();
        terminations.delete(message.id);
        return updateRef();
      case 'busy':
        current.busy = message.slots;
        return;
    }
  };

  /**
   * The process died under its tasks. The scripts it last saw holding a CPU were running:
   * `yes` when only one was, `maybe` when several were. Every other task was a bystander.
   * What that means (out of memory, or killed from outside) is the scheduler's to judge.
   */
  const onChildExit = (current: Child, code: number | null, signal: NodeJS.Signals | null): void => {
    if (current.exited) return;
    current.exited = true;
    current.markEnded();
    current.outbox.close();
    for (const link of current.links.values()) link.close();
    const outOfMemory = OUT_OF_MEMORY_TEXT.test(current.stderrTail);
    const reason: LossReason = outOfMemory ? 'out-of-memory' : 'process-ended';
    const detail = outOfMemory ? 'the pool process ran out of memory' : `the pool process ended (${signal ?? `exit code ${code}`})`;
    const busy = new Set(current.busy);
    const lost = [...pending];
    pending.clear();
    for (const resolveProbe of probes.values()) resolveProbe([]);
    probes.clear();
    for (const resolveTermination of terminations.values()) resolveTermination();
    terminations.clear();
    // Settle the lost tasks before anything that could throw (a fork can fail synchronously).
    for (const [slot, entry] of lost) {
      const running = !busy.has(slot) ? 'no' : busy.size === 1 ? 'yes' : 'maybe';
      entry.reject(new TaskLostError({ reason, running, detail }));
    }
    if (destroyed !== undefined) unavailable = true;
    else if (!current.ready && ++failedStarts >= MAX_FAILED_STARTS) unavailable = true;
    else startOrGiveUp();
    if (unavailable) resume();
  };

  // A fork that throws (ENOMEM, say) counts as a failed start.
  const startOrGiveUp = (): void => {
    try {
      start();
    } catch {
      if (++failedStarts >= MAX_FAILED_STARTS) unavailable = true;
      else startOrGiveUp();
    }
  };

  const start = (): void => {
    const spawned = forkChild(options);
    let markEnded!: () => void;
    const ended = new Promise<void>((resolve) => (markEnded = resolve));
    const current: Child = { process: spawned, outbox: createOutbox((batch) => send(current, batch)), ready: false, exited: false, ended, markEnded, stderrTail: '', busy: [], links: new Map() };
    child = current;
    const stderr = spawned.stderr as Socket | null;
    stderr?.setEncoding('utf8');
    stderr?.on('data', (chunk: string) => {
      current.stderrTail = (current.stderrTail + chunk).slice(-STDERR_TAIL_CHARS);
    });
    stderr?.unref();
    spawned.on('message', (batch: ChildMessage[]) => {
      for (const message of batch) onChildMessage(current, message);
    });
    spawned.on('exit', (code, signal) => onChildExit(current, code, signal));
    // A failed spawn reports here, then 'exit' (or nothing): treat both as a death.
    spawned.on('error', () => onChildExit(current, null, null));
    spawned.unref();
    updateRef();
  };

  const send = (current: Child, batch: HostMessage[]): void => {
    if (current.exited || !current.process.connected) return;
    // A write to a channel the child just closed fails here; its 'exit' follows.
    current.process.send(batch, (error) => void error);
  };

  const request = <T>(waiting: Map<number, (value: T) => void>, make: (id: number) => HostMessage, fallback: T): Promise<T> => {
    if (unavailable || !child.ready || child.exited) return Promise.resolve(fallback);
    const id = ++nextId;
    return new Promise<T>((resolve) => {
      waiting.set(id, resolve);
      child.outbox.push(make(id));
      updateRef();
    });
  };

  startOrGiveUp();
  return {
    capacity: options.threads * options.scriptsPerThread,
    run(task: RunTask) {
      if (unavailable || destroyed !== undefined) {
        return Promise.reject(new TaskLostError({ reason: 'unavailable', running: 'no', detail: 'the pool process could not be started' }));
      }
      return new Promise<RunOutcome>((resolve, reject) => {
        pending.set(task.slot, { resolve, reject });
        child.outbox.push({ type: 'run', task });
        updateRef();
      });
    },
    broadcast(message: MainMessage) {
      if (!unavailable) child.outbox.push({ type: 'post', threadId: undefined, message });
    },
    findUnresponsiveThreads(windowMs) {
      return request(probes, (id) => ({ type: 'probe', id, windowMs }), []);
    },
    terminateThread(threadId) {
      return request<void>(terminations, (id) => ({ type: 'terminate', id, threadId }), undefined);
    },
    get placementPaused() {
      return !unavailable && (!child.ready || probes.size > 0);
    },
    onPlacementResumed(listener) {
      resumeListeners.push(listener);
    },
    destroy() {
      if (destroyed !== undefined) return destroyed;
      if (unavailable && (child as Child | undefined) === undefined) return (destroyed = Promise.resolve());
      const current = child;
      destroyed = current.ended;
      if (current.exited) return destroyed;
      updateRef();
      const timer = setTimeout(() => current.process.kill('SIGKILL'), DESTROY_WAIT_MS);
      void current.ended.then(() => clearTimeout(timer));
      current.outbox.push({ type: 'destroy' });
      return destroyed;
    },
  };
}
