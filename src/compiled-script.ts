// Owns CompiledScript: a script validated and prepared once, to run many times (the same
// code over many contexts). Opaque to callers; the prepared code never leaves the engine.

import type { PreparedScript } from './validate/index.js';

const preparedScripts = new WeakMap<CompiledScript, { prepared: PreparedScript; owner: object }>();

/** A validated script, made by `engine.compile(code)`; pass it to `execute` instead of the code. */
export class CompiledScript {
  /** The source as submitted. */
  readonly source: string;
  /** Catalog version it was validated against; a changed catalog means validating again. */
  readonly catalogVersion: number;
  /** What was done to the source to make it a script, as `metadata.normalized` lists it. */
  readonly normalized: readonly string[];
  /** The markdown fence the script was taken from, if any. */
  readonly fence: Readonly<{ index: number; language: string; line: number }> | undefined;

  /** @internal Use `engine.compile(code)`. */
  constructor(source: string, catalogVersion: number, prepared: PreparedScript, owner: object) {
    this.source = source;
    this.catalogVersion = catalogVersion;
    this.normalized = Object.freeze([...prepared.normalized]);
    this.fence = prepared.fence === undefined ? undefined : Object.freeze({ ...prepared.fence });
    preparedScripts.set(this, { prepared, owner });
    Object.freeze(this);
  }
}

/**
 * The prepared form of a script compiled by `owner` (undefined for a forged object or one
 * compiled by another engine, whose catalog may differ: the caller validates the source).
 */
export function preparedOf(script: CompiledScript, owner: object): PreparedScript | undefined {
  const entry = preparedScripts.get(script);
  return entry?.owner === owner ? entry.prepared : undefined;
}
