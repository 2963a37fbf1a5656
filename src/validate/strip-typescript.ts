// Owns turning a script that only parses as TypeScript into JavaScript by blanking the
// TypeScript-only ranges with spaces: every line and column of what remains stays where it
// was, and no type is checked. Must never be tried before the plain JavaScript parse.

import { ScriptSyntaxError } from '../errors.js';
import { parseScript } from './parse.js';
import { findTypeScriptRanges, type BlankRange } from './typescript-ranges.js';

const NOT_LINE_BREAK = /[^\n\r\u2028\u2029]/g;

/** `text` with `ranges` blanked; a statement range keeps a `;` in its first column. */
export function blankRanges(text: string, ranges: readonly BlankRange[]): string {
  const sorted = [...ranges].sort((a, b) => a.start - b.start || b.end - a.end);
  const parts: string[] = [];
  let copied = 0;
  for (const range of sorted) {
    if (range.end <= copied) continue;
    const start = Math.max(range.start, copied);
    parts.push(text.slice(copied, start));
    const blank = text.slice(start, range.end).replace(NOT_LINE_BREAK, ' ');
    parts.push(range.statement && start === range.start ? `;${blank.slice(1)}` : blank);
    copied = range.end;
  }
  parts.push(text.slice(copied));
  return parts.join('');
}

/**
 * `text` as JavaScript when it parses as TypeScript, or undefined when it does not (the
 * caller then reports the JavaScript error, or this one when it got further: `failure`).
 * Throws ScriptSyntaxError for TypeScript that is refused (enum, namespace with values).
 */
export function stripTypeScript(text: string): { code: string } | { failure: ScriptSyntaxError } {
  let ast;
  try {
    ast = parseScript(text, { typescript: true, recover: false }).ast;
  } catch (error) {
    if (error instanceof ScriptSyntaxError) return { failure: error };
    throw error;
  }
  return { code: blankRanges(text, findTypeScriptRanges(ast.program, text)) };
}
