// Owns the engine's cache of validated scripts: the same code submitted again (a batch,
// an agent retrying) is parsed and checked once. Validation depends on the catalog's tool
// names, so a catalog change empties the cache. Rejections are not cached.

import type { ToolCatalog } from './catalog/index.js';
import { validateScript, type KnownTools, type PreparedScript } from './validate/index.js';

/** Most distinct scripts kept; least recently used is dropped first. */
const MAX_ENTRIES = 256;
/** Scripts longer than this are validated every time rather than pinned in memory. */
const MAX_CACHED_CHARS = 64 * 1024;

export interface PreparedCache {
  /** The prepared form of `code`, from the cache when seen before; throws the validation error. */
  get(code: string): PreparedScript;
  /** Validates `code` without consulting or filling the cache. */
  validate(code: string): PreparedScript;
}

/** `normalize` is the engine's option of that name; it never changes, so the cache key stays the code. */
export function createPreparedCache(catalog: ToolCatalog, normalize = true): PreparedCache {
  const entries = new Map<string, PreparedScript>();
  let version = -1;
  let known: KnownTools | undefined;
  const knownTools = (): KnownTools => {
    if (known === undefined || version !== catalog.version) {
      version = catalog.version;
      known = { tree: catalog.scriptNames, names: catalog.scriptNameList };
      entries.clear();
    }
    return known;
  };
  const validate = (code: string): PreparedScript => validateScript(code, { tools: knownTools(), normalize });
  return {
    validate,
    get(code) {
      // First, so a catalog change empties the cache before the lookup.
      knownTools();
      const hit = entries.get(code);
      if (hit !== undefined) {
        entries.delete(code);
        entries.set(code, hit);
        return hit;
      }
      const prepared = validate(code);
      if (code.length <= MAX_CACHED_CHARS) {
        entries.set(code, prepared);
        if (entries.size > MAX_ENTRIES) entries.delete(entries.keys().next().value!);
      }
      return prepared;
    },
  };
}
