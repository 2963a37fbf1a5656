// Owns creating the CLI's engine from a catalog and the shared flags. An engine option the
// engine rejects is the user's flag at fault: it becomes a UsageError, never a stack trace.

import type { ToolCatalog } from '../catalog/index.js';
import { createEngine, type Engine } from '../engine.js';
import { InvalidOptionsError } from '../errors.js';
import type { EngineOptions } from '../options.js';
import { UsageError } from './usage-error.js';

/** Flags every command that runs scripts accepts. */
export interface EngineFlags {
  /** `--stubs`: tools answer with fake data from their output schemas. @default false */
  stubs?: boolean;
}

/** Creates the engine for one CLI command. The caller closes it. */
export function openEngine(catalog: ToolCatalog, flags: EngineFlags): Engine {
  // Cast: `stubs` is issue #3's option; an engine built without it rejects the key at run time.
  const options = (flags.stubs === true ? { catalog, stubs: true } : { catalog }) as EngineOptions;
  try {
    return createEngine(options);
  } catch (error) {
    if (error instanceof InvalidOptionsError && error.option === 'stubs') {
      throw new UsageError('stub mode is not available yet in this version of toolweaver (`--stubs`)');
    }
    if (error instanceof InvalidOptionsError) throw new UsageError(error.message);
    throw error;
  }
}
