// Owns the producer side of a queue: `createJobQueue` checks each job before it enters
// (nothing invalid is stored), numbers jobs across producers, adds them to BullMQ, and reads
// back outcomes, progress and the drained state from toolweaver's keys. Never runs a script.

import { Queue } from 'bullmq';
import type { BatchJob, BatchOutcome, JobId } from '../batch/index.js';
import type { ToolCatalog } from '../catalog/index.js';
import { randomUUID } from 'node:crypto';
import { InvalidOptionsError, QueueDataLostError } from '../errors.js';
import { createJobChecker, type QueuedJobData } from './job-check.js';
import { checkResultsOptions, resolveQueueBase, type QueueConnection } from './queue-options.js';
import { queueKeys, type RedisClient } from './redis-keys.js';
import { readOutcomes, type ResultsOptions } from './results-reader.js';

/** Options of `createJobQueue`. */
export interface JobQueueOptions {
  /** Where Redis is: a `redis://` URL, or BullMQ's connection options. */
  connection: QueueConnection;
  /** The queue's name (no `:`); workers of the same name take its jobs. */
  name: string;
  /** BullMQ's key prefix; put a hash tag in it (`{tw}`) on Redis Cluster. @default 'bull' */
  prefix?: string | undefined;
  /** Validate scripts against these tools too (unknown tools refused at `add`). @default syntax and security rules only */
  catalog?: ToolCatalog | undefined;
}

/** A job the queue accepted. */
export interface QueuedJob {
  /** The job's `id`, or its index when it had none. */
  id: JobId;
  /** 0-based position among every job ever added to the queue (by any producer). */
  index: number;
  /** BullMQ's id of the job. */
  jobId: string;
}

/** A snapshot of the whole queue, across every producer and worker. */
export interface QueueProgress {
  /** Jobs with a stored outcome. */
  done: number;
  /** Of `done`, rejected. */
  failed: number;
  /** Jobs waiting for a worker (waiting, delayed, paused, prioritized). */
  waiting: number;
  /** Jobs a worker holds. */
  active: number;
  /** Outcomes stored per second over the last 10 seconds. */
  rate: number;
}

/** The producer of a queue. */
export interface JobQueue {
  /** Checks and adds one job; rejects with the job's typed error (nothing is added). */
  add(job: BatchJob): Promise<QueuedJob>;
  /** Checks every job, then adds them all at once; if any is invalid, none is added. */
  addMany(jobs: Iterable<BatchJob>): Promise<QueuedJob[]>;
  /**
   * Stored outcomes from the first, with executeMany's shape and typed errors; ends when every
   * job added has one. With `remove`, each outcome is deleted once the loop moves past it.
   * Throws InvalidOptionsError for bad options.
   */
  results(options?: ResultsOptions): AsyncGenerator<BatchOutcome, void, undefined>;
  progress(): Promise<QueueProgress>;
  /**
   * Resolves once every job added so far has its outcome. Like every operation of this
   * producer, rejects with QueueDataLostError once Redis has lost the queue's data.
   */
  drain(options?: { signal?: AbortSignal | undefined }): Promise<void>;
  /** Closes this producer's connections; the queue and its jobs stay in Redis. */
  close(): Promise<void>;
}

/** Jobs per BullMQ addBulk call. */
const ADD_CHUNK = 1_000;
/** Retries of a job whose worker failed to reach Redis; deliveries are bounded by the worker's `maxDeliveries` first. */
const ATTEMPTS = 1_000;
const RATE_WINDOW_S = 10;
const DRAIN_POLL_MS = 100;
const KEYS = ['connection', 'name', 'prefix', 'catalog'] as const;

