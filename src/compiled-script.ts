// Owns CompiledScript: a script validated and prepared once, to run many times (the same
// code over many contexts). Opaque to callers; the prepared code never leaves the engine.

import type { PreparedScript } from './validate/index.js';

const preparedScripts = new WeakMap<CompiledScript, PreparedScript>();

/** A validated script, made by `engine.compile(code)`; pass it to `execute` instead of the code. */
export class CompiledScript {
  /** The source as submitted. */
  readonly source: string;
  /** Catalog version it was validated against; a changed catalog means validating again. */
  readonly catalogVersion: number;

  /** @internal Use `engine.compile(code)`. */
  constructor(source: string, catalogVersion: number, prepared: PreparedScript) {
    this.source = source;
    this.catalogVersion = catalogVersion;
    preparedScripts.set(this, prepared);
    Object.freeze(this);
  }
}

/** The prepared form of a script compiled by an engine (undefined for a forged object). */
export function preparedOf(script: CompiledScript): PreparedScript | undefined {
  return preparedScripts.get(script);
}
