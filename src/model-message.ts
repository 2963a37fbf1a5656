// Owns the text a model reads back when its script fails: what went wrong, where (a code frame
// into the text the model sent), and what to do instead, bounded so it fits a prompt. Pure
// text helpers: imports nothing, so the error classes can use it without a cycle.

/** Longest text `toModelMessage()` returns, in characters. */
export const MAX_MODEL_MESSAGE_CHARS = 2_000;
/** Most source locations framed in one message; the rest are listed without a frame. */
export const MAX_FRAMES = 3;
/** Most printed lines quoted from the output before the failure (the last ones). */
export const MAX_OUTPUT_LINES = 5;
/** A framed line longer than this is cut around the column. */
const MAX_LINE_CHARS = 120;
const MAX_QUOTED_LINE_CHARS = 200;

/** One place in the script a message points at (1-based line and column). */
export interface ModelLocation {
  line: number;
  column: number;
  /** What is wrong there, one sentence. */
  note: string;
  /** What to do instead, when there is a known fix. */
  hint?: string | undefined;
}

/** What an error class contributes to its model message. */
export interface ModelMessageParts {
  /** The first line: what happened. */
  summary: string;
  /** Places in the script, in source order. */
  locations?: readonly ModelLocation[];
  /** Advice for the whole failure. */
  hint?: string | undefined;
}

/** Advice for each forbidden free name a script used, by name. */
const GLOBAL_HINTS: Readonly<Record<string, string>> = {
  require: 'tools are already globals: remove the require and call the tool directly',
  module: 'return the result with `return` instead of exporting it',
  exports: 'return the result with `return` instead of exporting it',
  fetch: 'the sandbox has no network: call a tool that fetches instead',
  XMLHttpRequest: 'the sandbox has no network: call a tool that fetches instead',
  WebSocket: 'the sandbox has no network: call a tool instead',
  setTimeout: 'timers are not available: await the tool instead (tools are async), or drop the delay',
  setInterval: 'timers are not available: loop over awaited tool calls instead',
  setImmediate: 'timers are not available: await the tool instead',
  queueMicrotask: 'use `await` instead',
  eval: 'write the code directly instead of evaluating a string',
  Function: 'write the function directly instead of building it from a string',
  process: 'there is no process: values the host passes are globals listed in the prompt',
  globalThis: 'read tools and context values by name; there is no global object',
  global: 'read tools and context values by name; there is no global object',
  window: 'this is not a browser: read tools and context values by name',
  self: 'this is not a browser: read tools and context values by name',
  Buffer: 'binary data is not available: work with strings and arrays',
};

/** Advice for each structural rule, by rule id. */
const RULE_HINTS: Readonly<Record<string, string>> = {
  'import-declaration': 'tools are already globals: remove the import',
  'dynamic-import': 'tools are already globals: remove the import',
  'export-declaration': 'end the script with `return value;` instead of exporting',
  'reserved-name': 'rename it: names starting with `__tw_` belong to the engine',
  'with-statement': 'name the object explicitly instead of using `with`',
};

/** The advice for a validation violation, if there is one. */
export function hintForViolation(rule: string, name?: string): string | undefined {
  if (name !== undefined && Object.hasOwn(GLOBAL_HINTS, name)) return GLOBAL_HINTS[name];
  return Object.hasOwn(RULE_HINTS, rule) ? RULE_HINTS[rule] : undefined;
}

/**
 * The line of `source` at `line`, with a caret under `column`:
 *
 * ```text
 *   3 | const users = await get_userz();
 *     |                     ^
 * ```
 * Tabs count as one column, as in the positions the engine reports. Undefined when the line
 * does not exist in `source`.
 */
export function codeFrame(source: string, line: number, column: number): string | undefined {
  const text = source.split(/\r\n|\r|\n/)[line - 1];
  if (text === undefined) return undefined;
  let start = 0;
  if (text.length > MAX_LINE_CHARS) start = Math.max(0, Math.min(column - 1 - MAX_LINE_CHARS / 2, text.length - MAX_LINE_CHARS));
  const shown = (start > 0 ? '…' : '') + text.slice(start, start + MAX_LINE_CHARS) + (start + MAX_LINE_CHARS < text.length ? '…' : '');
  const caretAt = Math.max(0, column - 1 - start) + (start > 0 ? 1 : 0);
  const gutter = String(line);
  const pad = ' '.repeat(gutter.length);
  // Whitespace before the caret copies the line's own tabs, so the caret lines up in any tab width.
  const lead = shown.slice(0, caretAt).replace(/[^\t]/g, ' ');
  return `${gutter} | ${shown}\n${pad} | ${lead}^`;
}

/** Advice as a sentence: `Fix: <hint>.`, without doubling a final `?` or `.`. */
function fix(hint: string): string {
  return `Fix: ${hint}${/[.?!]$/.test(hint) ? '' : '.'}`;
}

function cut(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/**
 * Renders the parts as the message handed back to a model: the summary, each location with
 * its frame (when `source` is known) and advice, the last printed lines, and the overall
 * advice. At most MAX_MODEL_MESSAGE_CHARS characters.
 */
export function renderModelMessage(parts: ModelMessageParts, source: string | undefined, output: readonly string[] = []): string {
  const blocks: string[] = [parts.summary];
  const locations = parts.locations ?? [];
  locations.forEach((location, index) => {
    const lines = [`${locations.length > 1 ? '- ' : ''}line ${location.line}, column ${location.column}: ${location.note}`];
    const frame = index < MAX_FRAMES && source !== undefined ? codeFrame(source, location.line, location.column) : undefined;
    if (frame !== undefined) lines.push(frame);
    if (location.hint !== undefined) lines.push(fix(location.hint));
    blocks.push(lines.join('\n'));
  });
  if (output.length > 0) {
    const last = output.slice(-MAX_OUTPUT_LINES).map((line) => `  ${cut(line, MAX_QUOTED_LINE_CHARS)}`);
    const label = output.length > MAX_OUTPUT_LINES ? `Last ${MAX_OUTPUT_LINES} of ${output.length} printed lines before the failure:` : 'Printed before the failure:';
    blocks.push([label, ...last].join('\n'));
  }
  if (parts.hint !== undefined) blocks.push(fix(parts.hint));
  return cut(blocks.join('\n\n'), MAX_MODEL_MESSAGE_CHARS);
}
