// Owns loading the `--tools` module: imports it and finds its ToolCatalog (`catalog` export
// first, then the default export). Every failure is a UsageError naming the module and, when
// known, the file, line and column: of a syntax error (with the source line and a caret), or
// where a top-level statement threw.

import { resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ToolCatalog } from '../catalog/index.js';
import { locateSyntaxError } from './locate-syntax-error.js';
import { UsageError, messageOf } from './usage-error.js';

/** `file:line:column` of the first stack frame in a file (not in Node itself), if any. */
function firstFileFrame(error: unknown): string | undefined {
  const stack = error instanceof Error && typeof error.stack === 'string' ? error.stack : '';
  for (const match of stack.matchAll(/^\s+at (?:.*?\()?(file:\/\/[^\s)]+|\/[^\s)]+):(\d+):(\d+)\)?$/gm)) {
    const file = match[1]!.startsWith('file:') ? fileURLToPath(match[1]!) : match[1]!;
    return `${file}:${match[2]}:${match[3]}`;
  }
  return undefined;
}

/** An error thrown while the module ran (a failing top-level call): where it was thrown, if in a file. */
function describeThrown(what: string, error: unknown): string {
  const at = firstFileFrame(error);
  const name = error instanceof Error ? `${error.name}: ` : '';
  return `${what}: ${name}${messageOf(error)}${at === undefined ? '' : ` (at ${at})`}`;
}

async function describeImportError(path: string, error: unknown): Promise<string> {
  const what = `Cannot load the tools module \`${path}\``;
  if (!(error instanceof SyntaxError)) return describeThrown(what, error);
  const at = await locateSyntaxError(path).catch(() => undefined);
  // Every file parses: a link error (a missing named export) or a SyntaxError thrown at run time.
  if (at === undefined) return describeThrown(what, error);
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
