// Owns the lists of global names: what a script can use, what validation rejects, and what a
// tool or context key may not be called. One home for each list (validator, catalog, options
// and worker all read them here). Pure data; safe to import from the worker.

/** Globals every script gets besides its tools and context: the standard language, minus powers. */
export const STANDARD_GLOBALS: ReadonlySet<string> = new Set([
  'Array', 'Boolean', 'Date', 'Error', 'EvalError', 'RangeError', 'ReferenceError', 'SyntaxError',
  'TypeError', 'URIError', 'AggregateError', 'JSON', 'Math', 'Number', 'Object', 'Promise', 'Proxy',
  'Reflect', 'RegExp', 'String', 'Symbol', 'Map', 'Set', 'WeakMap', 'WeakSet', 'BigInt',
  'Infinity', 'NaN', 'undefined', 'isFinite', 'isNaN', 'parseFloat', 'parseInt', 'decodeURI',
  'decodeURIComponent', 'encodeURI', 'encodeURIComponent', 'escape', 'unescape', 'print', 'console',
  'structuredClone', 'Intl',
]);

/**
 * SECURITY: "No script can reach binary data, another evaluator, or the global object". The worker
 * deletes these from every Compartment's global object before the script runs: SES puts
 * them there by default (measured with ses 2.3), and they are not in STANDARD_GLOBALS.
 */
export const COMPARTMENT_GLOBALS_TO_REMOVE: readonly string[] = [
  'eval', 'Function', 'Compartment', 'lockdown', 'harden', 'globalThis', 'ArrayBuffer', 'DataView',
  'Int8Array', 'Uint8Array', 'Uint8ClampedArray', 'Int16Array', 'Uint16Array', 'Int32Array',
  'Uint32Array', 'Float32Array', 'Float64Array', 'BigInt64Array', 'BigUint64Array',
  'SharedArrayBuffer', 'Atomics', 'TextEncoder', 'TextDecoder', 'WebAssembly',
];

/** Names the script receives from the engine itself; tools and context keys may not take them. */
export const ENGINE_GLOBALS: ReadonlySet<string> = new Set(['print', 'console', 'structuredClone']);

/**
 * SECURITY: "Scripts cannot reach eval, Function, require, import, process or the host
 * globals". Any reference to one of these free names is rejected before the script runs,
 * and none of them is present in a script's Compartment either.
 */
export const FORBIDDEN_GLOBALS: ReadonlyMap<string, string> = new Map([
  ['eval', '`eval` is not allowed'],
  ['Function', '`Function` is not allowed'],
  ['AsyncFunction', '`AsyncFunction` is not allowed'],
  ['require', '`require` is not allowed; tools are already globals'],
  ['module', '`module` is not available'],
  ['exports', '`exports` is not available'],
  ['process', '`process` is not available'],
  ['globalThis', '`globalThis` is not available'],
  ['global', '`global` is not available'],
  ['window', '`window` is not available'],
  ['self', '`self` is not available'],
  ['Compartment', '`Compartment` is not available'],
  ['lockdown', '`lockdown` is not available'],
  ['WebAssembly', '`WebAssembly` is not available'],
  ['Buffer', '`Buffer` is not available'],
  ['ArrayBuffer', 'binary data (`ArrayBuffer`) is not available'],
  ['SharedArrayBuffer', 'binary data (`SharedArrayBuffer`) is not available'],
  ['DataView', 'binary data (`DataView`) is not available'],
  ['Atomics', '`Atomics` is not available'],
  ['Int8Array', 'typed arrays are not available'],
  ['Uint8Array', 'typed arrays are not available'],
  ['Uint8ClampedArray', 'typed arrays are not available'],
  ['Int16Array', 'typed arrays are not available'],
  ['Uint16Array', 'typed arrays are not available'],
  ['Int32Array', 'typed arrays are not available'],
  ['Uint32Array', 'typed arrays are not available'],
  ['Float32Array', 'typed arrays are not available'],
  ['Float64Array', 'typed arrays are not available'],
  ['BigInt64Array', 'typed arrays are not available'],
  ['BigUint64Array', 'typed arrays are not available'],
  ['TextEncoder', '`TextEncoder` is not available'],
  ['TextDecoder', '`TextDecoder` is not available'],
  ['fetch', '`fetch` is not available; call a tool instead'],
  ['XMLHttpRequest', '`XMLHttpRequest` is not available; call a tool instead'],
  ['WebSocket', '`WebSocket` is not available; call a tool instead'],
  ['setTimeout', 'timers (`setTimeout`) are not available'],
  ['setInterval', 'timers (`setInterval`) are not available'],
  ['setImmediate', 'timers (`setImmediate`) are not available'],
  ['clearTimeout', 'timers (`clearTimeout`) are not available'],
  ['clearInterval', 'timers (`clearInterval`) are not available'],
  ['clearImmediate', 'timers (`clearImmediate`) are not available'],
  ['queueMicrotask', '`queueMicrotask` is not available'],
  ['importScripts', '`importScripts` is not available'],
]);

