// Owns the sandbox's structuredClone: a deep copy of data (JSON values plus undefined, BigInt,
// Date, Map and Set; cycles and shared references kept), made by one run for that run. It
// must never walk what a value claims rather than holds, never recurse on the host's stack,
// never pass a unit of work without the run's checkpoint, and never hand a host object out.

import { types } from 'node:util';
import { MAX_ARRAY_WALK } from './array-guards.js';

/** Most elements, entries and properties one call copies: the Array builtins' bound. */
export const MAX_CLONE_UNITS = MAX_ARRAY_WALK;

// Captured before lockdown from the intrinsics (frozen by then): a script's own `entries`,
// `getTime` or `next` on a value is never called.
const objectPrototype = Object.prototype;
const dateTime = Date.prototype.getTime;
const mapEntries = Map.prototype.entries;
const mapSize = Object.getOwnPropertyDescriptor(Map.prototype, 'size')!.get!;
const mapIteratorNext = Object.getPrototypeOf(new Map().entries()).next as () => IteratorResult<[unknown, unknown]>;
const setValues = Set.prototype.values;
const setSize = Object.getOwnPropertyDescriptor(Set.prototype, 'size')!.get!;
const setIteratorNext = Object.getPrototypeOf(new Set().values()).next as () => IteratorResult<unknown>;

/** One container being filled: `step` copies its next unit and says whether any remain. */
interface Frame {
  step(): boolean;
}

/** Where a container sits: its parent's place and its key there. Spelled out only for an error. */
interface Place {
  readonly parent: Place | undefined;
  readonly key: string | number | undefined;
}

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;
const MAX_PATH_KEYS = 20;

/** `value.rows[3].name`, for an error message; a deep place keeps its last keys only. */
function keyPath(parent: Place | undefined, key: string | number | undefined): string {
  const keys: Array<string | number> = [];
  if (key !== undefined) keys.push(key);
  for (let place = parent; place !== undefined; place = place.parent) {
    if (place.key !== undefined) keys.push(place.key);
  }
  const shown = keys.slice(0, MAX_PATH_KEYS).reverse();
  const head = keys.length > MAX_PATH_KEYS ? `value...(${keys.length - MAX_PATH_KEYS} levels)` : 'value';
  return shown.reduce<string>((path, part) =>
    typeof part === 'number' ? `${path}[${part}]` : IDENTIFIER.test(part) ? `${path}.${part}` : `${path}[${JSON.stringify(part.slice(0, 40))}]`, head);
}

/** What a value that cannot be copied is called in the error, or undefined when it can be. */
function refusal(value: object): string | undefined {
  if (types.isProxy(value)) return 'a Proxy';
  if (types.isPromise(value)) return 'a Promise';
  if (types.isWeakMap(value) || types.isWeakSet(value)) return 'a WeakMap or WeakSet';
  if (types.isRegExp(value)) return 'a RegExp';
  if (types.isNativeError(value)) return 'an Error';
  if (types.isBoxedPrimitive(value)) return 'a boxed primitive';
  if (types.isGeneratorObject(value) || types.isMapIterator(value) || types.isSetIterator(value)) return 'an iterator';
  if (types.isAnyArrayBuffer(value) || types.isArrayBufferView(value)) return 'binary data';
  return undefined;
}

const SUPPORTED = 'JSON data, undefined, BigInt, Date, Map and Set can';

function tooLarge(place: Place, what: string): RangeError {
  return new RangeError(`structuredClone: ${what} at ${keyPath(place.parent, place.key)}; the sandbox copies at most ${MAX_CLONE_UNITS} elements, entries and properties in one call`);
}

/**
 * Creates the structuredClone of one run. `checkpoint` is the run's (it throws once the run
 * is out of time or memory): it is called for every unit copied, so a huge copy stops at the
 * run's limits like a loop in the script.
 */
