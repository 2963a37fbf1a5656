// Owns the JSON data boundary: everything that crosses between a script and the host is JSON
// text made here. Used on both sides (the worker imports it), so it must stay pure: no Node
// APIs, no host objects in what it returns, only strings and plain records.

/** Outcome of turning a value into JSON text. `text` is undefined for a top-level `undefined`. */
export type JsonTextResult =
  | { ok: true; text: string | undefined }
  | { ok: false; path: string; reason: string; tooLarge?: number };

function tooLarge(root: string, maxChars: number): JsonTextResult {
  return { ok: false, path: root, reason: `it is larger than ${maxChars} characters of JSON`, tooLarge: maxChars };
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

/** Thrown by a budgeted replacer once the text would pass its budget. */
class OverBudget {
  constructor(readonly limit: number) {}
}

/**
 * Wraps a replacer so serialization stops as soon as the text would pass `maxChars`: an
 * expanding toJSON or a huge value costs at most about `maxChars` of work, never the whole.
 * The count is an upper-bound estimate per value (key, quotes, separators, string length).
 */
function budgeted(replacer: (this: unknown, key: string, value: unknown) => unknown, maxChars: number) {
  let used = 0;
  return function (this: unknown, key: string, value: unknown): unknown {
    const result = replacer.call(this, key, value);
    used += key.length + 4 + (typeof result === 'string' ? result.length + 2 : 8);
    if (used > maxChars) throw new OverBudget(maxChars);
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

/**
 * Slow path, run only after a failure: walks the value the way JSON.stringify does to name
 * where the failure is. Bounded by `budget` nodes so a huge value cannot stall the caller.
 */
function locate(value: unknown, mode: JsonMode, root: string): Finding | undefined {
  const stack = new Set<object>();
  let budget = 100_000;
  const visit = (raw: unknown, path: string): Finding | undefined => {
    if (--budget < 0) return undefined;
    let current = raw;
    if (current !== null && typeof current === 'object' && typeof (current as { toJSON?: unknown }).toJSON === 'function') {
      current = (current as { toJSON: () => unknown }).toJSON();
    }
    if (mode === 'strict') {
      const reason = describeStrict(current);
      if (reason !== undefined) return { path, reason };
    } else {
      current = convertLenient(current);
    }
    if (current === null || typeof current !== 'object') return undefined;
    if (stack.has(current)) return { path, reason: 'a cycle cannot be sent as JSON data' };
    stack.add(current);
    const entries: Array<[string | number, unknown]> = Array.isArray(current)
      ? current.map((item, index) => [index, item])
      : Object.entries(current);
    for (const [key, item] of entries) {
      const found = visit(item, formatKey(path, key));
      if (found !== undefined) return found;
    }
    stack.delete(current);
    return undefined;
  };
  return visit(value, root);
}

/**
 * Turns `value` into JSON text, or says exactly where and why it cannot be. With `maxChars`,
 * text longer than that is refused (`tooLarge`), and serialization stops early.
 */
export function toJsonText(value: unknown, mode: JsonMode, root = 'value', maxChars = Infinity): JsonTextResult {
  const base = mode === 'strict' ? strictReplacer : lenientReplacer;
  try {
    const text = JSON.stringify(value, maxChars === Infinity ? base : budgeted(base, maxChars));
    if (text !== undefined && text.length > maxChars) return tooLarge(root, maxChars);
    return { ok: true, text };
  } catch (error) {
    // What was thrown may be the script's (a toJSON that throws a hostile Proxy): classify it
    // with checks that cannot run its traps.
    if (isInstance(error, OverBudget)) return tooLarge(root, maxChars);
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

function isInstance(value: unknown, type: typeof OverBudget | typeof Rejection): boolean {
  try {
    return value instanceof type;
  } catch {
    return false;
  }
}

function describeThrown(error: unknown): string {
  try {
    if (error instanceof Error) return `serializing threw ${error.name}: ${truncate(String(error.message), 200)}`;
  } catch {
    // A hostile getter on the thrown value; fall through to the generic reason.
  }
  return 'serializing threw a non-error value';
}

/** Cuts `text` to at most `max` characters, marking the cut. */
export function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, Math.max(0, max - 1))}…`;
}
