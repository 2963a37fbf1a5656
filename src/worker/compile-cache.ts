// Owns compiling a prepared script into the function one run calls: the script's code inside
// a function whose scope binds its endowments as constants, evaluated once per distinct code and
// endowment names on this thread and kept in a bounded LRU. Must never put an endowment
// anywhere but that scope, nor a name that is not a plain identifier into source text.

import { RESERVED_WORDS, RESERVED_NAME_PREFIX } from '../globals.js';
import { SCRIPT_SOURCE_URL } from './describe-thrown.js';

/** A prepared script compiled for one list of endowment names. Shared by the runs of one thread. */
export interface ScriptFunction {
  /** The endowments the code can refer to, in the order `run` takes their values. */
  readonly names: readonly string[];
  /** Starts one run with these values for `names`; returns the script's completion. */
  readonly run: (values: readonly unknown[]) => unknown;
}

/** Compiled scripts of one thread. */
export interface CompileCache {
  /** The function of `code` with `candidates` (unique, bindable names) in scope. Throws what evaluation throws. */
  get(code: string, candidates: readonly string[]): ScriptFunction;
}

/** Bounds of a cache; the defaults keep at most a few MB of source (and its bytecode) per thread. */
export interface CompileCacheBounds {
  /** Functions kept. @default 256 */
  maxEntries?: number;
  /** Characters of code kept, summed over entries. @default 4_000_000 */
  maxChars?: number;
  /** Longer code is compiled for each run and not kept. @default 256_000 */
  maxEntryChars?: number;
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;
/** The parameter holding a run's endowments; scripts cannot name it (validation rejects the prefix). */
const ENDOWED = `${RESERVED_NAME_PREFIX}endowed`;
const SOURCE_URL_SUFFIX = `\n//# sourceURL=${SCRIPT_SOURCE_URL}\n`;

/**
 * Whether `name` can be bound as a constant in strict code: a plain identifier, no reserved
 * word, not `eval` or `arguments`. Every tool root and context key the host accepts is one.
 */
export function isBindableName(name: string): boolean {
  return IDENTIFIER.test(name) && !RESERVED_WORDS.has(name) && name !== 'eval' && name !== ENDOWED;
}

/**
 * The candidates `code` can refer to. A script has no `with`, no evaluator and no global
 * object, so it reaches a binding only through an identifier in its text; an identifier
 * spelled with escapes (`pr\u0069nt`) contains `\u`, and then every candidate is kept.
 */
function namesUsed(code: string, candidates: readonly string[]): string[] {
  if (code.includes('\\u')) return [...candidates];
  return candidates.filter((name) => code.includes(name));
}

/**
 * The source evaluated for `code`: one line of head before it, so line N of `code` stays
 * line N of the evaluated text (describe-thrown.ts reads positions from the stack).
 */
function sourceOf(code: string, names: readonly string[]): string {
  for (const name of names) {
    // SECURITY: "No script can change anything another script sees": names become source
    // text, so anything but a plain identifier is refused rather than spliced in.
    if (!isBindableName(name)) throw new TypeError(`Cannot bind \`${name.slice(0, 100)}\` in a script`);
  }
  const bindings = names.map((name, i) => `${name} = ${ENDOWED}[${i}]`).join(', ');
  // A plain function, not an arrow: called plainly from strict code, its `this` is undefined
  // and its `arguments` holds this run's endowments only, never SES's global object or source.
  const head = names.length === 0 ? '(function () { return ' : `(function (${ENDOWED}) { const ${bindings}; return `;
  return `${head}${code}; })${SOURCE_URL_SUFFIX}`;
}

/**
 * Creates a cache over `evaluate` (the thread's shared Compartment's). SECURITY: "No script
 * can change anything another script sees": the compiled function is shared by every run
 * of the same code, so it is frozen (with its `prototype`); each run gets a fresh scope (its
 * constants) and a fresh inner async function, called plainly from strict code (`this`
 * undefined, empty `arguments`).
 */
export function createCompileCache(evaluate: (source: string) => unknown, bounds: CompileCacheBounds = {}): CompileCache {
  const maxEntries = bounds.maxEntries ?? 256;
  const maxChars = bounds.maxChars ?? 4_000_000;
  const maxEntryChars = bounds.maxEntryChars ?? 256_000;
  const kept = new Map<string, ScriptFunction & { chars: number }>();
  let keptChars = 0;

  const compile = (code: string, candidates: readonly string[]): ScriptFunction & { chars: number } => {
    const names = Object.freeze(namesUsed(code, candidates));
    const fn = evaluate(sourceOf(code, names)) as (values: readonly unknown[]) => unknown;
    Object.freeze(fn.prototype);
    Object.freeze(fn);
    return { names, run: (values) => Reflect.apply(fn, undefined, [values]), chars: code.length };
  };

  return {
    get(code, candidates) {
      if (code.length > maxEntryChars) return compile(code, candidates);
      const key = `${candidates.join(',')}\0${code}`;
      const hit = kept.get(key);
      if (hit !== undefined) {
        // Re-inserting moves the entry to the back, so the first key is the least recent.
        kept.delete(key);
        kept.set(key, hit);
        return hit;
      }
      const entry = compile(code, candidates);
      kept.set(key, entry);
      keptChars += entry.chars;
      while (kept.size > maxEntries || keptChars > maxChars) {
        const [oldestKey, oldest] = kept.entries().next().value!;
        kept.delete(oldestKey);
        keptChars -= oldest.chars;
      }
      return entry;
    },
  };
}
