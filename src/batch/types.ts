// Owns the public types of a batch: jobs in, outcomes out, progress and options. Types only;
// no runtime code, so the engine can import them without a cycle.

import type { CompiledScript } from '../compiled-script.js';
import type { ToolWeaverError } from '../errors.js';
import type { ExecuteResult } from '../execution.js';
import type { ExecuteOptions } from '../options.js';

/** How a job is named in its outcome. */
export type JobId = string | number;

/** One script run of a batch. */
export interface BatchJob {
  /** The script, as source or as made by `engine.compile`. Identical sources are compiled once per batch. */
  code: string | CompiledScript;
  /** JSON data; each key becomes a read-only global of the script, as with `execute`. @default {} */
  context?: Record<string, unknown>;
  /** Names the job in its outcome. @default the job's index */
  id?: JobId;
  /** Any host value, handed to this job's handlers as `ctx.hostContext`, as with `execute`. @default undefined */
  hostContext?: unknown;
}

/** Where a batch reads its jobs from. Read one job at a time, never all at once. */
export type JobSource = Iterable<BatchJob> | AsyncIterable<BatchJob>;

/** A job that ran to its result. */
export interface FulfilledOutcome<Value = unknown> {
  /** The job's `id`, or its index when it had none. */
  id: JobId;
  /** 0-based position of the job in the source. */
  index: number;
  status: 'fulfilled';
  result: ExecuteResult<Value>;
}

/** A job that failed: the same typed error `execute` rejects with. */
export interface RejectedOutcome {
  /** The job's `id`, or its index when it had none (or a malformed one). */
  id: JobId;
  /** 0-based position of the job in the source. */
  index: number;
  status: 'rejected';
  /**
   * Why it failed. A malformed job gives InvalidOptionsError; jobs not started when the batch
   * was aborted give ExecutionAbortedError. Jobs sharing code that fails validation share one
   * error object, with no `metadata` (the script never ran).
   */
  error: ToolWeaverError;
}

/** The one outcome of one job, in completion order. */
export type BatchOutcome<Value = unknown> = FulfilledOutcome<Value> | RejectedOutcome;

/** A snapshot passed to `onProgress` each time a job settles. */
export interface BatchProgress {
  /** Jobs with an outcome, fulfilled or rejected. */
  done: number;
  /** Of `done`, the rejected ones. */
  failed: number;
  /** Jobs started whose outcome is not in yet. */
  inFlight: number;
  /** `done` per second since the batch started reading jobs. */
  rate: number;
}

/** Options of `engine.executeMany`. */
export interface ExecuteManyOptions {
  /**
   * Most jobs taken from the source and not yet read back as outcomes (running, queued in
   * the engine, or settled and waiting for the consumer). Bounds memory and sets intake.
   * @default DEFAULT_BATCH_CONCURRENCY (256)
   */
  concurrency?: number;
  /**
   * Ends the whole batch: running jobs are aborted, and every job not yet started (including
   * the rest of the source, which is still read) gets an ExecutionAbortedError outcome
   * without running. @default none
   */
  signal?: AbortSignal;
  /**
   * Called after each job settles. An exception from it ends intake like a failing source.
   * @default none
   */
  onProgress?: (progress: BatchProgress) => void;
}

/** What a batch needs of an engine: `Engine` satisfies it. */
export interface BatchEngine {
  compile(code: string): CompiledScript;
  execute(code: CompiledScript, options: ExecuteOptions): Promise<ExecuteResult>;
}
