// Owns how printed values become text, inside the worker. Never calls host inspection code:
// node's util.inspect hands itself to a script's custom inspect hook, which would leak a
// mutable host function shared by every script on the thread.

const MAX_DEPTH = 4;
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
      emit(out, `[Function ${safeString(() => value.name) || '(anonymous)'}]`);
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
    return void emit(out, safeString(() => `${value.name}: ${value.message}`));
  }
  if (value instanceof Date) return void emit(out, safeString(() => value.toISOString()));
  if (value instanceof RegExp) return void emit(out, safeString(() => String(value)));
  if (depth >= MAX_DEPTH) return void emit(out, Array.isArray(value) ? '[Array]' : '[Object]');
  seen.add(value);
  if (value instanceof Map) writeEntries(`Map(${value.size}) {`, '}', [...value], depth, seen, out, true);
  else if (value instanceof Set) writeEntries(`Set(${value.size}) [`, ']', [...value].map((v) => [undefined, v]), depth, seen, out, false);
  else if (Array.isArray(value)) writeEntries('[', ']', value.map((v) => [undefined, v]), depth, seen, out, false);
  else writeEntries('{', '}', safeEntries(value), depth, seen, out, true);
  seen.delete(value);
}

function writeEntries(
  open: string,
  close: string,
  entries: ReadonlyArray<readonly [unknown, unknown]>,
  depth: number,
  seen: Set<object>,
  out: Sink,
  keyed: boolean,
): void {
  if (!emit(out, open)) return;
  for (let i = 0; i < entries.length; i++) {
    if (i === MAX_ITEMS) return void emit(out, `, ... ${entries.length - MAX_ITEMS} more${close}`);
    const [key, item] = entries[i]!;
    if (i > 0 && !emit(out, ', ')) return;
    if (keyed) {
      const label = typeof key === 'string' ? formatKey(key) : formatValue(key, 80);
      if (!emit(out, `${label}: `)) return;
    }
    write(item, depth + 1, seen, out);
    if (out.text.length >= out.budget) return;
  }
  emit(out, close);
}

function formatKey(key: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(key) ? key : JSON.stringify(key);
}

function safeEntries(value: object): Array<[string, unknown]> {
  try {
    return Object.entries(value);
  } catch {
    return [];
  }
}

function safeString(read: () => string): string {
  try {
    return String(read());
  } catch {
    return '[unprintable]';
  }
}
