// Owns the worker side of a queue: `createQueueWorker` takes jobs from BullMQ and runs each on
// the local engine, its calls written to the job's record before their handlers run and a
// re-delivered job answered from that record; each job's outcome is stored once. Never stores
// a second outcome, never re-runs past a record it cannot replay, never hands back a job
// whose outcome is stored.

import { WaitingError, Worker, type Job } from 'bullmq';
import { createCompileCache, type BatchOutcome } from '../batch/index.js';
import type { Engine } from '../engine.js';
import { EngineClosedError, ExecutionAbortedError, InvalidOptionsError, WorkerCrashedError, type ToolWeaverError } from '../errors.js';
import { REPLAY_RECORD, type RecordedExecuteOptions } from '../replay-record.js';
import { createCallRecordSink, readRecord, recordChars, type CallRecordSink } from './call-record.js';
import type { QueuedJobData } from './job-check.js';
import { outcomeToJson } from './outcome-record.js';
import { DEFAULT_LOCK_DURATION_MS, DEFAULT_MAX_DELIVERIES, DEFAULT_MAX_RECORD_CHARS, DEFAULT_WORKER_CONCURRENCY, integerOption, resolveQueueBase, type QueueConnection } from './queue-options.js';
import { queueCommands, queueKeys, type QueueCommands, type QueueKeys, type RedisClient } from './redis-keys.js';

/** Options of `createQueueWorker`. */
export interface QueueWorkerOptions {
  /** Where Redis is: a `redis://` URL, or BullMQ's connection options. */
  connection: QueueConnection;
  /** The queue to take jobs from. */
  name: string;
  /** Runs the jobs, with this machine's tools. The worker never closes it. */
  engine: Engine;
  /** BullMQ's key prefix; the producer's. @default 'bull' */
  prefix?: string | undefined;
  /** Jobs run at once, as executeMany's `concurrency`. @default DEFAULT_BATCH_CONCURRENCY (256) */
  concurrency?: number | undefined;
  /** Deliveries of one job (its workers died) before it gets a final WorkerCrashedError outcome. @default 3 */
  maxDeliveries?: number | undefined;
  /** How long a hold on a job lasts unrenewed: a dead worker's jobs run again after about this long. @default 30000 */
  lockDurationMs?: number | undefined;
  /** Characters of one job's record of calls; past it, a re-delivery ends with WorkerCrashedError. @default 1048576 */
  maxRecordChars?: number | undefined;
  /** Hears Redis connection errors (the worker reconnects by itself). @default ignored */
  onError?: ((error: Error) => void) | undefined;
}

/** Options of `worker.close`. */
export interface QueueWorkerCloseOptions {
  /** Hand active jobs back to the queue at once (their executions aborted) instead of finishing them. @default false */
  force?: boolean | undefined;
}

/** A running queue worker. */
export interface QueueWorker {
  /** Jobs this worker is running now. */
  readonly running: number;
  /** Resolves once the worker is connected and taking jobs. */
  waitUntilReady(): Promise<void>;
  /** Takes no new job; finishes (or with `force`, hands back) the active ones, then closes its connections. */
  close(options?: QueueWorkerCloseOptions): Promise<void>;
}

const KEYS = ['connection', 'name', 'engine', 'prefix', 'concurrency', 'maxDeliveries', 'lockDurationMs', 'maxRecordChars', 'onError'] as const;

interface ActiveJob {
  controller: AbortController;
  sink: CallRecordSink | undefined;
}

interface Settings {
  keys: QueueKeys;
  engine: Engine;
  maxDeliveries: number;
  maxRecordChars: number;
  active: Map<string, ActiveJob>;
  compiled: ReturnType<typeof createCompileCache>;
}

const rejected = (data: QueuedJobData, error: ToolWeaverError): BatchOutcome => ({ id: data.id, index: data.index, status: 'rejected', error });

