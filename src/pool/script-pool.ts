// Owns the piscina pool: the only piscina import. Starts the worker threads, keeps one
// persistent port per thread, probes threads for liveness and terminates a stuck thread.
// Never queues inside piscina: the engine admits at most `capacity` tasks at once, because
// a queued piscina task cannot be cancelled without an AbortSignal, and an abortable task
// gets a thread to itself (design notes, Timeouts).
// Longer than our usual file: probes, suspects, placement pauses and the balancer share the
// per-thread maps, and splitting them would pass those maps around.

import { Piscina } from 'piscina';
import type { MessagePort, Worker } from 'node:worker_threads';
import { isHelloMessage, type MainMessage, type RunOutcome, type WorkerMessage } from '../protocol.js';
import { createBootTurn, reclaimBootTurn, type BootTurnData } from '../boot-turn.js';
import { createPortLink } from './port-link.js';
import { loadSegmenterData } from './warm-up.js';
import { TaskLostError, type PoolEventHandler, type PortLink, type ScriptPool, type ScriptPoolOptions, type StuckThread, type WorkerMessageHandler } from './types.js';

/** One liveness probe: the threads that have not answered its ping yet. */
interface Probe {
  seq: number;
  waiting: Set<number>;
  resolve: (silent: StuckThread[]) => void;
  timer: NodeJS.Timeout | undefined;
}

/** The in-process pool, plus what the pool process needs to relay and watch it. */
export interface ThreadPool extends ScriptPool {
  /** Posts a message to one thread's port (a relayed batch of replies). */
  send(threadId: number, message: MainMessage): void;
  /** The slot each live thread is running right now (0 while it waits for work). */
  runningSlots(): number[];
}

const WORKER_URL = new URL('../worker/main.js', import.meta.url);

/**
 * SECURITY: "A script cannot kill its thread or the host". piscina loads the worker file
 * with require() first. Where require(esm) is on (Node >= 20.19), that runs Node's
 * synchronous ESM path, and a thread terminated while it instantiates (close() during
 * startup) hits a fatal V8 error that aborts the whole process (seen once in CI:
 * "v8::Module::IsGraphAsync must be used on an instantiated module"; Node's own code marks
 * that path as not handling it). Without require(esm), the require fails normally and
 * piscina falls back to import(), which a termination interrupts cleanly.
 */
export function workerExecArgv(): string[] | undefined {
  if (!process.allowedNodeEnvironmentFlags.has('--experimental-require-module')) return undefined;
  // Only this flag: an explicit execArgv is validated per flag, and a parent's process-wide
  // flags (--inspect, say) would make every worker fail to start.
  return ['--no-experimental-require-module'];
}
const MAX_DEAD_CULPRITS = 64;
/** How long a terminated thread has to exit before it is abandoned and replaced. */
export const TERMINATE_WAIT_MS = 200;
/** How long `destroy` waits for every thread to exit. */
export const DESTROY_WAIT_MS = 1_000;

const wait = (ms: number): Promise<false> => new Promise((resolve) => setTimeout(() => resolve(false), ms).unref());

/**
 * SECURITY: "One script cannot jam its thread or the engine". Some V8 builtins (a default
 * sort of millions of numbers; Function.prototype.apply of a huge array-like) loop without
 * an interrupt check: `worker.terminate()` takes effect only when they return, seconds or
 * minutes later. Such a thread is given up: piscina is told it exited, which fails its tasks
 * now (the scheduler re-runs or reports them) and starts its replacement. The thread itself
 * ends when its builtin returns, and its real exit finds nothing left to fail.
 */
function abandon(worker: Worker): void {
  worker.emit('exit', 1);
}

