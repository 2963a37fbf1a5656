// Owns turning a script that only parses as TypeScript into JavaScript by blanking the
// TypeScript-only ranges with spaces: every line and column of what remains stays where it
// was, and no type is checked. Hands back the erased AST when it is exactly what the blanked
// text parses to, so the text need not be parsed again. Must never hand back any other AST.

import { ScriptSyntaxError } from '../errors.js';
import { blankText } from './blank-text.js';
import { parseScript, type ParsedScript } from './parse.js';
import type { BlankRange } from './typescript-ranges.js';
import { findTypeScriptRanges } from './typescript-walk.js';

function compareRanges(a: BlankRange, b: BlankRange): number {
  return a.start - b.start || b.end - a.end;
}

/** `text` with `ranges` blanked; a statement range keeps a `;` in its first column. */
export function blankRanges(text: string, ranges: readonly BlankRange[]): string {
  const sorted = ranges.slice().sort(compareRanges);
  // Concatenated, not joined: V8 makes one flat string of the rope when it is first read.
  let blanked = '';
  let copied = 0;
  for (const range of sorted) {
    if (range.end <= copied) continue;
    const start = Math.max(range.start, copied);
    blanked += text.slice(copied, start);
    const statement = range.statement && start === range.start;
    blanked += statement ? `;${blankText(text, start + 1, range.end)}` : blankText(text, start, range.end);
    copied = range.end;
  }
  return blanked + text.slice(copied);
}

/** A script that parsed as TypeScript, as JavaScript. */
export interface StrippedScript {
  /** The text with its TypeScript blanked; `text` itself when it had none. */
  code: string;
  /**
   * The JavaScript AST of `code`, erased from the TypeScript one; undefined when the erasure
   * was not exact (a blank across lines, modifiers, `declare`, ...): `code` is to be parsed.
   */
  parsed: ParsedScript | undefined;
}

/**
 * `text` as JavaScript when it parses as TypeScript, or `failure` when it does not (the
 * caller then reports the JavaScript error, or this one when it got further).
 * Throws ScriptSyntaxError for TypeScript that is refused (enum, namespace with values).
 */
export function stripTypeScript(text: string): StrippedScript | { failure: ScriptSyntaxError } {
  let ast;
  try {
    ast = parseScript(text, { typescript: true, recover: false }).ast;
  } catch (error) {
    if (error instanceof ScriptSyntaxError) return { failure: error };
    throw error;
  }
  const { ranges, erased, facts } = findTypeScriptRanges(ast.program, text);
  const code = ranges.length === 0 ? text : blankRanges(text, ranges);
  // A parse without recovery holds no recovered violation (`with` fails it).
  return { code, parsed: erased ? { ast, violations: [], facts } : undefined };
}