/** Runs one delivery of a job to its outcome, or to 'handed-back'. */
async function runDelivery(settings: Settings, commands: QueueCommands, jobId: string, data: QueuedJobData, deliveries: number, entries: Array<string | number>): Promise<BatchOutcome | 'handed-back'> {
  const { keys, engine, active } = settings;
  // SECURITY: "Poison jobs end" (docs/queue.md): a job whose workers keep dying is not run again.
  if (deliveries > settings.maxDeliveries) {
    return rejected(data, new WorkerCrashedError(entries.length > 0, `the job was delivered ${settings.maxDeliveries} times and no worker finished it, so it was not run again`));
  }
  const record = readRecord(entries);
  if ('overflowed' in record) return rejected(data, new WorkerCrashedError(true, 'its record of tool calls outgrew `maxRecordChars`, so it was not run again'));
  const compiled = settings.compiled.get(data.code);
  if ('error' in compiled) return rejected(data, compiled.error);
  const entry: ActiveJob = { controller: new AbortController(), sink: undefined };
  const sink = createCallRecordSink(commands, keys.job(jobId), keys.calls(jobId), deliveries, recordChars(entries), settings.maxRecordChars);
  entry.sink = sink;
  active.set(jobId, entry);
  const options: RecordedExecuteOptions = { signal: entry.controller.signal, [REPLAY_RECORD]: { calls: record.calls, sink } };
  if (data.context !== undefined) options.context = data.context;
  try {
    const result = await engine.execute(compiled.script, options);
    return { id: data.id, index: data.index, status: 'fulfilled', result };
  } catch (error) {
    // Aborted by a forced close, or the engine closed under the worker: the job is not done.
    if ((error instanceof ExecutionAbortedError && entry.controller.signal.aborted) || error instanceof EngineClosedError) return 'handed-back';
    return rejected(data, error as ToolWeaverError);
  } finally {
    active.delete(jobId);
  }
}

/** Creates a worker taking jobs of queue `name` and running them on `engine`. Throws InvalidOptionsError for bad options. */
export function createQueueWorker(options: QueueWorkerOptions): QueueWorker {
  const { connection, name, prefix, raw } = resolveQueueBase(options, KEYS, 'worker');
  const engine = raw.engine as Engine;
  if (typeof engine !== 'object' || engine === null || typeof engine.execute !== 'function') throw new InvalidOptionsError('engine', 'Expected `engine` to be an Engine made by createEngine');
  const onError = raw.onError;
  if (onError !== undefined && typeof onError !== 'function') throw new InvalidOptionsError('onError', 'Expected `onError` to be a function');
  const concurrency = integerOption(raw, 'concurrency', DEFAULT_WORKER_CONCURRENCY, 100_000);
  const maxDeliveries = integerOption(raw, 'maxDeliveries', DEFAULT_MAX_DELIVERIES, 100);
  const lockDurationMs = integerOption(raw, 'lockDurationMs', DEFAULT_LOCK_DURATION_MS, 86_400_000);
  const maxRecordChars = integerOption(raw, 'maxRecordChars', DEFAULT_MAX_RECORD_CHARS, 536_870_912);
  const settings: Settings = { keys: queueKeys(prefix, name), engine, maxDeliveries, maxRecordChars, active: new Map(), compiled: createCompileCache(engine) };
  let commands: QueueCommands | undefined;

  const processJob = async (job: Job<QueuedJobData>, token?: string): Promise<void> => {
    const jobId = job.id!;
    commands ??= queueCommands((await worker.client) as unknown as RedisClient);
    const state = await commands.begin(settings.keys.job(jobId), settings.keys.calls(jobId));
    // Gone (removed, or lost with Redis's data), or a duplicate delivery of a job with its outcome.
    if (state === false || state === null || Number(state[0]) === 1) return;
    const delivery = Number(state[1]);
    const outcome = await runDelivery(settings, commands, jobId, job.data, delivery, state.slice(2));
    if (outcome === 'handed-back') {
      // A hand-back is not a failed delivery: it does not count towards `maxDeliveries`.
      await ((await worker.client) as unknown as RedisClient).call('HINCRBY', settings.keys.job(jobId), 'twDeliveries', -1);
      await job.moveToWait(token);
      throw new WaitingError();
    }
    // SECURITY: "Exactly one stored outcome per job" (docs/queue.md): written once, atomically,
    // and only by the job's latest delivery.
    await commands.finish(settings.keys, jobId, delivery, outcomeToJson(outcome), outcome.status === 'rejected');
  };

  const worker = new Worker<QueuedJobData>(name, processJob, {
    connection,
    prefix,
    concurrency,
    lockDuration: lockDurationMs,
    stalledInterval: lockDurationMs,
    // BullMQ must never fail a stalled job itself: the delivery count above ends it, with an outcome.
    maxStalledCount: maxDeliveries + 1,
  });
  worker.on('error', (error) => (onError as ((error: Error) => void) | undefined)?.(error));
  let closing: Promise<void> | undefined;
  return {
    get running() {
      return settings.active.size;
    },
    waitUntilReady: async () => void (await worker.waitUntilReady()),
    close(closeOptions = {}) {
      if (closeOptions.force === true) {
        for (const active of settings.active.values()) {
          active.sink?.handBack();
          active.controller.abort(new Error('The queue worker was closed with `force`'));
        }
      }
      closing ??= worker.close();
      return closing;
    },
  };
}