/**
 * A thread's hard heap limit, as a multiple of `memoryLimitMb`, where the workers have a
 * heap meter (this process runs with --expose-gc, as the pool process does). The meter stops
 * the run growing the heap past `memoryLimitMb` at its next checkpoint; between two readings
 * one step of a growing structure (a backing store or hash table copied into one 2.5-3x its
 * size) must still fit, or V8 aborts the whole process (object-key and Map growth did at
 * limits of 1.5-2x in a prototype; test/integration/memory.test.ts holds the shapes at 3x).
 */
const METERED_HARD_LIMIT_FACTOR = 3;

/** The old-generation limit of each thread. */
function hardLimitMb(memoryLimitMb: number): number {
  const metered = typeof (globalThis as { gc?: unknown }).gc === 'function';
  return metered ? memoryLimitMb * METERED_HARD_LIMIT_FACTOR : memoryLimitMb;
}

// piscina's entry point does not export its balancer type.
type LoadBalancer = NonNullable<NonNullable<ConstructorParameters<typeof Piscina>[0]>['loadBalancer']>;

/**
 * SECURITY: "A runaway script is stopped and the engine keeps serving".
 * piscina's least-busy choice, preferring threads that are not suspect, and among the least
 * busy, one that is ready (it said hello, after lockdown) over one still booting, so the first
 * script goes to the first thread ready, not the first created. A busier ready thread is not
 * preferred over an idle booting one: a script that holds its CPU would hold the scripts
 * placed beside it too. A suspect thread (it missed a ping) may be stuck in a runaway script
 * and be terminated, and every script placed on it would die with it. A suspect thread with
 * room is still chosen over none: piscina queues a task the balancer refuses and looks at its
 * queue again only when a task ends or a thread starts, not when a suspect thread answers
 * again, so a refused task could wait for ever. The scheduler places nothing while every
 * thread is suspect (`placementPaused`, relayed to the host by the pool process), so this
 * fallback only serves a task placed while healthy threads were full, or just before the
 * pause began. If the thread is then terminated, the task had not started and runs again
 * elsewhere.
 */
export function createBalancer(maximumUsage: number, suspects: ReadonlySet<number>, ready: { has(threadId: number): boolean }): LoadBalancer {
  return (_task, workers) => {
    let best: (typeof workers)[number] | null = null;
    let bestReady = false;
    let bestSuspect: (typeof workers)[number] | null = null;
    for (const worker of workers) {
      if (worker.currentUsage >= maximumUsage) continue;
      if (suspects.has(worker.id)) {
        if (bestSuspect === null || worker.currentUsage < bestSuspect.currentUsage) bestSuspect = worker;
        continue;
      }
      const isReady = ready.has(worker.id);
      if (worker.currentUsage === 0 && isReady) return worker;
      if (best === null || worker.currentUsage < best.currentUsage || (worker.currentUsage === best.currentUsage && isReady && !bestReady)) {
        best = worker;
        bestReady = isReady;
      }
    }
    return best ?? bestSuspect;
  };
}

