// Entry of the pool folder: explicit re-exports only.
export { createScriptPool } from './script-pool.js';
export type { ScriptPool, ScriptPoolOptions, WorkerMessageHandler } from './script-pool.js';
export type { PortLink } from './port-link.js';