/**
 * Prefix of every name the engine reserves for code it adds to a script. SECURITY: "A runaway
 * script stops itself at its time limit": validation rejects any script that declares,
 * assigns or reads a name with this prefix, so no script can shadow or replace the
 * checkpoint the engine calls in its loops and functions.
 */
export const RESERVED_NAME_PREFIX = '__tw_';

/**
 * The per-run function the engine's injected checkpoints call when the script's counter runs
 * out (see src/worker/checkpoint.ts). Contract with the worker: it is in the script's scope
 * under this name, and each call reads the clock, the heap meter and the stop flag, then
 * returns how many more checkpoints may pass before the next call (a non-negative integer),
 * or throws the run's stop signal, and keeps throwing on every later call.
 */
export const CHECKPOINT_GLOBAL = `${RESERVED_NAME_PREFIX}checkpoint`;

/**
 * The per-script checkpoint counter: a `var` the prepared code declares itself at the head of
 * its wrapper function (never a global, never endowed), decremented at every checkpoint.
 * SECURITY: "A runaway script stops itself at its time limit": no script can name it (the
 * reserved prefix), so only the engine's own code reads or writes it.
 */
export const CHECKPOINT_COUNTER = `${RESERVED_NAME_PREFIX}n`;

/**
 * The prepared code's own copy of CHECKPOINT_GLOBAL: a `var` declared beside the counter and
 * set from it once, at the head of the wrapper. The endowment is a `const` of an enclosing
 * function, so every read of it from a loop carries a temporal-dead-zone check, whose throw
 * path keeps TurboFan from peeling the loop (and so from keeping its values untagged); a
 * `var` has no such check. Reserved like the counter.
 */
export const CHECKPOINT_LOCAL = `${RESERVED_NAME_PREFIX}c`;

/** True when `name` is reserved for the engine's own code in scripts. */
export function isReservedName(name: string): boolean {
  return name.startsWith(RESERVED_NAME_PREFIX);
}

/** Words that can never be identifiers in strict-mode module code. */
export const RESERVED_WORDS: ReadonlySet<string> = new Set([
  'await', 'break', 'case', 'catch', 'class', 'const', 'continue', 'debugger', 'default', 'delete',
  'do', 'else', 'enum', 'export', 'extends', 'false', 'finally', 'for', 'function', 'if',
  'implements', 'import', 'in', 'instanceof', 'interface', 'let', 'new', 'null', 'package',
  'private', 'protected', 'public', 'return', 'static', 'super', 'switch', 'this', 'throw',
  'true', 'try', 'typeof', 'var', 'void', 'while', 'with', 'yield', 'arguments',
]);

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/**
 * Why `name` cannot be a script global of ours (a tool or a context key), or undefined if it
 * can. Plain ASCII identifiers only, so what the model reads is what it must type.
 */
export function describeUnusableGlobalName(name: string): string | undefined {
  if (!IDENTIFIER.test(name)) return 'it is not a plain identifier (letters, digits, `_`, `$`)';
  if (name === '__proto__') return 'it would set the prototype instead of a global';
  if (RESERVED_WORDS.has(name)) return 'it is a reserved word';
  if (STANDARD_GLOBALS.has(name)) return 'it is a standard global of every script';
  if (FORBIDDEN_GLOBALS.has(name)) return 'it is a name validation rejects';
  if (isReservedName(name)) return `names starting with \`${RESERVED_NAME_PREFIX}\` are reserved for the engine`;
  return undefined;
}
