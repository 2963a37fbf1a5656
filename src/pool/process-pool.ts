// Owns the host's side of the pool process (isolation: 'process'): forks it, relays tasks,
// port messages, probes and terminations, and supervises it. When it dies, every task it held
// fails with TaskLostError naming which scripts were busy, and a fresh process starts; starts
// that keep failing are retried with backoff, the pool unavailable meanwhile, never for good.
// Never runs a script in the host, and never lets the child or a retry keep an idle host alive.
// Longer than our usual file: supervision (start, death, blame, respawn, destroy) shares the
// in-flight maps with the relay, and splitting them would pass those maps around.

import { fork, type ChildProcess } from 'node:child_process';
import type { Socket } from 'node:net';
import { fileURLToPath } from 'node:url';
import type { MainMessage, RunOutcome, RunTask } from '../protocol.js';
import { openChildChannel, type ChildChannel } from './child-channel.js';
import { createOutbox, type Outbox } from './outbox.js';
import { createPortLink } from './port-link.js';
import { adoptPrewarmed } from './prewarm.js';
import type { ChildMessage, HostMessage } from './process-protocol.js';
import { createSetupSender, type SetupSender } from './setup-table.js';
import { TaskLostError, type LossReason, type PoolEventHandler, type PortLink, type ScriptPool, type ScriptPoolOptions, type StuckThread, type WorkerMessageHandler } from './types.js';

const CHILD_PATH = fileURLToPath(new URL('./pool-process.js', import.meta.url));

/**
 * Starts in a row that end before the process is ready, after which the pool is unavailable:
 * runs reject at once instead of waiting, while starts go on being retried.
 */
const MAX_FAILED_STARTS = 3;
/** Wait before the fork that follows a failed start; doubles with each failure in a row. */
const RETRY_FIRST_DELAY_MS = 100;
/** Longest wait between two starts while they keep failing. */
const RETRY_MAX_DELAY_MS = 30_000;
/** How long `destroy` waits for the process to exit before killing it. */
const DESTROY_WAIT_MS = 5_000;
/**
 * The same wait for a forced destroy: the process's own destroy gives up on a stuck thread
 * after 1 s (script-pool.ts), and its exit then waits for that thread, so it is killed.
 */
const FORCED_DESTROY_WAIT_MS = 1_500;
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
  /** Its data channel (child-channel.ts): every message both ways. */
  channel: ChildChannel;
  outbox: Outbox<HostMessage>;
  ready: boolean;
  exited: boolean;
  /** Resolves when the child is gone ('close', or a spawn that failed with only 'error'). */
  ended: Promise<void>;
  markEnded: () => void;
  stderrTail: string;
  /** Slots of scripts holding a CPU at the last sample. */
  busy: number[];
  /** Its placement is paused: every thread in it missed a ping. */
  paused: boolean;
  links: Map<number, PortLink>;
  /** The task setups it holds. */
  setups: SetupSender;
}

/**
 * SECURITY: "An allocation that aborts a whole Node process cannot take the host down":
 * the threads that run scripts live in this child process. Its flags are ours alone: the
 * host's execArgv (an inspector, a loader) and NODE_OPTIONS are not inherited, since a
 * `--max-old-space-size` there would override the threads' heap limit.
 */
export function forkPoolProcess(options: ScriptPoolOptions): ChildProcess {
  const env = { ...process.env };
  delete env.NODE_OPTIONS;
  // Node 20 reads NODE_EXTRA_CA_CERTS at startup, before running anything: it builds the
  // whole root certificate store and parses the file (75 ms of CPU, a third of W4, measured
  // in docs/benchmarks.md). Nothing in the pool process or its threads opens a TLS
  // connection (tools run on the host), so the child does without it.
  delete env.NODE_EXTRA_CA_CERTS;
  // --expose-gc gives the worker threads a gc() for their heap meter (worker/main.ts). Messages
  // go as frames on fd 4 (child-channel.ts), not as JSON on the IPC channel: a reply frame
  // there was JSON text escaped into another JSON text, and unescaped by the pool process.
  return fork(CHILD_PATH, [JSON.stringify(options)], { execArgv: ['--expose-gc'], env, serialization: 'json', stdio: ['ignore', 'ignore', 'pipe', 'ipc', 'pipe'] });
}

/**
 * Creates the pool. `forkProcess` is a seam for tests (a fork that fails); the engine never
 * passes it.
 */
