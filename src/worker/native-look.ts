// Owns how the functions endowed into a script render: as `function name() { [native code] }`,
// like the intrinsics SES tames, never as the worker's source text. Installed once, before
// lockdown, over SES's own Function.prototype.toString; it must never call into a script.

/** The text each endowed function renders as, made when it is marked (no read at render time). */
const rendered = new WeakMap<object, string>();

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
        const text = rendered.get(this);
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
  rendered.set(fn, `function ${name}() { [native code] }`);
  return Object.freeze(fn);
}
