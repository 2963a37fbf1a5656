// Entry of the pool folder: explicit re-exports only.
export { createProcessPool } from './process-pool.js';
export { createScriptPool } from './script-pool.js';
export type { ThreadPool } from './script-pool.js';
export { lossOf, TaskLostError } from './types.js';
export type { LossReason, PoolEvent, PoolEventHandler, PortLink, ScriptPool, ScriptPoolOptions, StuckThread, TaskLoss, WorkerMessageHandler } from './types.js';