export function createStructuredClone(checkpoint: () => void): (value: unknown, options?: unknown) => unknown {
  // SECURITY: "One script cannot jam its thread or the engine": sizes are read before any
  // walk (a[2 ** 32 - 2] = 1 is refused at once), every unit passes the checkpoint, and the
  // nesting lives in an array of frames, not on the stack. Errors are fresh ones of the
  // sandbox's frozen-prototype realm ("Anything thrown into a script is a fresh plain error").
  // Method shorthand: no `prototype` (an endowment has only `name` and `length`).
  return {
    structuredClone(value: unknown, options?: unknown): unknown {
      if (arguments.length === 0) throw new TypeError('structuredClone: a value to clone is required');
      if (options !== undefined && options !== null) {
        const transfer = (options as { transfer?: unknown }).transfer;
        if (transfer !== undefined && !(Array.isArray(transfer) && transfer.length === 0)) throw new TypeError('structuredClone: `transfer` is not supported in this sandbox');
      }
      const copies = new Map<object, unknown>();
      const frames: Frame[] = [];
      let units = 0;

      /** Copies `source`, found at `key` of the container at `parent`. */
      const copy = (source: unknown, parent: Place | undefined, key: string | number | undefined): unknown => {
        if (typeof source === 'function') throw new TypeError(`structuredClone: a function cannot be cloned (at ${keyPath(parent, key)}); ${SUPPORTED}`);
        if (typeof source === 'symbol') throw new TypeError(`structuredClone: a symbol cannot be cloned (at ${keyPath(parent, key)}); ${SUPPORTED}`);
        if (typeof source !== 'object' || source === null) return source;
        if (copies.has(source)) return copies.get(source);
        const at: Place = { parent, key };
        // The common shapes first: only a Proxy could answer getPrototypeOf with a trap.
        if (!types.isProxy(source)) {
          if (Array.isArray(source)) return enter(source, arrayFrame(source, at));
          const proto = Object.getPrototypeOf(source) as unknown;
          if (proto === objectPrototype || proto === null) return enter(source, objectFrame(source, at));
        }
        const refused = refusal(source);
        if (refused !== undefined) throw new TypeError(`structuredClone: ${refused} cannot be cloned (at ${keyPath(parent, key)}); ${SUPPORTED}`);
        if (types.isDate(source)) {
          const date = new Date(Reflect.apply(dateTime, source, []) as number);
          copies.set(source, date);
          return date;
        }
        const frame = types.isMap(source) ? mapFrame(source as Map<unknown, unknown>, at)
          : types.isSet(source) ? setFrame(source as Set<unknown>, at)
            : objectFrame(source, at);
        return enter(source, frame);
      };

      /** Queues `frame` to fill the copy of `source`, and returns that copy (the frame made it). */
      const enter = (source: object, frame: Frame): unknown => {
        frames.push(frame);
        return copies.get(source);
      };

      const arrayFrame = (source: unknown[], path: Place): Frame => {
        const length = source.length;
        if (length > MAX_CLONE_UNITS - units) throw tooLarge(path, `an array of length ${length}`);
        units += length;
        // Neither `new Array(length)` nor setting `length`: V8 would allocate every slot of a
        // sparse array's length at once (256 MB, 0.5 s for 2 ** 25), outside any checkpoint.
        // Only the elements present are written; see `end` for trailing holes.
        const target: unknown[] = [];
        copies.set(source, target);
        let index = 0;
        return {
          step() {
            // Holes stay holes, as in the platform's structuredClone; each costs a checkpoint.
            while (index < length && !Object.hasOwn(source, index)) {
              index++;
              checkpoint();
            }
            if (index >= length) {
              // Trailing holes: one far write turns a sparse copy into a dictionary (no slot
              // allocated per hole), and deleting it leaves the hole with the right length.
              if (target.length < length) {
                target[length - 1] = undefined;
                delete target[length - 1];
              }
              return false;
            }
            const i = index++;
            target[i] = copy(source[i], path, i);
            return true;
          },
        };
      };

      const objectFrame = (source: object, path: Place): Frame => {
        const keys = Object.keys(source);
        if (keys.length > MAX_CLONE_UNITS - units) throw tooLarge(path, `an object of ${keys.length} properties`);
        units += keys.length;
        const target: Record<string, unknown> = {};
        copies.set(source, target);
        let index = 0;
        return {
          step() {
            if (index >= keys.length) return false;
            const key = keys[index++]!;
            const value = copy((source as Record<string, unknown>)[key], path, key);
            // A key "__proto__" is defined, not assigned: it is data, never the prototype.
            if (key === '__proto__') Object.defineProperty(target, key, { value, writable: true, enumerable: true, configurable: true });
            else target[key] = value;
            return true;
          },
        };
      };

      const mapFrame = (source: Map<unknown, unknown>, path: Place): Frame => {
        const size = Reflect.apply(mapSize, source, []) as number;
        if (size > MAX_CLONE_UNITS - units) throw tooLarge(path, `a Map of ${size} entries`);
        const target = new Map<unknown, unknown>();
        copies.set(source, target);
        const entries = Reflect.apply(mapEntries, source, []) as Iterator<[unknown, unknown]>;
        let index = 0;
        return {
          step() {
            const next = Reflect.apply(mapIteratorNext, entries, []) as IteratorResult<[unknown, unknown]>;
            if (next.done === true) return false;
            // A Map can grow while it is copied (a getter adding entries): the bound holds anyway.
            if (++units > MAX_CLONE_UNITS) throw tooLarge(path, 'a Map that keeps growing');
            const i = index++;
            const [key, value] = next.value;
            target.set(copy(key, path, `<key ${i}>`), copy(value, path, `<value ${i}>`));
            return true;
          },
        };
      };

      const setFrame = (source: Set<unknown>, path: Place): Frame => {
        const size = Reflect.apply(setSize, source, []) as number;
        if (size > MAX_CLONE_UNITS - units) throw tooLarge(path, `a Set of ${size} entries`);
        const target = new Set<unknown>();
        copies.set(source, target);
        const values = Reflect.apply(setValues, source, []) as Iterator<unknown>;
        let index = 0;
        return {
          step() {
            const next = Reflect.apply(setIteratorNext, values, []) as IteratorResult<unknown>;
            if (next.done === true) return false;
            if (++units > MAX_CLONE_UNITS) throw tooLarge(path, 'a Set that keeps growing');
            const i = index++;
            target.add(copy(next.value, path, `<entry ${i}>`));
            return true;
          },
        };
      };

      const root = copy(value, undefined, undefined);
      while (frames.length > 0) {
        checkpoint();
        if (!frames[frames.length - 1]!.step()) frames.pop();
      }
      return root;
    },
  }.structuredClone;
}
