// Owns how printed values become text, inside the worker. Never calls host inspection code:
// node's util.inspect hands itself to a script's custom inspect hook, which would leak a
// mutable host function shared by every script on the thread.

const MAX_DEPTH = 4;

// Intrinsic readers, taken before any script runs: a script can shadow `size`, `entries`,
// `toISOString` or `source` on its own instance, but not these.
const dateToIso = Date.prototype.toISOString;
const regExpSource = Object.getOwnPropertyDescriptor(RegExp.prototype, 'source')!.get!;
const regExpFlags = Object.getOwnPropertyDescriptor(RegExp.prototype, 'flags')!.get!;
const mapSize = Object.getOwnPropertyDescriptor(Map.prototype, 'size')!.get!;
const setSize = Object.getOwnPropertyDescriptor(Set.prototype, 'size')!.get!;
const mapEntries = Map.prototype.entries;
const setValues = Set.prototype.values;
const MAX_ITEMS = 100;

/** Formats printed arguments the way console.log does, within a character budget. */
export function formatLine(args: readonly unknown[], budget: number): string {
  let line = '';
  for (let i = 0; i < args.length && line.length < budget; i++) {
    const part = typeof args[i] === 'string' ? (args[i] as string) : formatValue(args[i], budget - line.length);
    line += i === 0 ? part : ` ${part}`;
  }
  return line.length > budget ? line.slice(0, budget) : line;
}

/** Formats one value compactly, JSON-like, marking cycles and cutting depth and width. */
export function formatValue(value: unknown, budget: number): string {
  const out = { text: '', budget };
  write(value, 0, new Set(), out);
  return out.text;
}

interface Sink {
  text: string;
  budget: number;
}

function emit(out: Sink, piece: string): boolean {
  out.text += piece;
  return out.text.length < out.budget;
}

function write(value: unknown, depth: number, seen: Set<object>, out: Sink): void {
  switch (typeof value) {
    case 'string':
      emit(out, depth === 0 ? value : JSON.stringify(value));
      return;
    case 'bigint':
      emit(out, `${value}n`);
      return;
    case 'symbol':
      emit(out, safeString(() => value.toString()));
      return;
    case 'function':
      emit(out, `[Function ${readString(value, 'name') || '(anonymous)'}]`);
      return;
    case 'object':
      if (value !== null) {
        writeObject(value, depth, seen, out);
        return;
      }
      emit(out, 'null');
      return;
    default:
      emit(out, String(value));
  }
}

function writeObject(value: object, depth: number, seen: Set<object>, out: Sink): void {
  if (seen.has(value)) return void emit(out, '[Circular]');
  if (value instanceof Error) {
    return void emit(out, `${readString(value, 'name') ?? 'Error'}: ${readString(value, 'message') ?? ''}`);
  }
  if (value instanceof Date) return void emit(out, safeString(() => dateToIso.call(value)));
  if (value instanceof RegExp) return void emit(out, safeString(() => `/${regExpSource.call(value)}/${regExpFlags.call(value)}`));
  if (depth >= MAX_DEPTH) return void emit(out, Array.isArray(value) ? '[Array]' : '[Object]');
  seen.add(value);
  if (value instanceof Map) {
    const size = mapSize.call(value) as number;
    writeEntries(`Map(${size}) {`, '}', firstEntries(mapEntries.call(value)), size, depth, seen, out, true);
  } else if (value instanceof Set) {
    const size = setSize.call(value) as number;
    writeEntries(`Set(${size}) [`, ']', firstEntries(setValues.call(value), true), size, depth, seen, out, false);
  }
  else if (Array.isArray(value)) writeEntries('[', ']', firstItems(value), value.length, depth, seen, out, false);
  else {
    const keys = safeKeys(value);
    writeEntries('{', '}', firstProperties(value, keys), keys.length, depth, seen, out, true);
  }
  seen.delete(value);
}

/**
 * SECURITY: "One script cannot jam its thread or the engine": the first MAX_ITEMS items by
 * index, never a walk over `length` (a[2 ** 32 - 2] = 1 claims 4 billion of them, and V8's
 * map/forEach over it cannot be interrupted).
 */
function firstItems(items: readonly unknown[]): Array<readonly [unknown, unknown]> {
  const entries: Array<readonly [unknown, unknown]> = [];
  for (let i = 0; i < items.length && i < MAX_ITEMS; i++) entries.push([undefined, items[i]]);
  return entries;
}

function firstEntries(iterator: Iterator<unknown>, keyless = false): Array<readonly [unknown, unknown]> {
  const entries: Array<readonly [unknown, unknown]> = [];
  for (let step = iterator.next(); step.done !== true && entries.length < MAX_ITEMS; step = iterator.next()) {
    entries.push(keyless ? [undefined, step.value] : (step.value as [unknown, unknown]));
  }
  return entries;
}

function writeEntries(
  open: string,
  close: string,
  entries: ReadonlyArray<readonly [unknown, unknown]>,
  total: number,
  depth: number,
  seen: Set<object>,
  out: Sink,
  keyed: boolean,
): void {
  if (!emit(out, open)) return;
  for (let i = 0; i < entries.length; i++) {
    const [key, item] = entries[i]!;
    if (i > 0 && !emit(out, ', ')) return;
    if (keyed) {
      const label = typeof key === 'string' ? formatKey(key) : formatValue(key, 80);
      if (!emit(out, `${label}: `)) return;
    }
    write(item, depth + 1, seen, out);
    if (out.text.length >= out.budget) return;
  }
  if (total > entries.length) return void emit(out, `, ... ${total - entries.length} more${close}`);
  emit(out, close);
}

function formatKey(key: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(key) ? key : JSON.stringify(key);
}

function safeKeys(value: object): string[] {
  try {
    return Object.keys(value);
  } catch {
    return [];
  }
}

/** The first MAX_ITEMS properties: a getter runs only for what is printed. */
function firstProperties(value: object, keys: readonly string[]): Array<readonly [unknown, unknown]> {
  const entries: Array<readonly [unknown, unknown]> = [];
  for (let i = 0; i < keys.length && i < MAX_ITEMS; i++) {
    const key = keys[i]!;
    try {
      entries.push([key, (value as Record<string, unknown>)[key]]);
    } catch {
      entries.push([key, '[unprintable]']);
    }
  }
  return entries;
}

/** A string-valued property, or undefined: never String() of an object a script made. */
function readString(value: object, key: string): string | undefined {
  try {
    const read = (value as Record<string, unknown>)[key];
    return typeof read === 'string' ? read : undefined;
  } catch {
    return undefined;
  }
}

function safeString(read: () => unknown): string {
  try {
    const text = read();
    return typeof text === 'string' ? text : '[unprintable]';
  } catch {
    return '[unprintable]';
  }
}
