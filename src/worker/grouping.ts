// Owns Object.groupBy and Map.groupBy on runtimes that lack them (Node 20): installed once,
// before lockdown, which permits, marks as native and freezes them like any intrinsic.
// Must follow the ES2024 algorithm, and never walk more than the Array builtins may.

import { MAX_ARRAY_WALK } from './array-guards.js';

type Callback = (value: unknown, index: number) => unknown;

/** Calls `callback` on each item of `items`, with the bound of the Array builtins. */
function eachKey(method: string, items: unknown, callback: unknown, record: (key: unknown, value: unknown) => void): void {
  if (items === null || items === undefined) throw new TypeError(`${method}: items must be iterable, got ${String(items)}`);
  if (typeof callback !== 'function') throw new TypeError(`${method}: the callback must be a function`);
  // SECURITY: "One script cannot jam its thread or the engine": a sparse array's `length`
  // is refused before its iterator walks it (no script code, so no checkpoint, runs inside).
  if (Array.isArray(items) && items.length > MAX_ARRAY_WALK) {
    throw new RangeError(`${method} would walk ${items.length} elements; the sandbox's limit is ${MAX_ARRAY_WALK}`);
  }
  let index = 0;
  for (const value of items as Iterable<unknown>) {
    if (index >= MAX_ARRAY_WALK) throw new RangeError(`${method} would walk more than ${MAX_ARRAY_WALK} items; the sandbox's limit`);
    record((callback as Callback)(value, index), value);
    index++;
  }
}

/** Installs the missing ones of Object.groupBy and Map.groupBy on this realm's intrinsics. */
export function installGrouping(realmObject: ObjectConstructor = Object, realmMap: MapConstructor = Map): void {
  // Method shorthand: no `prototype`, as lockdown expects of a builtin; named groupBy.
  const objectGroupBy = {
    groupBy(items: unknown, callback: unknown): Record<PropertyKey, unknown[]> {
      const groups = Object.create(null) as Record<PropertyKey, unknown[]>;
      eachKey('Object.groupBy', items, callback, (key, value) => {
        // ToPropertyKey: a symbol stays one; anything else becomes its string.
        const property = typeof key === 'symbol' ? key : `${key as string}`;
        const group = groups[property];
        if (group === undefined) groups[property] = [value];
        else group.push(value);
      });
      return groups;
    },
  }.groupBy;
  const mapGroupBy = {
    groupBy(items: unknown, callback: unknown): Map<unknown, unknown[]> {
      const groups = new realmMap<unknown, unknown[]>();
      eachKey('Map.groupBy', items, callback, (key, value) => {
        const normalized = Object.is(key, -0) ? 0 : key;
        const group = groups.get(normalized);
        if (group === undefined) groups.set(normalized, [value]);
        else group.push(value);
      });
      return groups;
    },
  }.groupBy;
  for (const [target, fn] of [[realmObject, objectGroupBy], [realmMap, mapGroupBy]] as const) {
    if (typeof (target as unknown as { groupBy?: unknown }).groupBy === 'function') continue;
    Object.defineProperty(fn, 'length', { value: 2 });
    Object.defineProperty(target, 'groupBy', { value: fn, writable: true, enumerable: false, configurable: true });
  }
}
