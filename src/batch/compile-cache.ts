// Owns compile-once within a batch: each distinct source is validated and prepared once, and
// so is its failure, so a million jobs over one bad script validate it once, not a million
// times. Bounded: least recently used first out, and huge sources are not kept.

import type { CompiledScript } from '../compiled-script.js';
import type { ToolWeaverError } from '../errors.js';
import type { BatchEngine } from './types.js';

/** Most distinct sources kept per batch. */
const MAX_COMPILED_SOURCES = 64;
/** Sources longer than this compile per job rather than stay pinned for the whole batch. */
const MAX_KEPT_SOURCE_CHARS = 1024 * 1024;

/** A compiled script, or the typed error its compilation threw. */
export type Compiled = { script: CompiledScript } | { error: ToolWeaverError };

/** The compiled forms of the sources one batch has seen. */
export interface CompileCache {
  /** The compiled form of `code`, compiling it on first sight. Never throws. */
  get(code: string): Compiled;
}

function compile(engine: BatchEngine, code: string): Compiled {
  try {
    return { script: engine.compile(code) };
  } catch (error) {
    // compile throws only ToolWeaverErrors; anything else is a bug, still reported per job.
    return { error: error as ToolWeaverError };
  }
}

/** A cache for one batch on `engine`; dropped with the batch. */
export function createCompileCache(engine: BatchEngine): CompileCache {
  const kept = new Map<string, Compiled>();
  return {
    get(code) {
      const hit = kept.get(code);
      // Re-inserting moves the entry to the back, so the first key is the least recent.
      if (hit !== undefined) kept.delete(code);
      const compiled = hit ?? compile(engine, code);
      if (code.length > MAX_KEPT_SOURCE_CHARS) return compiled;
      kept.set(code, compiled);
      if (kept.size > MAX_COMPILED_SOURCES) kept.delete(kept.keys().next().value!);
      return compiled;
    },
  };
}
