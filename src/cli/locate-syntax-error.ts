// Owns finding where a tools module's syntax error is. Node's ESM loader reports a syntax
// error without file, line or column (and a nested module's without even its name), so the
// module and its relative imports are parsed again, in import order, until one fails.

import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse, type ParseResult } from '@babel/parser';
import type { File } from '@babel/types';

/** Where a module failed to parse: file, 1-based line and column, and that source line. */
export interface SyntaxErrorLocation {
  file: string;
  line: number;
  column: number;
  sourceLine: string;
}

/** Files parsed at most: a tools module's own graph is small, the rest is in node_modules. */
const MAX_FILES = 500;

function relativeImports(ast: ParseResult<File>, file: string): string[] {
  const found: string[] = [];
  for (const node of ast.program.body) {
    const source = 'source' in node ? node.source : undefined;
    if (source === null || source === undefined || source.type !== 'StringLiteral') continue;
    const specifier = source.value;
    if (specifier.startsWith('./') || specifier.startsWith('../')) found.push(resolve(dirname(file), specifier));
    else if (specifier.startsWith('file:')) found.push(fileURLToPath(specifier));
  }
  return found;
}

function parseLocation(error: unknown): { line: number; column: number } | undefined {
  const loc = (error as { loc?: { line?: unknown; column?: unknown } } | null)?.loc;
  if (typeof loc?.line !== 'number' || typeof loc.column !== 'number') return undefined;
  return { line: loc.line, column: loc.column + 1 };
}

/** The first module of the graph rooted at `entry` that does not parse; undefined if all do. */
export async function locateSyntaxError(entry: string): Promise<SyntaxErrorLocation | undefined> {
  const queue = [resolve(entry)];
  const seen = new Set(queue);
  for (let i = 0; i < queue.length && i < MAX_FILES; i++) {
    const file = queue[i]!;
    const text = await readFile(file, 'utf8').catch(() => undefined);
    if (text === undefined) continue;
    let ast: ParseResult<File>;
    try {
      // `unambiguous`: a file with import/export is a module, any other a script (CommonJS).
      ast = parse(text, { sourceType: 'unambiguous', allowReturnOutsideFunction: file.endsWith('.cjs') });
    } catch (error) {
      const at = parseLocation(error);
      if (at === undefined) return undefined;
      return { file, ...at, sourceLine: text.split(/\r?\n/)[at.line - 1] ?? '' };
    }
    for (const next of relativeImports(ast, file)) {
      if (!seen.has(next)) {
        seen.add(next);
        queue.push(next);
      }
    }
  }
  return undefined;
}
