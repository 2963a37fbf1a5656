// Entry of the batch folder: explicit re-exports only.
export { executeMany } from './execute-many.js';
export { DEFAULT_BATCH_CONCURRENCY } from './options.js';
export type {
  BatchEngine, BatchJob, BatchOutcome, BatchProgress, ExecuteManyOptions, FulfilledOutcome, JobId, JobSource, RejectedOutcome,
} from './types.js';
export { checkJob } from './check-job.js';
export type { CheckedJob } from './check-job.js';
export { createCompileCache } from './compile-cache.js';
export type { CompileCache, Compiled } from './compile-cache.js';
