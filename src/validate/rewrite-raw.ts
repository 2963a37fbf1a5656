// Owns the escaping of SES-rejected sequences inside the raw text of one literal (a string's
// quoted source, a template chunk's raw text, a regexp's pattern). Every rewrite swaps one
// character for a `\xHH` escape of itself, so the literal's value never changes.

import { findSesRejection, type SesRejection } from './ses-patterns.js';

function hexEscape(char: string): string {
  return `\\x${char.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`;
}

/** True when the character at `index` is the second half of a `\X` escape pair. */
function isEscaped(raw: string, index: number): boolean {
  let backslashes = 0;
  for (let i = index - 1; i >= 0 && raw[i] === '\\'; i -= 1) backslashes += 1;
  return backslashes % 2 === 1;
}

/** Replaces the character at `index` (or the `\X` pair ending there) with `\xHH`. */
function escapeCharAt(raw: string, index: number): string {
  const char = raw.charAt(index);
  const start = isEscaped(raw, index) ? index - 1 : index;
  return raw.slice(0, start) + hexEscape(char) + raw.slice(index + 1);
}

/**
 * Which character of a rejected sequence to escape. Chosen so the escape means the same in
 * strings, templates and regexps, in `u` mode and out of it, inside a character class or not:
 * - `import(` / `eval(`: the keyword's first letter, always a plain literal atom (a group
 *   name or `\k<...>` is followed by `>`, never by `(`). An identity escape `\i` becomes `\x69`.
 * - `<!--`: the last `-`. The `<` can be regexp syntax (`(?<!--)`), the `!` too; the last `-`
 *   follows `-`, so it is never escaped and is a plain character (or a range end: same meaning).
 * - `-->`: the `>`, for the same reasons (a group name cannot contain `-`).
 */
function indexToEscape(rejection: SesRejection): number {
  switch (rejection.kind) {
    case 'import':
    case 'eval':
      return rejection.index;
    case 'html-open':
      return rejection.index + 3;
    case 'html-close':
      return rejection.index + 2;
  }
}

/**
 * `raw` with every sequence SES rejects broken up by a `\xHH` escape, or `raw` itself when
 * there is none. Each round removes one match and escapes never create a new one, so the loop
 * ends; the bound is a guard against a future pattern change, and the caller re-checks.
 */
export function rewriteRaw(raw: string): string {
  let text = raw;
  for (let round = 0; round <= raw.length; round += 1) {
    const rejection = findSesRejection(text);
    if (rejection === undefined) return text;
    const next = escapeCharAt(text, indexToEscape(rejection));
    if (next === text) return text;
    text = next;
  }
  return text;
}
