// Entry of the validator folder: explicit re-exports only.

export { validateScript } from './validate-script.js';
export type { PreparedScript } from './validate-script.js';
