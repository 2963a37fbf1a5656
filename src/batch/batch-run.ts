// Owns one running batch: intake from the source, outcomes in completion order, progress,
// abort and early exit. At most `concurrency` jobs are held between intake and the consumer;
// a job's slot frees only when the consumer comes back for the outcome after it, so a slow
// consumer slows intake. Never throws a job's failure: only the source's (or onProgress's).

import { setMaxListeners } from 'node:events';
import { performance } from 'node:perf_hooks';
import { ExecutionAbortedError, InvalidOptionsError, type ToolWeaverError } from '../errors.js';
import { Fifo } from '../fifo.js';
import { checkJob, idOf } from './check-job.js';
import { createCompileCache, type CompileCache } from './compile-cache.js';
import type { JobReader, JobStep } from './job-reader.js';
import type { ResolvedBatchOptions } from './options.js';
import type { BatchEngine, BatchOutcome, JobId } from './types.js';

function isPending(step: JobStep): step is Promise<IteratorResult<unknown>> {
  return typeof (step as { then?: unknown }).then === 'function';
}

/** One batch in progress; driven by `executeMany`'s generator (next, release, close). */
export class BatchRun {
  readonly #engine: BatchEngine;
  readonly #reader: JobReader;
  readonly #options: ResolvedBatchOptions;
  readonly #compiled: CompileCache;
  readonly #ready = new Fifo<BatchOutcome>();
  // One signal for every execution of the batch: the caller's abort and an early exit fire it.
  readonly #controller = new AbortController();
  readonly #startedAt = performance.now();
  readonly #unwatch: () => void;
  #taken = 0;
  /** Jobs taken whose outcome the consumer has not released yet. */
  #held = 0;
  #inFlight = 0;
  #done = 0;
  #failed = 0;
  #pulling = false;
  #exhausted = false;
  #closed = false;
  /** The source's (or onProgress's) error: intake stops, and it is thrown after the last outcome. */
  #fault: { error: unknown } | undefined;
  #wake: (() => void) | undefined;

  constructor(engine: BatchEngine, reader: JobReader, options: ResolvedBatchOptions) {
    this.#engine = engine;
    this.#reader = reader;
    this.#options = options;
    this.#compiled = createCompileCache(engine);
    // Every in-flight execution listens on this signal: hundreds is expected, not a leak.
    setMaxListeners(0, this.#controller.signal);
    this.#unwatch = this.#watch(options.signal);
  }

  /** The next outcome, or undefined once every job has one. Throws the source's error last. */
  async next(): Promise<BatchOutcome | undefined> {
    while (true) {
      this.#fill();
      const outcome = this.#ready.shift();
      if (outcome !== undefined) return outcome;
      if ((this.#exhausted || this.#fault !== undefined) && !this.#pulling && this.#inFlight === 0) {
        if (this.#fault !== undefined) throw this.#fault.error;
        return undefined;
      }
      await new Promise<void>((resolve) => (this.#wake = resolve));
    }
  }

  /** The consumer has come back after an outcome: its slot goes back to intake. */
  release(): void {
    this.#held--;
  }

  /** Ends the batch: aborts what still runs and lets the source clean up. Idempotent. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#unwatch();
    if (!this.#exhausted) this.#reader.close();
    if (this.#inFlight > 0) this.#controller.abort(new Error('The batch was closed before this job finished'));
  }

  #watch(signal: AbortSignal | undefined): () => void {
    if (signal === undefined) return () => {};
    const abort = (): void => this.#controller.abort(signal.reason);
    if (signal.aborted) abort();
    else signal.addEventListener('abort', abort, { once: true });
    return () => signal.removeEventListener('abort', abort);
  }

  #fill(): void {
    while (!this.#pulling && !this.#exhausted && !this.#closed && this.#fault === undefined && this.#held < this.#options.concurrency) {
      let step: JobStep;
      try {
        step = this.#reader.next();
      } catch (error) {
        this.#fault = { error };
        return;
      }
      if (!isPending(step)) {
        this.#take(step);
        continue;
      }
      this.#pulling = true;
      step.then((result) => this.#take(result), (error: unknown) => (this.#fault ??= { error })).finally(() => {
        this.#pulling = false;
        this.#fill();
        this.#notify();
      });
    }
  }

  #take(result: IteratorResult<unknown>): void {
    if (result.done === true) {
      this.#exhausted = true;
      return;
    }
    // A job that arrives after the batch ended gets no outcome: nobody will read it.
    if (this.#closed || this.#fault !== undefined) return;
    const index = this.#taken++;
    this.#held++;
    this.#start(result.value, index);
  }

  #start(raw: unknown, index: number): void {
    const { signal } = this.#controller;
    if (signal.aborted) return this.#reject(idOf(raw, index), index, new ExecutionAbortedError('signal', { cause: signal.reason }));
    const job = checkJob(raw, index);
    if (job instanceof InvalidOptionsError) return this.#reject(idOf(raw, index), index, job);
    const compiled = typeof job.code === 'string' ? this.#compiled.get(job.code) : { script: job.code };
    if ('error' in compiled) return this.#reject(job.id, index, compiled.error);
    const { id } = job;
    this.#inFlight++;
    this.#engine.execute(compiled.script, { context: job.context, signal, hostContext: job.hostContext }).then(
      (result) => {
        this.#inFlight--;
        this.#settle({ id, index, status: 'fulfilled', result });
      },
      (error: unknown) => {
        this.#inFlight--;
        this.#settle({ id, index, status: 'rejected', error: error as ToolWeaverError });
      },
    );
  }

  #reject(id: JobId, index: number, error: ToolWeaverError): void {
    this.#settle({ id, index, status: 'rejected', error });
  }

  #settle(outcome: BatchOutcome): void {
    if (this.#closed) return;
    this.#done++;
    if (outcome.status === 'rejected') this.#failed++;
    this.#ready.push(outcome);
    this.#report();
    this.#notify();
  }

  #report(): void {
    const { onProgress } = this.#options;
    if (onProgress === undefined || this.#fault !== undefined) return;
    const seconds = (performance.now() - this.#startedAt) / 1000;
    const rate = seconds > 0 ? this.#done / seconds : 0;
    try {
      onProgress({ done: this.#done, failed: this.#failed, inFlight: this.#inFlight, rate });
    } catch (error) {
      this.#fault = { error };
    }
  }

  #notify(): void {
    const wake = this.#wake;
    this.#wake = undefined;
    wake?.();
  }
}
