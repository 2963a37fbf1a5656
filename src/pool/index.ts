// Entry of the pool folder: explicit re-exports only.
export { createProcessPool, forkPoolProcess } from './process-pool.js';
export { holdPrewarmed } from './prewarm.js';
export type { PrewarmedChild } from './prewarm.js';
export { createScriptPool } from './script-pool.js';
export type { ThreadPool } from './script-pool.js';
export { lossOf, TaskLostError } from './types.js';
export type { LossReason, PoolEvent, PoolEventHandler, PortLink, ScriptPool, ScriptPoolOptions, StuckThread, TaskLoss, WorkerMessageHandler } from './types.js';
