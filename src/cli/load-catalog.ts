// Owns loading the `--tools` module: imports it and finds its ToolCatalog (`catalog` export
// first, then the default export). Every failure is a UsageError naming the module; a syntax
// error also names the file, line and column, with the source line and a caret.

import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ToolCatalog } from '../catalog/index.js';
import { locateSyntaxError } from './locate-syntax-error.js';
import { UsageError, messageOf } from './usage-error.js';

async function describeImportError(path: string, error: unknown): Promise<string> {
  const what = `Cannot load the tools module \`${path}\``;
  if (!(error instanceof SyntaxError)) return `${what}: ${messageOf(error)}`;
  const at = await locateSyntaxError(path).catch(() => undefined);
  // A link error (a missing named export) is a SyntaxError too, but every file parses.
  if (at === undefined) return `${what}: SyntaxError: ${error.message}`;
  // Tabs kept so the caret lines up under the column on any tab width.
  const caret = `${at.sourceLine.slice(0, at.column - 1).replace(/[^\t]/g, ' ')}^`;
  return `${what}: SyntaxError at ${at.file}:${at.line}:${at.column}: ${error.message}\n  ${at.sourceLine}\n  ${caret}`;
}

/** The ToolCatalog exported by the module at `path` (relative to the working directory). */
export async function loadCatalog(path: string): Promise<ToolCatalog> {
  let exported: Record<string, unknown>;
  try {
    exported = (await import(pathToFileURL(resolve(path)).href)) as Record<string, unknown>;
  } catch (error) {
    throw new UsageError(await describeImportError(path, error));
  }
  const catalog = exported['catalog'] ?? exported['default'];
  if (!(catalog instanceof ToolCatalog)) {
    // A module importing another copy of toolweaver lands here too: its class is not ours.
    throw new UsageError(`Expected \`${path}\` to export a ToolCatalog as \`catalog\` or as its default export`);
  }
  return catalog;
}
