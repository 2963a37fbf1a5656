// Owns loading the `--tools` module: imports it and finds its ToolCatalog (`catalog` export
// first, then the default export), recognised by its brand, so a catalog of another copy of
// toolweaver is adopted (re-registered here) rather than refused. Every failure is a UsageError
// naming the module and, when known, the file, line and column: of a syntax error (with the
// source line and a caret), or where a top-level statement threw.

import { resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { CATALOG_SHAPE_VERSION, ToolCatalog, adoptCatalog, catalogShapeVersion, type ForeignCatalog } from '../catalog/index.js';
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
  return catalogOf(path, exported['catalog'] ?? exported['default']);
}

/** Whether `value` looks like a ToolCatalog of a copy of toolweaver older than the brand. */
function looksLikeCatalog(value: unknown): boolean {
  const candidate = value as { constructor?: { name?: unknown }; list?: unknown; register?: unknown } | null;
  return typeof candidate === 'object' && candidate !== null && candidate.constructor?.name === 'ToolCatalog' && typeof candidate.list === 'function';
}

/** This copy's catalog for what the module exported: as is, adopted from another copy, or a UsageError. */
function catalogOf(path: string, exported: unknown): ToolCatalog {
  if (exported instanceof ToolCatalog) return exported;
  const shape = catalogShapeVersion(exported);
  const otherCopy = `\`${path}\` exports a ToolCatalog of another copy of toolweaver`;
  const advice = 'run the toolweaver installed with the tools module (npx toolweaver from its project), or make both import one install';
  if (shape === CATALOG_SHAPE_VERSION) {
    try {
      return adoptCatalog(exported as ForeignCatalog);
    } catch (error) {
      throw new UsageError(`${otherCopy}, and this CLI cannot register its tools (${messageOf(error)}): ${advice}`);
    }
  }
  if (shape !== undefined) {
    throw new UsageError(`${otherCopy} whose catalog shape (version ${String(shape)}) this CLI (version ${CATALOG_SHAPE_VERSION}) cannot read: ${advice}`);
  }
  if (looksLikeCatalog(exported)) {
    throw new UsageError(`${otherCopy}, older than the ones this CLI can adopt (it has no brand): ${advice}`);
  }
  throw new UsageError(`Expected \`${path}\` to export a ToolCatalog as \`catalog\` or as its default export`);
}
