// Owns `executeMany`: checks the options and the source up front, then drives one BatchRun
// as an async generator. Leaving the loop early ends the batch (running jobs are aborted).

import { AsyncResource } from 'node:async_hooks';
import { BatchRun } from './batch-run.js';
import { checkJobSource, createJobReader } from './job-reader.js';
import { resolveBatchOptions, type ResolvedBatchOptions } from './options.js';
import type { BatchEngine, BatchOutcome, ExecuteManyOptions, JobSource } from './types.js';

async function* drive(engine: BatchEngine, jobs: JobSource, options: ResolvedBatchOptions): AsyncGenerator<BatchOutcome, void, undefined> {
  // Created on the first `next()`: a batch nobody reads never touches the source or the signal.
  const run = new BatchRun(engine, createJobReader(jobs), options);
  try {
    for (let outcome = await run.next(); outcome !== undefined; outcome = await run.next()) {
      yield outcome;
      run.release();
    }
  } finally {
    run.close();
  }
}

/**
 * Runs many jobs on `engine`, yielding one outcome per job in completion order. Throws
 * InvalidOptionsError at once for bad options or a source that is not (async) iterable;
 * after that, only an error thrown by the source itself (or by `onProgress`) ends the loop
 * with an exception, after the outcomes of the jobs already started.
 */
export function executeMany(engine: BatchEngine, jobs: JobSource, options?: ExecuteManyOptions): AsyncGenerator<BatchOutcome, void, undefined> {
  const resolved = resolveBatchOptions(options);
  // Checked now so a wrong argument fails at the call, not at the first iteration.
  checkJobSource(jobs);
  // Every job's handlers run in the async context of this call, not of whoever reads the
  // outcomes (a job has no context of its own: it is data, read later from the source).
  const context = new AsyncResource('toolweaver.batch');
  const bound: BatchEngine = { compile: (code) => engine.compile(code), execute: (code, options) => context.runInAsyncScope(() => engine.execute(code, options)) };
  return drive(bound, jobs, resolved);
}
