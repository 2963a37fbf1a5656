// Owns the JSON data boundary: everything that crosses between a script and the host is JSON
// text made here. Used on both sides (the worker imports it), so it must stay pure: no Node
// APIs, no host objects in what it returns, only strings and plain records.

import { toPlainJson } from './plain-json.js';

/**
 * Outcome of turning a value into JSON text. `text` is undefined for a top-level `undefined`.
 * A refusal names `path`, the value that failed, or for one too large, the first element or
 * key past the bound (`value[4294967294]` for a huge sparse array).
 */
export type JsonTextResult =
  | { ok: true; text: string | undefined }
  | { ok: false; path: string; reason: string; tooLarge?: number };

/**
 * The longest JSON text ever attempted: V8's string limit is about 2^29 characters, so past
 * this JSON.stringify could only fail, after doing work proportional to the value.
 */
export const MAX_JSON_CHARS = 2 ** 29 - 24;

function tooLarge(path: string, maxChars: number): JsonTextResult {
  return { ok: false, path, reason: `it is larger than ${maxChars} characters of JSON`, tooLarge: maxChars };
}

/**
 * Every element of an array costs at least one character of JSON (a digit, or `null` for a
 * hole, plus a separator), every Map or Set entry and every byte at least two: so a
 * collection's size alone says when it cannot fit, before any element is visited.
 */
function minimumChars(value: unknown): number {
  if (typeof value !== 'object' || value === null) return 0;
  if (Array.isArray(value)) return value.length;
  if (value instanceof Map || value instanceof Set) return value.size * 2;
  if (ArrayBuffer.isView(value) || value instanceof ArrayBuffer) return value.byteLength * 2;
  return 0;
}

/**
 * `strict`: script -> host. Anything JSON would silently drop or mangle (functions, symbols,
 * BigInt, Map, Set, typed arrays, promises) is an error, so the model learns what went wrong.
 * `lenient`: host -> script. Tool results become plain data: Map -> object, Set -> array,
 * typed arrays and Buffers -> arrays of numbers, BigInt -> decimal string.
 */
export type JsonMode = 'strict' | 'lenient';

class Rejection {
  constructor(readonly reason: string) {}
}

/** Thrown by a budgeted replacer once the text would pass its budget; `over` is what passed it. */
class OverBudget {
  constructor(readonly limit: number, readonly over: object | undefined) {}
}

/**
 * SECURITY: "One script cannot jam its thread or the engine" (issue: a[2 ** 32 - 2] = 1).
 * Wraps a replacer so serialization stops as soon as the text would pass `maxChars`: an
 * expanding toJSON or a huge value costs at most about `maxChars` of work, never the whole.
 * The count is an upper-bound estimate per value (key, quotes, separators, string length);
 * an array, Map, Set or binary value is refused on its size before JSON.stringify (or the
 * lenient conversion) iterates it, since a sparse array's `length` costs nothing to make
 * and V8 walks every index of it in one uninterruptible builtin.
 */
function budgeted(replacer: (this: unknown, key: string, value: unknown) => unknown, maxChars: number) {
  let used = 0;
  return function (this: unknown, key: string, value: unknown): unknown {
    const floor = minimumChars(value);
    // Only a value the holder really has is searched for later: a toJSON's fresh result
    // cannot be found again, and looking would run every toJSON on the way once more.
    if (floor > 0 && used + floor > maxChars) throw new OverBudget(maxChars, (this as Record<string, unknown>)[key] === value ? (value as object) : undefined);
    const result = replacer.call(this, key, value);
    used += key.length + 4 + (typeof result === 'string' ? result.length + 2 : 8);
    if (used > maxChars) throw new OverBudget(maxChars, undefined);
    return result;
  };
}

