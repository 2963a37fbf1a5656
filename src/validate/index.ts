// Entry of the validator folder: explicit re-exports only.

export { validateScript } from './validate-script.js';
export type { PreparedScript, ValidateOptions } from './validate-script.js';
export { editDistance, suggestTools } from './find-unknown-tools.js';
export type { KnownNode, KnownTools } from './find-unknown-tools.js';
export type { Normalization, TakenFence } from './normalize-input.js';
export { findToolReach } from './find-tool-reach.js';
export type { ToolReachOptions } from './find-tool-reach.js';
