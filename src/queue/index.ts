// Entry of `toolweaver/queue`, the distributed mode on BullMQ and Redis: explicit re-exports
// only. Loaded only by users who import it; `bullmq` is an optional peer dependency.
export { createJobQueue } from './job-queue.js';
export type { JobQueue, JobQueueOptions, QueuedJob, QueueProgress } from './job-queue.js';
export { createQueueWorker } from './queue-worker.js';
export type { QueueWorker, QueueWorkerCloseOptions, QueueWorkerOptions } from './queue-worker.js';
export type { ResultsOptions } from './results-reader.js';
export type { QueueConnection } from './queue-options.js';
export { DEFAULT_LOCK_DURATION_MS, DEFAULT_MAX_DELIVERIES, DEFAULT_MAX_RECORD_CHARS, connectionFromUrl } from './queue-options.js';
