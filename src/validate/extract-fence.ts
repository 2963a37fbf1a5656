// Owns finding the code fence to run in a markdown reply and blanking everything around it.
// The result keeps every line and column of the fence's code where it was in the reply, so
// every position reported later points into the text the model sent. Pure text functions.

import { blankText } from './blank-text.js';

/** Fence info strings taken as JavaScript or TypeScript (compared lowercased). */
const SCRIPT_LANGUAGES: ReadonlySet<string> = new Set(['js', 'javascript', 'mjs', 'ts', 'typescript', 'mts']);

/** One fenced block of a markdown text. */
export interface Fence {
  /** 0-based index among all fences of the text. */
  index: number;
  /** The info string's first word, lowercased; empty for a bare fence. */
  language: string;
  /** 1-based line of the opening fence. */
  line: number;
  /** Offset of the opening fence's first backtick or tilde. */
  openAt: number;
  /** Offsets of the code: from after the opening line to the start of the closing line. */
  codeStart: number;
  codeEnd: number;
}

/** An opening fence line: its indent, its marker run and the first word of its info string. */
interface Opening {
  indent: number;
  marker: string;
  language: string;
}

/**
 * CommonMark: up to three spaces of indent, three or more backticks or tildes, an info string
 * (no backtick in it for a backtick fence). Scanned by hand: a regexp with two overlapping
 * runs backtracks quadratically on a long line, on the main thread.
 */
function parseOpening(line: string): Opening | undefined {
  let indent = 0;
  while (indent < line.length && line[indent] === ' ') indent++;
  const char = line[indent];
  if (indent > 3 || (char !== '`' && char !== '~')) return undefined;
  let end = indent;
  while (line[end] === char) end++;
  if (end - indent < 3) return undefined;
  const info = line.slice(end);
  if (char === '`' && info.includes('`')) return undefined;
  const language = info.trim().split(/\s/, 1)[0] ?? '';
  return { indent, marker: line.slice(indent, end), language: language.toLowerCase() };
}

/**
 * A capitalized word that a quote or a second word follows on the first line of the text:
 * `Here is`, `Here's`, `Sure thing`. No JavaScript keyword is capitalized, so the first word
 * is a name, and its expression statement cannot go on with a string or a name on the same
 * line (only `in` and `instanceof` are words that continue an expression, and a backtick
 * would make a tagged template): such a text never parses as a script.
 */
const PROSE_START = /^\s*[A-Z][A-Za-z]*(?:[ \t]*['"]|[ \t]+(?!(?:in|instanceof)(?![A-Za-z0-9_$]))[A-Za-z])/;

/**
 * True when `text` opens with prose, so it cannot parse as a script: a reply need not be
 * parsed whole to learn that its fence is not a template string in code.
 */
export function beginsWithProse(text: string): boolean {
  return PROSE_START.test(text);
}

/** True when `text` may hold a fence: the cheap check that runs on every script. */
export function mayHoldFence(text: string): boolean {
  return text.includes('```') || text.includes('~~~');
}

function isClosing(line: string, marker: string): boolean {
  let indent = 0;
  while (indent < line.length && line[indent] === ' ') indent++;
  if (indent > 3) return false;
  let end = indent;
  while (line[end] === marker[0]) end++;
  return end - indent >= marker.length && line.slice(end).trim() === '';
}

/** Every fenced block of `text`, in order. An unclosed fence runs to the end, as in CommonMark. */
export function findFences(text: string): Fence[] {
  const fences: Fence[] = [];
  let open: { marker: string; fence: Fence } | undefined;
  // Line by line without splitting the text: only lines that start with a marker are read.
  for (let offset = 0, lineNumber = 1; offset <= text.length; lineNumber++) {
    const newline = text.indexOf('\n', offset);
    const next = newline === -1 ? text.length + 1 : newline + 1;
    if (mayBeMarkerLine(text, offset)) {
      const raw = text.slice(offset, next - 1);
      const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
      if (open !== undefined) {
        if (isClosing(line, open.marker)) {
          open.fence.codeEnd = offset;
          open = undefined;
        }
      } else {
        const opening = parseOpening(line);
        if (opening !== undefined) {
          const fence: Fence = {
            index: fences.length,
            language: opening.language,
            line: lineNumber,
            openAt: offset + opening.indent,
            codeStart: Math.min(next, text.length),
            codeEnd: text.length,
          };
          fences.push(fence);
          open = { marker: opening.marker, fence };
        }
      }
    }
    offset = next;
  }
  return fences;
}

/** True when the line at `offset` starts, after at most three spaces, with a backtick or a tilde. */
function mayBeMarkerLine(text: string, offset: number): boolean {
  let at = offset;
  while (at < offset + 3 && text.charCodeAt(at) === 32) at++;
  const char = text.charCodeAt(at);
  return char === 96 || char === 126;
}

/**
 * The fence to run: the first tagged as JavaScript or TypeScript (`js`, `javascript`, `mjs`,
 * `ts`, `typescript`, `mts`), else the first bare one. Fences of other languages never run.
 */
export function chooseFence(fences: readonly Fence[]): Fence | undefined {
  return fences.find((fence) => SCRIPT_LANGUAGES.has(fence.language)) ?? fences.find((fence) => fence.language === '');
}

/** `text` with every character outside the fence's code turned into a space, line breaks kept. */
export function blankOutsideFence(text: string, fence: Fence): string {
  return blankText(text, 0, fence.codeStart) + text.slice(fence.codeStart, fence.codeEnd) + blankText(text, fence.codeEnd);
}