export function createScriptPool(options: ScriptPoolOptions, onMessage: WorkerMessageHandler, onPoolEvent: PoolEventHandler = () => {}): ThreadPool {
  const links = new Map<number, PortLink>();
  const culprits = new Map<number, Int32Array>();
  // Culprit slots of recently dead threads: the shared memory outlives the thread, and says
  // which script was running when it died (out of memory, say).
  const deadCulprits: Int32Array[] = [];
  const suspects = new Set<number>();
  const probes = new Set<Probe>();
  // Threads that ended (and how) waiting for their replacement's hello, for thread-replaced events.
  const ended: Array<{ threadId: number; cause: 'terminated' | 'died' }> = [];
  const terminated = new Set<number>();
  const resumeListeners: Array<() => void> = [];
  let pingSeq = 0;
  let destroyed: Promise<void> | undefined;
  const resume = (): void => {
    for (const listener of resumeListeners) listener();
  };
  // While every live thread is suspect, scripts wait in the scheduler's queue (abortable),
  // not on a thread that may be terminated.
  // Read on every placement: no allocation in the usual case of no suspect thread.
  const everyThreadSuspect = (): boolean => {
    if (suspects.size === 0 || links.size === 0) return false;
    for (const threadId of links.keys()) if (!suspects.has(threadId)) return false;
    return true;
  };
  // Runs `change` to the threads or suspects; resumes placement if that ended the pause.
  const changeThreads = (change: () => void): void => {
    const wasPaused = everyThreadSuspect();
    change();
    if (wasPaused && !everyThreadSuspect() && probes.size === 0) resume();
  };
  const culpritOf = (threadId: number): number => {
    const culprit = culprits.get(threadId);
    return culprit === undefined ? 0 : Atomics.load(culprit, 0);
  };
  // Whether `slot` is the script a thread is running, or was running when it died.
  const wasRunning = (slot: number): boolean => {
    for (const culprit of [...culprits.values(), ...deadCulprits]) if (Atomics.load(culprit, 0) === slot) return true;
    return false;
  };
  const finishProbe = (probe: Probe): void => {
    if (!probes.delete(probe)) return;
    clearTimeout(probe.timer);
    const silent = [...probe.waiting].filter((threadId) => links.has(threadId));
    for (const threadId of silent) suspects.add(threadId);
    probe.resolve(silent.map((threadId) => ({ threadId, culprit: culpritOf(threadId) })));
    if (probes.size === 0) resume();
  };
  // A few threads at a time load SES (boot-turn.ts; one on 2 cores); the others wait, idle.
  const bootTurn = createBootTurn();
  const bootTurnData: BootTurnData = { bootTurn: bootTurn.buffer as SharedArrayBuffer };
  // Scripts wait here until a thread is ready, then go to a ready one (the balancer); without
  // it the first script would wait on the first thread created, not the first one ready.
  let anyThreadReady = false;
  let readyWaiters: Array<() => void> = [];
  const threadReady = (): void => {
    if (anyThreadReady) return;
    anyThreadReady = true;
    for (const wake of readyWaiters) wake();
    readyWaiters = [];
  };
  const piscina = new Piscina({
    filename: WORKER_URL.href,
    workerData: bootTurnData,
    minThreads: options.threads,
    maxThreads: options.threads,
    concurrentTasksPerWorker: options.scriptsPerThread,
    // A blocked Atomics.wait would stop a worker from reading its tool-call port.
    atomics: 'disabled',
    // Its run-time and wait-time histograms (two records per task) are never read.
    recordTiming: false,
    idleTimeout: Number.MAX_SAFE_INTEGER,
    execArgv: workerExecArgv(),
    ...(options.memoryLimitMb === undefined ? {} : { resourceLimits: { maxOldGenerationSizeMb: hardLimitMb(options.memoryLimitMb) } }),
    loadBalancer: createBalancer(options.scriptsPerThread, suspects, links),
  });
  // Off the first script's path: the threads take far longer to boot than this takes.
  setImmediate(loadSegmenterData).unref();
  const attach = (threadId: number, port: MessagePort, culprit: SharedArrayBuffer): void => {
    const link = createPortLink(threadId, (message) => port.postMessage(message), () => port.close());
    changeThreads(() => links.set(threadId, link));
    threadReady();
    culprits.set(threadId, new Int32Array(culprit));
    const previous = ended.shift();
    if (previous !== undefined) onPoolEvent({ type: 'thread-replaced', threadId, previousThreadId: previous.threadId, cause: previous.cause });
    port.on('message', (message: WorkerMessage) => {
      if (message.type !== 'pong') return onMessage(message, link);
      changeThreads(() => suspects.delete(message.threadId));
      for (const probe of probes) {
        if (probe.seq === message.seq && probe.waiting.delete(message.threadId) && probe.waiting.size === 0) finishProbe(probe);
      }
    });
    port.on('close', () => changeThreads(() => {
      links.delete(threadId);
      const culprit = culprits.get(threadId);
      if (culprit !== undefined) deadCulprits.push(culprit);
      if (deadCulprits.length > MAX_DEAD_CULPRITS) deadCulprits.shift();
      culprits.delete(threadId);
      suspects.delete(threadId);
      if (destroyed === undefined) ended.push({ threadId, cause: terminated.delete(threadId) ? 'terminated' : 'died' });
      for (const probe of probes) if (probe.waiting.delete(threadId) && probe.waiting.size === 0) finishProbe(probe);
    }));
    // Running tasks keep the process alive through piscina; an idle port must not.
    port.unref();
  };
  piscina.on('message', (message: unknown) => {
    if (isHelloMessage(message)) attach(message.threadId, message.port, message.culprit);
  });
  // A thread that dies with no task on it surfaces here; its tasks are failed separately.
  // Waiting scripts then go to piscina, which places them or fails them as it did before turns.
  piscina.on('error', threadReady);
  // A thread that ended holding the boot turn (terminated, or dead while booting) never gives
  // it back: the pool does, once piscina no longer lists it.
  piscina.on('workerDestroy', () => {
    threadReady();
    // After piscina has dropped it from its list (it emits this just before).
    setImmediate(() => reclaimBootTurn(bootTurn, (threadId) => piscina.threads.some((thread) => thread.threadId === threadId))).unref();
  });

  return {
    capacity: options.threads * options.scriptsPerThread,
    async run(task) {
      if (!anyThreadReady) await new Promise<void>((wake) => readyWaiters.push(wake));
      try {
        return (await piscina.run(task)) as RunOutcome;
      } catch (error) {
        // Read at once: the dead thread's culprit slot still names the script it was running.
        const outOfMemory = (error as { code?: unknown }).code === 'ERR_WORKER_OUT_OF_MEMORY';
        const detail = error instanceof Error ? error.message : 'the worker thread ended';
        const running = outOfMemory && wasRunning(task.slot) ? 'yes' : 'no';
        throw new TaskLostError({ reason: outOfMemory ? 'out-of-memory' : 'thread-ended', running, detail }, { cause: error });
      }
    },
    broadcast(message) {
      for (const link of links.values()) link.send(message);
    },
    send(threadId, message) {
      links.get(threadId)?.send(message);
    },
    runningSlots() {
      return [...culprits.keys()].map(culpritOf);
    },
    findUnresponsiveThreads(windowMs) {
      const seq = ++pingSeq;
      return new Promise<StuckThread[]>((resolve) => {
        const probe: Probe = { seq, waiting: new Set(links.keys()), resolve, timer: undefined };
        probes.add(probe);
        probe.timer = setTimeout(() => finishProbe(probe), windowMs).unref();
        if (probe.waiting.size === 0) return finishProbe(probe);
        for (const threadId of probe.waiting) links.get(threadId)?.send({ type: 'ping', seq });
      });
    },
    get placementPaused() {
      return probes.size > 0 || everyThreadSuspect();
    },
    onPlacementResumed(listener) {
      resumeListeners.push(listener);
    },
    async terminateThread(threadId) {
      const worker = piscina.threads.find((thread) => thread.threadId === threadId);
      terminated.add(threadId);
      links.get(threadId)?.close();
      changeThreads(() => links.delete(threadId));
      if (worker === undefined) return;
      const exited = new Promise<true>((resolve) => worker.once('exit', () => resolve(true)));
      void worker.terminate();
      if (await Promise.race([exited, wait(TERMINATE_WAIT_MS)])) return;
      abandon(worker);
    },
    destroy() {
      threadReady();
      for (const link of links.values()) link.close();
      links.clear();
      // SECURITY: "close({ force: true }) returns within its bound": a thread stuck in a
      // builtin never exits on request (see abandon), so the pool is destroyed without it.
      destroyed ??= Promise.race([piscina.destroy(), wait(DESTROY_WAIT_MS)]).then(() => undefined);
      return destroyed;
    },
  };
}
