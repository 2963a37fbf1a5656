// Owns turning whatever a script threw into a bounded plain record. A thrown value is
// untrusted: every read is guarded, the message is cut, the stack never leaves the worker.

import type { ErrorRecord } from '../errors.js';
import { truncate } from '../json-data.js';

const MAX_MESSAGE_CHARS = 2_000;
const MAX_NAME_CHARS = 100;

/** Source URL the worker appends to every script, so stack frames name the script. */
export const SCRIPT_SOURCE_URL = 'tw-script.js';
/** The validator's wrapper `(async function () {` sits alone on line 1 of the evaluated code. */
const WRAPPER_LINES = 1;
const FRAME = /tw-script\.js:(\d+):(\d+)/;

type StackReader = (error: unknown) => string;

/** SES's getStackString: the only way to read a stack under errorTaming 'safe'. */
function readStack(error: unknown): string {
  const reader = (globalThis as { getStackString?: StackReader }).getStackString;
  try {
    return typeof reader === 'function' ? String(reader(error)) : '';
  } catch {
    return '';
  }
}

/**
 * SECURITY: "One script cannot jam its thread or the engine": a primitive is turned into
 * text, an object never is (String() of an array-valued `message` joins every index of it,
 * 4 billion for a[2 ** 32 - 2] = 1, in a builtin that cannot be interrupted).
 */
function readProperty(value: object, key: 'name' | 'message'): string | undefined {
  try {
    const read = (value as Record<string, unknown>)[key];
    if (read === undefined) return undefined;
    return typeof read === 'object' || typeof read === 'function' ? `[${typeof read}]` : String(read);
  } catch {
    return undefined;
  }
}

/** Whether `name` and `message` are primitives (or absent), so the stack's header costs nothing. */
function hasPlainText(value: object): boolean {
  try {
    const { name, message } = value as { name?: unknown; message?: unknown };
    return [name, message].every((part) => (typeof part !== 'object' || part === null) && typeof part !== 'function');
  } catch {
    return false;
  }
}

/** `instanceof Error`, except that a Proxy whose getPrototypeOf trap throws is just "no". */
function isError(value: object): boolean {
  try {
    return value instanceof Error;
  } catch {
    return false;
  }
}

/** Describes a thrown value as an `ERR_SCRIPT` record with its line in the submitted script. */
export function describeThrown(thrown: unknown): ErrorRecord {
  if (typeof thrown !== 'object' || thrown === null) {
    let message: string;
    try {
      message = String(thrown);
    } catch {
      message = '[unprintable value]';
    }
    return { code: 'ERR_SCRIPT', name: typeof thrown, message: truncate(message, MAX_MESSAGE_CHARS) };
  }
  const name = truncate(readProperty(thrown, 'name') ?? 'Error', MAX_NAME_CHARS);
  const message = truncate(readProperty(thrown, 'message') ?? '', MAX_MESSAGE_CHARS);
  // The stack's first line is the error's own text: read it only when that text is plain.
  const frame = hasPlainText(thrown) && isError(thrown) ? FRAME.exec(readStack(thrown)) : null;
  if (frame === null) return { code: 'ERR_SCRIPT', name, message };
  const line = Number(frame[1]) - WRAPPER_LINES;
  if (line < 1) return { code: 'ERR_SCRIPT', name, message };
  return { code: 'ERR_SCRIPT', name, message, line, column: Number(frame[2]) };
}
