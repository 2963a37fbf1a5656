// Owns the source-text patterns SES rejects before evaluating anything, wherever they appear
// (strings, comments, regexps, code). Copied from ses/src/transforms.js so the validator sees
// exactly what the worker's Compartment will refuse. Pure functions; never rewrites text.

/** Which SES source-text rule a sequence trips. */
export type SesRejectionKind = 'import' | 'eval' | 'html-open' | 'html-close';

/** One place in a text that SES would reject. */
export interface SesRejection {
  kind: SesRejectionKind;
  /** Index of the keyword (`import`, `eval`) or of the first character of `<!--` / `-->`. */
  index: number;
}

// SES's `importPattern` and `someDirectEvalPattern`, without the `g` flag so `exec` is stateless.
const IMPORT_PATTERN = /(^|[^.]|\.\.\.)\bimport(\s*(?:\(|\/[/*]))/;
const EVAL_PATTERN = /(^|[^.])\beval(\s*\()/;
// Built from pieces so this file never contains the sequences it looks for.
const HTML_OPEN = '<' + '!--';
const HTML_CLOSE = '--' + '>';

/** Where `pattern` (which matches only text holding `keyword`) finds its keyword, or -1. */
function findKeyword(text: string, keyword: string, pattern: RegExp): number {
  // The plain search first: most scripts hold neither keyword, and the pattern tries to
  // match at every position of the text (the 30-line fixtures: ~2 us saved per script).
  if (!text.includes(keyword)) return -1;
  const match = pattern.exec(text);
  return match === null ? -1 : match.index + (match[1]?.length ?? 0);
}

/**
 * The earliest sequence in `text` that SES would reject, or undefined when SES accepts it.
 * The four checks are plain regexp/indexOf scans: this runs on every script.
 */
export function findSesRejection(text: string): SesRejection | undefined {
  let first: SesRejection | undefined;
  const consider = (kind: SesRejectionKind, index: number): void => {
    if (index >= 0 && (first === undefined || index < first.index)) first = { kind, index };
  };
  consider('import', findKeyword(text, 'import', IMPORT_PATTERN));
  consider('eval', findKeyword(text, 'eval', EVAL_PATTERN));
  consider('html-open', text.indexOf(HTML_OPEN));
  consider('html-close', text.indexOf(HTML_CLOSE));
  return first;
}

/** The sequence a rejection is about, for messages. */
export function describeSesRejection(kind: SesRejectionKind): string {
  switch (kind) {
    case 'import':
      return '`import(`';
    case 'eval':
      return '`eval(`';
    case 'html-open':
      return `\`${HTML_OPEN}\``;
    case 'html-close':
      return `\`${HTML_CLOSE}\``;
  }
}
