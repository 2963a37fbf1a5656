// Owns the piscina pool: the only piscina import. Starts the worker threads, keeps one
// persistent port per thread, probes threads for liveness and terminates a stuck thread.
// Never queues inside piscina: the engine admits at most `capacity` tasks at once, because
// a queued piscina task cannot be cancelled without an AbortSignal, and an abortable task
// gets a thread to itself (design notes, Timeouts).

import { Piscina } from 'piscina';
import type { MessagePort } from 'node:worker_threads';
import { isHelloMessage, type MainMessage, type RunOutcome, type RunTask, type WorkerMessage } from '../protocol.js';
import { createPortLink, type PortLink } from './port-link.js';

/** How the pool is sized. */
export interface ScriptPoolOptions {
  threads: number;
  /** Scripts run at once on one thread (piscina's concurrentTasksPerWorker). */
  scriptsPerThread: number;
  /** Handler exported by the worker; `unsafeRunBaseline` is for benchmarks only. */
  handler?: 'default' | 'unsafeRunBaseline';
}

/** Receives every message a worker sends on its port, with the link to answer on. */
export type WorkerMessageHandler = (message: WorkerMessage, link: PortLink) => void;

export interface ScriptPool {
  /** Most tasks in flight at once: threads x scriptsPerThread. */
  readonly capacity: number;
  /** Runs a task; rejects only when the thread running it died. */
  run(task: RunTask): Promise<RunOutcome>;
  /** Posts a control message to every thread (a cancel reaches the one running the script). */
  broadcast(message: MainMessage): void;
  /** Thread ids that do not answer a ping within `windowMs` (stuck in a loop). */
  findUnresponsiveThreads(windowMs: number): Promise<number[]>;
  /** Terminates a thread; piscina fails its tasks and starts a replacement. */
  terminateThread(threadId: number): Promise<void>;
  /** Ids of the live threads. */
  threadIds(): number[];
  destroy(): Promise<void>;
}

const WORKER_URL = new URL('../worker/main.js', import.meta.url);

export function createScriptPool(options: ScriptPoolOptions, onMessage: WorkerMessageHandler): ScriptPool {
  const links = new Map<number, PortLink>();
  const pongs = new Map<number, number>();
  let pingSeq = 0;
  const piscina = new Piscina({
    filename: WORKER_URL.href,
    name: options.handler ?? 'default',
    minThreads: options.threads,
    maxThreads: options.threads,
    concurrentTasksPerWorker: options.scriptsPerThread,
    // A blocked Atomics.wait would stop a worker from reading its tool-call port.
    atomics: 'disabled',
    idleTimeout: Number.MAX_SAFE_INTEGER,
  });
  const attach = (threadId: number, port: MessagePort): void => {
    const link = createPortLink(threadId, port);
    links.set(threadId, link);
    port.on('message', (message: WorkerMessage) => {
      if (message.type === 'pong') pongs.set(message.threadId, message.seq);
      else onMessage(message, link);
    });
    port.on('close', () => {
      links.delete(threadId);
      pongs.delete(threadId);
    });
    // Running tasks keep the process alive through piscina; an idle port must not.
    port.unref();
  };
  piscina.on('message', (message: unknown) => {
    if (isHelloMessage(message)) attach(message.threadId, message.port);
  });
  // A thread that dies with no task on it surfaces here; its tasks are failed separately.
  piscina.on('error', () => {});

  return {
    capacity: options.threads * options.scriptsPerThread,
    run: (task) => piscina.run(task) as Promise<RunOutcome>,
    broadcast(message) {
      for (const link of links.values()) link.send(message);
    },
    async findUnresponsiveThreads(windowMs) {
      const seq = ++pingSeq;
      const asked = [...links.keys()];
      for (const threadId of asked) links.get(threadId)?.send({ type: 'ping', seq });
      await new Promise((resolve) => setTimeout(resolve, windowMs));
      return asked.filter((threadId) => links.has(threadId) && (pongs.get(threadId) ?? 0) < seq);
    },
    async terminateThread(threadId) {
      const worker = piscina.threads.find((thread) => thread.threadId === threadId);
      links.get(threadId)?.close();
      links.delete(threadId);
      if (worker !== undefined) await worker.terminate();
    },
    threadIds: () => piscina.threads.map((thread) => thread.threadId),
    async destroy() {
      for (const link of links.values()) link.close();
      links.clear();
      await piscina.destroy();
    },
  };
}
