// Owns loading the `--tools` module: imports it and finds its ToolCatalog (`catalog` export
// first, then the default export). Every failure is a UsageError naming the module.

import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ToolCatalog } from '../catalog/index.js';
import { UsageError, messageOf } from './usage-error.js';

/** The ToolCatalog exported by the module at `path` (relative to the working directory). */
export async function loadCatalog(path: string): Promise<ToolCatalog> {
  let exported: Record<string, unknown>;
  try {
    exported = (await import(pathToFileURL(resolve(path)).href)) as Record<string, unknown>;
  } catch (error) {
    throw new UsageError(`Cannot load the tools module \`${path}\`: ${messageOf(error)}`);
  }
  const catalog = exported['catalog'] ?? exported['default'];
  if (!(catalog instanceof ToolCatalog)) {
    // A module importing another copy of toolweaver lands here too: its class is not ours.
    throw new UsageError(`Expected \`${path}\` to export a ToolCatalog as \`catalog\` or as its default export`);
  }
  return catalog;
}