function describeStrict(value: unknown): string | undefined {
  switch (typeof value) {
    case 'function':
      return 'a function cannot be sent as JSON data';
    case 'symbol':
      return 'a symbol cannot be sent as JSON data';
    case 'bigint':
      return 'a BigInt cannot be sent as JSON data; convert it with String() or Number()';
    case 'object': {
      if (value === null || Array.isArray(value)) return undefined;
      if (value instanceof Map) return 'a Map cannot be sent as JSON data; convert it with Object.fromEntries()';
      if (value instanceof Set) return 'a Set cannot be sent as JSON data; convert it with Array.from()';
      if (value instanceof Promise) return 'a Promise cannot be sent as JSON data; did you forget `await`?';
      if (value instanceof WeakMap || value instanceof WeakSet) return 'a WeakMap or WeakSet cannot be sent as JSON data';
      if (ArrayBuffer.isView(value) || value instanceof ArrayBuffer) return 'binary data cannot be sent as JSON data';
      return undefined;
    }
    default:
      return undefined;
  }
}

function convertLenient(value: unknown): unknown {
  switch (typeof value) {
    case 'bigint':
      return value.toString();
    case 'object': {
      if (value === null || Array.isArray(value)) return value;
      if (value instanceof Map) return Object.fromEntries(value);
      if (value instanceof Set) return Array.from(value);
      if (ArrayBuffer.isView(value)) return Array.from(new Uint8Array(value.buffer, value.byteOffset, value.byteLength));
      if (value instanceof ArrayBuffer) return Array.from(new Uint8Array(value));
      return value;
    }
    default:
      return value;
  }
}

function strictReplacer(this: unknown, _key: string, value: unknown): unknown {
  const reason = describeStrict(value);
  if (reason !== undefined) throw new Rejection(reason);
  return value;
}

function lenientReplacer(this: unknown, _key: string, value: unknown): unknown {
  return convertLenient(value);
}

