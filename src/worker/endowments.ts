// Owns what one script is given besides the shared globals: its tools, print/console,
// structuredClone, its context values and its checkpoint, by name. Each is made for that run
// only, and only when the script's code can name it. Must never hand one run's value to another.

import type { ToolBinding } from '../protocol.js';
import { CHECKPOINT_GLOBAL } from '../globals.js';
import type { Checkpoint } from './checkpoint.js';
import { isBindableName } from './compile-cache.js';
import { endowFunction } from './native-look.js';
import type { OutputCapture } from './output-capture.js';
import { createStructuredClone } from './structured-clone.js';
import type { ToolProxy } from './tool-proxy.js';

/** The endowments of one run. */
export interface Endowments {
  /** Every name the run may be given, unique, in a stable order (part of the compile key). */
  readonly names: readonly string[];
  /** The value of one of `names`, made on the call (call once per name). */
  valueOf(name: string): unknown;
}

const ENGINE_NAMES = ['print', 'console', 'structuredClone'] as const;

// SECURITY: "A runaway script stops itself at its time limit": a handler with no traps,
// frozen and without a prototype, so a call of the proxy below is a call of the frozen
// checkpoint, and no trap can be added later (not even through Object.prototype).
const FORWARD_ALL: ProxyHandler<() => number> = Object.freeze(Object.create(null) as ProxyHandler<() => number>);

/**
 * The run's checkpoint as the script's code calls it: behind a Proxy, which V8's optimizing
 * compiler calls but never inlines. Inlined (it is small, and the call site looks hot: it
 * runs thousands of times per invocation of the function around a loop), the clock and heap
 * reads it makes became part of every loop's code, with their registers and spills (W5: 4 KB
 * of loop code, about 10 more instructions per iteration). The call happens once per
 * checkpoint batch; the generic call the loop holds for it costs about 2 instructions per
 * iteration (docs/benchmarks.md, "Counted checkpoints").
 */
function endowCheckpoint(refill: () => number): () => number {
  return new Proxy(endowFunction(refill, CHECKPOINT_GLOBAL), FORWARD_ALL);
}

/**
 * Puts `value` at `path` under `root`, creating namespace objects (null prototype) on the way
 * and adding each one it creates to `created`, for the caller to freeze once every tool is placed.
 */
function placeAt(root: Record<string, unknown>, path: readonly string[], value: unknown, created: object[]): void {
  let node = root;
  for (let i = 0; i < path.length - 1; i++) {
    const segment = path[i]!;
    if (!Object.hasOwn(node, segment)) {
      const namespace = Object.create(null) as Record<string, unknown>;
      Object.defineProperty(node, segment, { value: namespace, enumerable: true, writable: true, configurable: true });
      created.push(namespace);
    }
    node = node[segment] as Record<string, unknown>;
  }
  Object.defineProperty(node, path[path.length - 1]!, { value, enumerable: true, writable: true, configurable: true });
}

/** The tool function or frozen namespace tree a script finds at `root`. */
function toolRoot(proxy: ToolProxy, root: string): unknown {
  const holder: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  const namespaces: object[] = [];
  for (const { path, fn } of proxy.functionsAt(root)) placeAt(holder, path, endowFunction(fn, path[path.length - 1]!), namespaces);
  for (const namespace of namespaces) Object.freeze(namespace);
  return holder[root];
}

function engineValue(name: string, output: OutputCapture, checkpoint: Checkpoint): unknown {
  if (name === 'print') return endowFunction(output.print, 'print');
  if (name === 'console') {
    for (const [method, fn] of Object.entries(output.console)) endowFunction(fn, method);
    return Object.freeze(output.console);
  }
  return endowFunction(createStructuredClone(checkpoint.fn), 'structuredClone');
}

/**
 * The endowments of a run with `contextJson` and `tools`. Later kinds win a name, as they did on the global object: engine
 * names, then tool roots, then context keys, then the checkpoint. SECURITY: "No script can
 * change anything another script sees": every function is made for this run and frozen (its
 * prototype is an intrinsic lockdown hardened), every namespace frozen, every context value
 * deeply hardened. A tool root or context key that is no bindable name (the host refuses
 * them all) is left out: on the global object no script could have named it either.
 */
export function createEndowments(contextJson: string | undefined, tools: readonly ToolBinding[], proxy: ToolProxy, output: OutputCapture, checkpoint: Checkpoint): Endowments {
  const context = contextJson === undefined ? undefined : (JSON.parse(contextJson) as Record<string, unknown>);
  const names = new Set<string>(ENGINE_NAMES);
  for (const { path } of tools) if (isBindableName(path[0]!)) names.add(path[0]!);
  if (context !== undefined) for (const key of Object.keys(context)) if (isBindableName(key)) names.add(key);
  // SECURITY: "A runaway script stops itself at its time limit": no tool or context key can
  // take its place (both refuse the reserved prefix); it is checked first below.
  names.delete(CHECKPOINT_GLOBAL);
  names.add(CHECKPOINT_GLOBAL);
  return {
    names: [...names],
    valueOf(name) {
      if (name === CHECKPOINT_GLOBAL) return endowCheckpoint(checkpoint.refill);
      if (context !== undefined && Object.hasOwn(context, name)) return harden(context[name]);
      if (tools.some(({ path }) => path[0] === name)) return toolRoot(proxy, name);
      return engineValue(name, output, checkpoint);
    },
  };
}