/** Creates the producer of queue `name`. Throws InvalidOptionsError for bad options. */
export function createJobQueue(options: JobQueueOptions): JobQueue {
  const { connection, name, prefix, raw } = resolveQueueBase(options, KEYS, 'queue');
  const catalog = raw.catalog as ToolCatalog | undefined;
  if (catalog !== undefined && (typeof catalog !== 'object' || typeof catalog.list !== 'function')) throw new InvalidOptionsError('catalog', 'Expected `catalog` to be a ToolCatalog');
  const queue = new Queue<QueuedJobData>(name, { connection, prefix });
  // BullMQ emits connection errors while Redis restarts; its client reconnects by itself.
  queue.on('error', () => {});
  const keys = queueKeys(prefix, name);
  const checker = createJobChecker(catalog);
  const client = async (): Promise<RedisClient> => (await queue.client) as unknown as RedisClient;
  const jobOptions = { removeOnComplete: true, removeOnFail: true, attempts: ATTEMPTS, backoff: { type: 'fixed', delay: 1_000 } };

  // The queue's epoch as this producer first saw it (or set it).
  let epoch: string | undefined;
  async function verify(redis: RedisClient): Promise<void> {
    const mine = randomUUID();
    const current = ((await redis.call('SET', keys.epoch, mine, 'NX', 'GET')) as string | null) ?? mine;
    epoch ??= current;
    if (current !== epoch) throw new QueueDataLostError(name);
  }

  async function addChunk(jobs: readonly BatchJob[]): Promise<QueuedJob[]> {
    const checked = jobs.map((job, i) => checker.check(job, i));
    const redis = await client();
    await verify(redis);
    // Numbered only once checked: `added` counts jobs that entered, which `drain` waits for.
    const first = Number(await redis.call('INCRBY', keys.added, checked.length)) - checked.length;
    const data: QueuedJobData[] = checked.map((job, i) => ({ ...job, id: job.id ?? first + i, index: first + i }));
    try {
      const added = await queue.addBulk(data.map((job) => ({ name: 'tw', data: job, opts: jobOptions })));
      return added.map((job, i) => ({ id: data[i]!.id, index: data[i]!.index, jobId: job.id! }));
    } catch (error) {
      await redis.call('DECRBY', keys.added, data.length).catch(() => {});
      throw error;
    }
  }

  return {
    async add(job) {
      return (await addChunk([job]))[0]!;
    },
    async addMany(jobs) {
      const list = [...jobs];
      // Checked before anything is added: one invalid job means none enters.
      list.forEach((job, i) => checker.check(job, i));
      const queued: QueuedJob[] = [];
      for (let at = 0; at < list.length; at += ADD_CHUNK) queued.push(...(await addChunk(list.slice(at, at + ADD_CHUNK))));
      return queued;
    },
    results(resultsOptions = {}) {
      checkResultsOptions(resultsOptions);
      const reader = async function* (): AsyncGenerator<BatchOutcome, void, undefined> {
        const redis = await client();
        const blocking = (redis as unknown as { duplicate(): RedisClient & { disconnect(): void } }).duplicate();
        await verify(redis);
        yield* readOutcomes(redis, blocking, keys, resultsOptions, () => verify(redis));
      };
      return reader();
    },
    async progress() {
      const redis = await client();
      await verify(redis);
      const second = Math.floor(Date.now() / 1000);
      const rateKeys = Array.from({ length: RATE_WINDOW_S }, (_, i) => keys.rate(second - 1 - i));
      const [done, failed, ...perSecond] = (await redis.call('MGET', keys.done, keys.failed, ...rateKeys)) as Array<string | null>;
      const counts = await queue.getJobCounts('wait', 'paused', 'delayed', 'prioritized', 'active');
      const waiting = (counts.wait ?? 0) + (counts.paused ?? 0) + (counts.delayed ?? 0) + (counts.prioritized ?? 0);
      const rate = perSecond.reduce((sum, count) => sum + (Number(count) || 0), 0) / RATE_WINDOW_S;
      return { done: Number(done) || 0, failed: Number(failed) || 0, waiting, active: counts.active ?? 0, rate };
    },
    async drain(drainOptions = {}) {
      const redis = await client();
      while (drainOptions.signal?.aborted !== true) {
        await verify(redis);
        const [done, added] = (await redis.call('MGET', keys.done, keys.added)) as Array<string | null>;
        if ((Number(done) || 0) >= (Number(added) || 0)) return;
        await new Promise((resolve) => setTimeout(resolve, DRAIN_POLL_MS));
      }
    },
    close: () => queue.close(),
  };
}