function formatKey(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  return /^[A-Za-z_$][\w$]*$/.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`;
}

interface Finding {
  path: string;
  reason: string;
}

/** Nodes the slow path visits at most; arrays are walked by index, so holes count too. */
const LOCATE_BUDGET = 100_000;
/**
 * Nodes visited to name where a value too large sits: fewer, since an expanding toJSON makes
 * a fresh value at each visit and the search then never ends early.
 */
const LOCATE_TARGET_BUDGET = 256;

/**
 * Slow path, run only after a failure: walks the value the way JSON.stringify does to name
 * where the failure is, or where `target` (the collection that passed the size bound) sits.
 * Bounded by LOCATE_BUDGET nodes, whatever an array's `length` says.
 */
function locate(value: unknown, mode: JsonMode, root: string, target?: object): Finding | undefined {
  const stack = new Set<object>();
  let budget = target === undefined ? LOCATE_BUDGET : LOCATE_TARGET_BUDGET;
  const visit = (raw: unknown, path: string): Finding | undefined => {
    if (--budget < 0) return undefined;
    let current = raw;
    if (current !== null && typeof current === 'object' && typeof (current as { toJSON?: unknown }).toJSON === 'function') {
      current = (current as { toJSON: () => unknown }).toJSON();
    }
    if (target !== undefined && current === target) return { path: pastBound(current, path), reason: '' };
    if (target === undefined && mode === 'strict') {
      const reason = describeStrict(current);
      if (reason !== undefined) return { path, reason };
    } else if (mode === 'lenient' && minimumChars(current) <= LOCATE_BUDGET) {
      current = convertLenient(current);
    }
    if (current === null || typeof current !== 'object') return undefined;
    if (stack.has(current)) return { path, reason: 'a cycle cannot be sent as JSON data' };
    stack.add(current);
    const found = Array.isArray(current) ? visitItems(current, path) : visitKeys(current, path);
    stack.delete(current);
    return found;
  };
  const visitItems = (items: readonly unknown[], path: string): Finding | undefined => {
    for (let index = 0; index < items.length && budget > 0; index++) {
      const found = visit(items[index], `${path}[${index}]`);
      if (found !== undefined) return found;
    }
    return undefined;
  };
  const visitKeys = (object: object, path: string): Finding | undefined => {
    for (const key of Object.keys(object)) {
      if (budget <= 0) return undefined;
      const found = visit((object as Record<string, unknown>)[key], formatKey(path, key));
      if (found !== undefined) return found;
    }
    return undefined;
  };
  return visit(value, root);
}

/** The path to name for a collection refused on its size: an array's last element. */
function pastBound(collection: object, path: string): string {
  return Array.isArray(collection) && collection.length > 0 ? `${path}[${collection.length - 1}]` : path;
}

/**
 * Turns `value` into JSON text, or says exactly where and why it cannot be. Text longer than
 * `maxChars` (at most MAX_JSON_CHARS) is refused (`tooLarge`), and serialization stops early:
 * the work is bounded by `maxChars`, never by the size a value claims.
 */
export function toJsonText(value: unknown, mode: JsonMode, root = 'value', maxChars = MAX_JSON_CHARS): JsonTextResult {
  return toJsonTextAndCopy(value, mode, root, maxChars).json;
}

/**
 * `toJsonText`, plus, when the value was plain data (the fast path), `copy`: the value
 * `JSON.parse(text)` would make, freshly made, for a check that would otherwise parse the text.
 */
export function toJsonTextAndCopy(value: unknown, mode: JsonMode, root = 'value', maxChars = MAX_JSON_CHARS): { json: JsonTextResult; copy: { value: unknown } | undefined } {
  const limit = Math.min(maxChars, MAX_JSON_CHARS);
  // Plain data (most values, in both directions) skips the replacer, which JSON.stringify
  // calls for every member; anything else takes the slow path, which always decided.
  const plain = toPlainJson(value, limit);
  if (plain === undefined) return { json: serializeJsonText(value, mode, root, limit), copy: undefined };
  if (plain.text !== undefined && plain.text.length > limit) return { json: tooLarge(root, limit), copy: undefined };
  return { json: { ok: true, text: plain.text }, copy: { value: plain.copy } };
}

/**
 * The slow path alone: JSON.stringify with the mode's budgeted replacer, and on failure a
 * walk that names where. The fast path must give what this gives (test/plain-json.test.ts).
 */
export function serializeJsonText(value: unknown, mode: JsonMode, root = 'value', maxChars = MAX_JSON_CHARS): JsonTextResult {
  const limit = Math.min(maxChars, MAX_JSON_CHARS);
  try {
    const text = JSON.stringify(value, budgeted(mode === 'strict' ? strictReplacer : lenientReplacer, limit));
    if (text !== undefined && text.length > limit) return tooLarge(root, limit);
    return { ok: true, text };
  } catch (error) {
    // What was thrown may be the script's (a toJSON that throws a hostile Proxy): classify it
    // with checks that cannot run its traps.
    if (isInstance(error, OverBudget)) return tooLarge(whereOver(value, mode, root, (error as OverBudget).over), limit);
    let found: Finding | undefined;
    try {
      found = locate(value, mode, root);
    } catch {
      found = undefined;
    }
    if (found !== undefined) return { ok: false, path: found.path, reason: found.reason };
    const reason = isInstance(error, Rejection) ? (error as Rejection).reason : describeThrown(error);
    return { ok: false, path: root, reason };
  }
}

function whereOver(value: unknown, mode: JsonMode, root: string, over: object | undefined): string {
  if (over === undefined) return root;
  try {
    return locate(value, mode, root, over)?.path ?? root;
  } catch {
    return root;
  }
}

function isInstance(value: unknown, type: typeof OverBudget | typeof Rejection): boolean {
  try {
    return value instanceof type;
  } catch {
    return false;
  }
}

function describeThrown(error: unknown): string {
  try {
    // Only string fields are read: String() of a hostile array-valued `message` would join
    // every index of it.
    if (error instanceof Error) {
      const { name, message } = error as { name: unknown; message: unknown };
      return `serializing threw ${typeof name === 'string' ? truncate(name, 100) : 'Error'}: ${typeof message === 'string' ? truncate(message, 200) : ''}`;
    }
  } catch {
    // A hostile getter on the thrown value; fall through to the generic reason.
  }
  return 'serializing threw a non-error value';
}

/** Cuts `text` to at most `max` characters, marking the cut. */
export function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, Math.max(0, max - 1))}…`;
}