export function createProcessPool(options: ScriptPoolOptions, onMessage: WorkerMessageHandler, forkProcess = forkPoolProcess, onPoolEvent: PoolEventHandler = () => {}): ScriptPool {
  const pending = new Map<number, Pending>();
  const probes = new Map<number, (stuck: StuckThread[]) => void>();
  const terminations = new Map<number, () => void>();
  const resumeListeners: Array<() => void> = [];
  /** The live or starting child; undefined while waiting to retry a start, and after destroy. */
  let child: Child | undefined;
  let retryTimer: NodeJS.Timeout | undefined;
  let nextId = 0;
  let failedStarts = 0;
  /** Set when a process died under the open pool: the next ready one replaces it. */
  let replacing: { pid: number | undefined } | undefined;
  let destroyed: Promise<void> | undefined;
  const unavailable = (): boolean => failedStarts >= MAX_FAILED_STARTS;
  let killTimer: NodeJS.Timeout | undefined;
  let killAt = Infinity;
  /** Kills the child `ms` from now, unless a kill is already due sooner. */
  const armKill = (ms: number): void => {
    const current = child;
    if (current === undefined || Date.now() + ms >= killAt) return;
    killAt = Date.now() + ms;
    clearTimeout(killTimer);
    killTimer = setTimeout(() => current.process.kill('SIGKILL'), ms);
  };

  // The child keeps the host alive only while something waits on it: a task, or, while
  // placement is paused for it, scripts queued for a starting child (once the pool is
  // unavailable, runs reject at once and nothing waits on a start). All three handles count:
  // its death is seen on 'close', after the channel, stderr and the process have all ended.
  const updateRef = (): void => {
    if (child === undefined) return;
    const waitedOn = (!child.ready && !unavailable()) || pending.size + probes.size + terminations.size > 0;
    const spawned = child.process;
    for (const handle of [spawned, spawned.channel, spawned.stderr as Socket | null, child.channel.handle]) {
      if (waitedOn || destroyed !== undefined) handle?.ref();
      else handle?.unref();
    }
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
        onPoolEvent({ type: 'process-started', pid: current.process.pid ?? 0, previousPid: replacing?.pid, replacing: replacing !== undefined });
        replacing = undefined;
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
      case 'pool-event':
        return onPoolEvent(message.event);
      case 'paused':
        current.paused = message.paused;
        if (!message.paused) resume();
        return;
    }
  };

  /**
   * The process died under its tasks. The scripts it last saw holding a CPU were running:
   * `yes` when only one was, `maybe` when several were. Every other task was a bystander.
   * What that means (out of memory, or killed from outside) is the scheduler's to judge.
   */
  const onChildEnd = (current: Child, code: number | null, signal: NodeJS.Signals | null): void => {
    if (current.exited) return;
    current.exited = true;
    if (child === current) child = undefined;
    current.markEnded();
    current.outbox.close();
    for (const link of current.links.values()) link.close();
    const failedStart = !current.ready && destroyed === undefined;
    if (failedStart) failedStarts++;
    const outOfMemory = OUT_OF_MEMORY_TEXT.test(current.stderrTail);
    const reason: LossReason = failedStart && unavailable() ? 'unavailable' : outOfMemory ? 'out-of-memory' : 'process-ended';
    const fault = current.channel.fault;
    const ended = fault !== undefined ? `was ended: its channel broke (${fault.code}: ${fault.message})` : `ended (${signal ?? `exit code ${code}`})`;
    const detail = reason === 'unavailable' ? unavailableDetail() : outOfMemory ? 'the pool process ran out of memory' : `the pool process ${ended}`;
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
    if (destroyed !== undefined) return;
    const cause = outOfMemory ? 'out-of-memory' : !current.ready ? 'failed-start' : signal !== null ? 'signal' : 'exit-code';
    onPoolEvent({ type: 'process-died', pid: current.process.pid, cause, signal: signal ?? undefined, exitCode: code ?? undefined, lostTasks: lost.length });
    if (current.process.pid !== undefined || replacing === undefined) replacing = { pid: current.process.pid };
    if (failedStart) retryLater();
    else start();
  };

  const unavailableDetail = (): string => `the pool process could not be started (${failedStarts} failed starts in a row; retrying)`;

  /**
   * Backoff after a failed start. Until MAX_FAILED_STARTS, placement stays paused and the
   * wait (at most 300 ms) keeps the host alive, as a starting child does: queued scripts wait
   * on it. Past it, queued and new runs reject as unavailable, so nothing waits, and the
   * timer is unref'd: retries never keep an idle host alive.
   */
  const retryLater = (): void => {
    const delayMs = Math.min(RETRY_FIRST_DELAY_MS * 2 ** (failedStarts - 1), RETRY_MAX_DELAY_MS);
    retryTimer = setTimeout(start, delayMs);
    if (unavailable()) {
      retryTimer.unref();
      resume();
    }
  };

  // A fork that throws (ENOMEM, say) counts as a failed start.
  const start = (): void => {
    retryTimer = undefined;
    if (destroyed !== undefined) return;
    try {
      spawn();
    } catch {
      failedStarts++;
      retryLater();
    }
  };

  const spawn = (): void => {
    // A process prewarmed for this shape (prewarm.ts) is taken instead of a fork; never
    // where a test passes its own fork.
    const adopted = forkProcess === forkPoolProcess ? adoptPrewarmed(options) : undefined;
    const spawned = adopted?.process ?? forkProcess(options);
    let markEnded!: () => void;
    const ended = new Promise<void>((resolve) => (markEnded = resolve));
    const channel = adopted?.channel ?? openChildChannel(spawned);
    const current: Child = { process: spawned, channel, outbox: createOutbox((batch) => send(current, batch)), ready: false, exited: false, ended, markEnded, stderrTail: adopted?.stderrTail ?? '', busy: [], paused: false, links: new Map(), setups: createSetupSender() };
    child = current;
    const stderr = spawned.stderr as Socket | null;
    stderr?.setEncoding('utf8');
    stderr?.on('data', (chunk: string) => {
      current.stderrTail = (current.stderrTail + chunk).slice(-STDERR_TAIL_CHARS);
    });
    channel.listen((batch) => {
      for (const message of batch) if (!current.exited) onChildMessage(current, message);
    });
    // 'close', not 'exit': by then stderr (the out-of-memory text) and every message the
    // child sent (a task it settled just before dying) have arrived.
    spawned.on('close', (code, signal) => onChildEnd(current, code, signal));
    // A spawn that failed has no pid and reports here, then 'close' (or nothing, for EMFILE):
    // the first one handles it. An 'error' of a running child (a failed kill) is no death.
    spawned.on('error', () => {
      if (spawned.pid === undefined) onChildEnd(current, null, null);
    });
    updateRef();
    // What it said before adoption ('ready', most often), after this turn: the engine's
    // listeners, added after createEngine returns, see its 'process-started'. Its 'close'
    // cannot come before: that is a later macrotask.
    if (adopted !== undefined) {
      queueMicrotask(() => {
        for (const batch of adopted.batches) for (const message of batch) if (!current.exited) onChildMessage(current, message);
      });
    }
  };

  const send = (current: Child, batch: HostMessage[]): void => {
    if (current.exited) return;
    current.channel.send(batch);
  };

  const request = <T>(waiting: Map<number, (value: T) => void>, make: (id: number) => HostMessage, fallback: T): Promise<T> => {
    const current = child;
    if (current === undefined || !current.ready || current.exited) return Promise.resolve(fallback);
    const id = ++nextId;
    return new Promise<T>((resolve) => {
      waiting.set(id, resolve);
      current.outbox.push(make(id));
      updateRef();
    });
  };

  start();
  return {
    capacity: options.threads * options.scriptsPerThread,
    run(task: RunTask) {
      if (destroyed !== undefined) return Promise.reject(new TaskLostError({ reason: 'unavailable', running: 'no', detail: 'the pool has been destroyed' }));
      if (unavailable()) return Promise.reject(new TaskLostError({ reason: 'unavailable', running: 'no', detail: unavailableDetail() }));
      const current = child;
      // Only between a failed start and its retry, while placement is paused: lost, never ran.
      if (current === undefined) return Promise.reject(new TaskLostError({ reason: 'process-ended', running: 'no', detail: 'the pool process is restarting' }));
      return new Promise<RunOutcome>((resolve, reject) => {
        pending.set(task.slot, { resolve, reject });
        const { setup, ...rest } = task;
        const setupKey = current.setups.keyOf(setup, (key, text) => current.outbox.push({ type: 'setup', key, text }));
        current.outbox.push({ type: 'run', task: rest, setupKey });
        updateRef();
      });
    },
    broadcast(message: MainMessage) {
      child?.outbox.push({ type: 'post', threadId: undefined, message });
    },
    findUnresponsiveThreads(windowMs) {
      return request(probes, (id) => ({ type: 'probe', id, windowMs }), []);
    },
    terminateThread(threadId) {
      return request<void>(terminations, (id) => ({ type: 'terminate', id, threadId }), undefined);
    },
    get placementPaused() {
      if (destroyed !== undefined || unavailable()) return false;
      return child === undefined || !child.ready || child.paused || probes.size > 0;
    },
    onPlacementResumed(listener) {
      resumeListeners.push(listener);
    },
    destroy(destroyOptions = {}) {
      const wait = destroyOptions.force === true ? FORCED_DESTROY_WAIT_MS : DESTROY_WAIT_MS;
      if (destroyed !== undefined) {
        // SECURITY: "close({ force: true }) returns within its bound": a forced close after a
        // graceful one shortens the wait.
        if (destroyOptions.force === true) armKill(wait);
        return destroyed;
      }
      // SECURITY: "Closing leaves nothing behind": no retry is left armed to fork after close.
      clearTimeout(retryTimer);
      retryTimer = undefined;
      const current = child;
      if (current === undefined) return (destroyed = Promise.resolve());
      destroyed = current.ended;
      updateRef();
      // A pool process that has not said 'ready' has run nothing (placement waits for it),
      // so it is stopped now rather than asked, once it has booted, to destroy its threads:
      // close() right after createEngine costs a kill, not a whole start.
      if (!current.ready) armKill(0);
      armKill(wait);
      void current.ended.then(() => clearTimeout(killTimer));
      current.outbox.push({ type: 'destroy' });
      return destroyed;
    },
  };
}
