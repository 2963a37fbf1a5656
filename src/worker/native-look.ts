// Owns how the functions endowed into a script render: as `function name() { [native code] }`,
// like the intrinsics SES tames, never as the worker's source text. Installed once, before
// lockdown, over SES's own Function.prototype.toString; it must never call into a script.

const frozenTexts = new WeakMap<object, string>();

/**
 * Stamps the text a function renders as onto the function itself, as a private field: the
 * return-override trick of a base constructor returning its argument. A WeakMap did the same
 * at ~1.3 us per function (ephemeron bookkeeping in every GC), paid several times per script;
 * a private field costs ~0.1 us, cannot be seen by reflection (`Reflect.ownKeys`, a Proxy's
 * traps) and lives and dies with the function. A function already frozen (the checkpoint's)
 * is kept in a WeakMap instead: engines may refuse new private fields on a frozen object.
 */
class Rendered extends (function (target: object) { return target; } as unknown as new (target: object) => object) {
  readonly #text: string;
  constructor(target: object, text: string) {
    super(target);
    this.#text = text;
  }
  /** Stamps `target` once (a second stamp would throw); its first text stays. */
  static stamp(target: object, text: string): void {
    if (#text in target || frozenTexts.has(target)) return;
    if (Object.isExtensible(target)) new Rendered(target, text);
    else frozenTexts.set(target, text);
  }
  /** The stamped text of `value`, or undefined for any other value. */
  static textOf(value: object): string | undefined {
    return #text in value ? value.#text : frozenTexts.get(value);
  }
}

/**
 * SECURITY: "No script can reach eval, Function, require, ...": not a power, but the source
 * of the engine's endowments (`(...args) => call(name, calledAs, args)`) tells a script how
 * the sandbox is built. Replaces Function.prototype.toString with one that answers for the
 * marked functions and defers to SES's taming (which it captured) for every other.
 * lockdown() then permits, marks as native and freezes this replacement like the original.
 */
export function installNativeLook(realmFunction: FunctionConstructor = Function): void {
  const proto = realmFunction.prototype;
  const inner = proto.toString;
  // Method shorthand: no `prototype`, as lockdown expects of a builtin.
  const toString = {
    toString(this: unknown): string {
      if (typeof this === 'function') {
        const text = Rendered.textOf(this);
        if (text !== undefined) return text;
      }
      return Reflect.apply(inner, this, []) as string;
    },
  }.toString;
  Object.defineProperty(proto, 'toString', { value: toString });
}

/**
 * Marks `fn` to render as native under `name` (a plain identifier the engine chose), and
 * freezes it: an endowment has only its own `name` and `length`.
 */
export function endowFunction<F extends (...args: never[]) => unknown>(fn: F, name: string): F {
  Rendered.stamp(fn, `function ${name}() { [native code] }`);
  return Object.freeze(fn);
}
