// Owns counting tokens the way a model reads text: gpt-tokenizer's o200k_base encoding, loaded
// once per process at import, and a bound on the work for large texts (exact up to a size,
// sampled past it). Must never be called per tool call on the hot path with unbounded text.

import { createRequire } from 'node:module';

/**
 * Texts up to this many characters are tokenized exactly. Longer texts are estimated from
 * samples (see {@link countTokens}); a sample costs about as much as this many characters.
 */
export const EXACT_TOKEN_CHARS = 8_192;
/** Number of windows sampled in a long text, spread evenly from its start to its end. */
const SAMPLE_WINDOWS = 4;
const SAMPLE_WINDOW_CHARS = EXACT_TOKEN_CHARS / SAMPLE_WINDOWS;

interface Encoding {
  countTokens(text: string): number;
}

/**
 * The encoding, loaded when this module is imported: about 220 ms and 50 MB once per process.
 * Loading it at import rather than at the first count keeps that stall out of the host's
 * serving: no later event-loop turn of an engine ever waits for it (the host-health tests
 * hold every turn under 100 ms). The pool process never imports this module.
 */
const encoding = createRequire(import.meta.url)('gpt-tokenizer/cjs/encoding/o200k_base') as Encoding;

/** A short text with the kinds of characters results hold: JSON punctuation, digits, words, a non-ASCII letter, a line break. */
const WARM_UP_TEXT = '{"warm": [1.5, "up é"]}\n ok';
let warmedUp = false;

/**
 * Counts one short text, once per process. gpt-tokenizer builds its caches on the first
 * count (6-9 ms of CPU measured), which would otherwise land on the first result's
 * metadata; the engine calls this one macrotask after `createEngine`, while the pool starts.
 */
export function warmTokenCounter(): void {
  if (warmedUp) return;
  warmedUp = true;
  countTokens(WARM_UP_TEXT);
}

/** Whether {@link warmTokenCounter} has run in this process (for tests). */
export function tokenCounterWarmedUp(): boolean {
  return warmedUp;
}

/**
 * Tokens of `text` in the o200k_base encoding (GPT-4o and later). Exact up to
 * {@link EXACT_TOKEN_CHARS} characters; past that, four windows of 2,048 characters spread
 * evenly over the text are tokenized and their tokens per character are applied to the
 * whole length. The work is bounded by about 8 KB of tokenizing whatever the size.
 */
export function countTokens(text: string): number {
  if (text === '') return 0;
  const counter = encoding;
  if (text.length <= EXACT_TOKEN_CHARS) return counter.countTokens(text);
  const step = (text.length - SAMPLE_WINDOW_CHARS) / (SAMPLE_WINDOWS - 1);
  let sampledTokens = 0;
  for (let index = 0; index < SAMPLE_WINDOWS; index++) {
    const start = Math.round(index * step);
    sampledTokens += counter.countTokens(text.slice(start, start + SAMPLE_WINDOW_CHARS));
  }
  return Math.round((sampledTokens / (SAMPLE_WINDOWS * SAMPLE_WINDOW_CHARS)) * text.length);
}

/** Tokens of a returned value (its JSON) plus printed lines, as the model reads them back. */
export function countResultTokens(valueJson: string | undefined, output: readonly string[]): number {
  if (output.length === 0) return countTokens(valueJson ?? '');
  const lines = output.join('\n');
  return countTokens(valueJson === undefined ? lines : `${valueJson}\n${lines}`);
}
