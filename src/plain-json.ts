// Owns the fast path of the JSON data boundary: a value that is plain data (primitives, plain
// objects and arrays) is copied once, and the copy is turned into text by JSON.stringify with
// no replacer. Anything else is left to json-data.ts's slow path, whose result is then the
// answer. Pure (the worker imports it); must never give an answer the slow path would not.

/** What the fast path made: the text, and the value `JSON.parse(text)` would make. */
export interface PlainJson {
  text: string | undefined;
  copy: unknown;
}

/** Thrown inside the walk to give up: the value is not plain data, or passes the budget. */
const NOT_PLAIN = Symbol('not plain');
/** An object member JSON.stringify leaves out (its value is undefined). */
const OMIT = Symbol('omit');

/** Characters of the decimal form of an array index (the replacer's key), without a string. */
function indexChars(index: number): number {
  let chars = 1;
  for (let rest = index; rest >= 10; rest = Math.floor(rest / 10)) chars++;
  return chars;
}

/**
 * `toPlainJson` of a value that is not an object: the walk's first charge and copy, without
 * making the walk (a no-op tool's `null`, a script's `return 1`: once per call or script).
 */
function toPlainPrimitive(value: unknown, maxChars: number): PlainJson | undefined {
  if (4 + (typeof value === 'string' ? value.length + 2 : 8) > maxChars) return undefined;
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return { text: JSON.stringify(value), copy: value };
    case 'number': {
      const copy = Number.isFinite(value) ? value + 0 : null;
      return { text: JSON.stringify(copy), copy };
    }
    case 'undefined':
      return { text: undefined, copy: undefined };
    case 'object':
      return { text: 'null', copy: null };
    default:
      return undefined;
  }
}

/**
 * The copy and text of `value` when it is plain data whose budget estimate stays within
 * `maxChars`; undefined otherwise. The estimate is the slow path's (json-data.ts `budgeted`):
 * per member, key length + 4 + (a string's length + 2, or 8), so both refuse the same values.
 * Plain data: strings, numbers (NaN and infinities become null, -0 becomes 0, as in JSON),
 * booleans, null, undefined (left out of objects, null in arrays), arrays whose prototype is
 * Array.prototype and objects whose prototype is Object.prototype or null, with no `toJSON`
 * and no `__proto__` key, and no cycle. Each member is read once: a getter runs once here and
 * never again when the copy is used. When the walk gives up part-way, the slow path reads the
 * value again from the start (a getter seen before the give-up runs twice in all).
 */
export function toPlainJson(value: unknown, maxChars: number): PlainJson | undefined {
  // An inherited toJSON would change what JSON.stringify does with every object.
  if ((Object.prototype as { toJSON?: unknown }).toJSON !== undefined || (Array.prototype as { toJSON?: unknown }).toJSON !== undefined) return undefined;
  if (typeof value !== 'object' || value === null) return toPlainPrimitive(value, maxChars);
  return toPlainObject(value, maxChars);
}

/**
 * `toPlainJson` of an object or array. Its own function: the walk's closures share a context
 * that V8 makes on entry, which a primitive (a no-op tool's `null`) should not pay for.
 */
function toPlainObject(value: object, maxChars: number): PlainJson | undefined {
  let used = 0;
  const path: object[] = [];
  const charge = (keyChars: number, member: unknown): void => {
    used += keyChars + 4 + (typeof member === 'string' ? member.length + 2 : 8);
    if (used > maxChars) throw NOT_PLAIN;
  };
  const copyArray = (items: unknown[]): unknown[] => {
    const length = items.length;
    // Every element costs more than one character: the slow path refuses it on its length.
    if (used + length > maxChars) throw NOT_PLAIN;
    const out = new Array<unknown>(length);
    for (let index = 0; index < length; index++) {
      const item = items[index];
      charge(indexChars(index), item);
      const copied = copyMember(item);
      out[index] = copied === OMIT ? null : copied;
    }
    return out;
  };
  const copyObject = (object: Record<string, unknown>): Record<string, unknown> => {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(object)) {
      // Assigning `__proto__` would set the copy's prototype; JSON.parse makes a key.
      if (key === '__proto__') throw NOT_PLAIN;
      const member = object[key];
      charge(key.length, member);
      const copied = copyMember(member);
      if (copied !== OMIT) out[key] = copied;
    }
    return out;
  };
  const copyMember = (member: unknown): unknown => {
    switch (typeof member) {
      case 'string':
      case 'boolean':
        return member;
      case 'number':
        return Number.isFinite(member) ? member + 0 : null;
      case 'undefined':
        return OMIT;
      case 'object': {
        if (member === null) return null;
        const prototype: unknown = Object.getPrototypeOf(member);
        const isArray = Array.isArray(member);
        if (isArray ? prototype !== Array.prototype : prototype !== Object.prototype && prototype !== null) throw NOT_PLAIN;
        if ((member as { toJSON?: unknown }).toJSON !== undefined || path.includes(member)) throw NOT_PLAIN;
        path.push(member);
        const copied = isArray ? copyArray(member as unknown[]) : copyObject(member as Record<string, unknown>);
        path.pop();
        return copied;
      }
      default:
        throw NOT_PLAIN;
    }
  };
  try {
    charge(0, value);
    const copied = copyMember(value);
    if (copied === OMIT) return { text: undefined, copy: undefined };
    return { text: JSON.stringify(copied), copy: copied };
  } catch {
    // Not plain, over budget, too deep for the stack, or a getter or proxy trap that threw:
    // the slow path decides, as it always did.
    return undefined;
  }
}
