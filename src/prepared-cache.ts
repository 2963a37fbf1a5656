// Owns the engine's cache of validated scripts: the same code submitted again (a batch,
// an agent retrying) is parsed and checked once. Rejections are not cached: they are rare
// and their errors carry per-execution metadata.

import { validateScript, type PreparedScript } from './validate/index.js';

/** Most distinct scripts kept; least recently used is dropped first. */
const MAX_ENTRIES = 256;
/** Scripts longer than this are validated every time rather than pinned in memory. */
const MAX_CACHED_CHARS = 64 * 1024;

export interface PreparedCache {
  /** The prepared form of `code`, from the cache when seen before; throws SecurityValidationError or ScriptSyntaxError. */
  get(code: string): PreparedScript;
  /** Validates `code` without consulting or filling the cache. */
  validate(code: string): PreparedScript;
}

export function createPreparedCache(): PreparedCache {
  const entries = new Map<string, PreparedScript>();
  return {
    validate: (code) => validateScript(code),
    get(code) {
      const hit = entries.get(code);
      if (hit !== undefined) {
        entries.delete(code);
        entries.set(code, hit);
        return hit;
      }
      const prepared = validateScript(code);
      if (code.length <= MAX_CACHED_CHARS) {
        entries.set(code, prepared);
        if (entries.size > MAX_ENTRIES) entries.delete(entries.keys().next().value!);
      }
      return prepared;
    },
  };
}
