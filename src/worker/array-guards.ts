// Owns the bound on what one Array builtin call may walk, inside the worker. Installed once,
// before lockdown, on the thread's shared Array intrinsics. Must never change what a call on
// an array within the bound does, and must stay a check of `length`, nothing per element.

/**
 * Most elements an Array builtin may walk in one call. V8 walks every index of a sparse
 * array up to its `length` (`a[2 ** 32 - 2] = 1` claims 4 billion: `a.forEach`, `a.join`,
 * `a.indexOf` each take 60-100 s) in a loop that neither a checkpoint nor
 * `worker.terminate()` can interrupt, and that even keeps the process from exiting. At
 * about 23 ns per index, this bound keeps one call under a second. A dense array this long
 * needs 256 MB or more, past what `memoryLimitMb` lets a script hold.
 */
export const MAX_ARRAY_WALK = 2 ** 25;

/** Array.prototype methods whose work follows the receiver's `length`, not their arguments. */
const WALKING_METHODS = [
  'copyWithin', 'every', 'fill', 'filter', 'find', 'findIndex', 'findLast', 'findLastIndex', 'flat', 'flatMap',
  'forEach', 'includes', 'indexOf', 'join', 'lastIndexOf', 'map', 'reduce', 'reduceRight', 'reverse', 'shift',
  'slice', 'some', 'sort', 'splice', 'toLocaleString', 'toReversed', 'toSorted', 'toSpliced', 'unshift', 'with',
] as const;

type Method = (this: unknown, ...args: unknown[]) => unknown;

/**
 * The receiver's length as the builtin will read it, checked against the bound. A Proxy or
 * an accessor `length` could answer the check with one number and the builtin with another,
 * so neither is walked.
 */
function checkWalk(receiver: unknown, method: string, isProxy: (value: unknown) => boolean): void {
  if (typeof receiver !== 'object' && typeof receiver !== 'function') return;
  if (receiver === null) return;
  if (isProxy(receiver)) throw new TypeError(`${method} cannot be called on a Proxy in this sandbox`);
  if (!Array.isArray(receiver) && hasAccessorLength(receiver)) {
    throw new TypeError(`${method} needs an array-like whose \`length\` is a plain value`);
  }
  const length = Number((receiver as { length?: unknown }).length);
  if (length > MAX_ARRAY_WALK) {
    throw new RangeError(`${method} would walk ${length} elements; the sandbox's limit is ${MAX_ARRAY_WALK} (a sparse array this long holds its thread)`);
  }
}

function hasAccessorLength(object: object): boolean {
  for (let node: object | null = object; node !== null; node = Object.getPrototypeOf(node) as object | null) {
    const descriptor = Object.getOwnPropertyDescriptor(node, 'length');
    if (descriptor !== undefined) return !('value' in descriptor);
  }
  return false;
}

/** A method-shorthand wrapper (no `prototype`, as lockdown expects of a builtin) with the original's name and length. */
function guard(name: string, original: Method, check: (receiver: unknown) => void): Method {
  const wrapped = {
    [name](this: unknown, ...args: unknown[]): unknown {
      check(this);
      return Reflect.apply(original, this, args);
    },
  }[name]!;
  Object.defineProperty(wrapped, 'length', { value: original.length });
  return wrapped;
}

/**
 * SECURITY: "One script cannot jam its thread or the engine": replaces the walking
 * Array builtins (and `Array.from` of an array-like, and `concat` of spreadable array-likes)
 * with wrappers that refuse a walk past MAX_ARRAY_WALK, before it starts. Runs before
 * lockdown(), which then freezes the wrappers like any intrinsic; SES's own code captured
 * the originals when it was imported. `realmArray` is a seam for tests (another realm's
 * Array, so the test runner's own intrinsics stay untouched).
 */
export function installArrayGuards(isProxy: (value: unknown) => boolean, realmArray: ArrayConstructor = Array): void {
  const proto = realmArray.prototype as unknown as Record<string, Method>;
  for (const name of WALKING_METHODS) {
    const original = proto[name];
    if (typeof original !== 'function') continue;
    Object.defineProperty(proto, name, { value: guard(name, original, (receiver) => checkWalk(receiver, `Array.prototype.${name}`, isProxy)) });
  }
  const concat = proto.concat!;
  // concat's guard needs its arguments, so it is written out rather than made by guard().
  const guardedConcat = {
    concat(this: unknown, ...items: unknown[]): unknown {
      checkWalk(this, 'Array.prototype.concat', isProxy);
      for (const item of items) if (isSpreadable(item)) checkWalk(item, 'Array.prototype.concat', isProxy);
      return Reflect.apply(concat, this, items);
    },
  }.concat;
  Object.defineProperty(guardedConcat, 'length', { value: concat.length });
  Object.defineProperty(proto, 'concat', { value: guardedConcat });
  const from = realmArray.from as unknown as Method;
  const guardedFrom = {
    from(this: unknown, ...args: unknown[]): unknown {
      const items = args[0];
      if (items !== null && items !== undefined && (items as { [Symbol.iterator]?: unknown })[Symbol.iterator] == null) checkWalk(items, 'Array.from', isProxy);
      return Reflect.apply(from, this, args);
    },
  }.from;
  Object.defineProperty(guardedFrom, 'length', { value: from.length });
  Object.defineProperty(realmArray, 'from', { value: guardedFrom });
}

function isSpreadable(item: unknown): boolean {
  if (typeof item !== 'object' || item === null) return false;
  const flag = (item as { [Symbol.isConcatSpreadable]?: unknown })[Symbol.isConcatSpreadable];
  return flag === undefined ? Array.isArray(item) : Boolean(flag);
}
