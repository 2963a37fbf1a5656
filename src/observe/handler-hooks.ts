// Owns the internal seam instrumentation uses to wrap handler calls (an OpenTelemetry span
// made active while a handler runs): one hook per engine, found through a WeakMap so the
// Engine class exposes nothing. Never part of the public API; an engine without a hook pays
// one `undefined` check per handler call.

import type { HandlerHook } from '../execution.js';

const setters = new WeakMap<object, (hook: HandlerHook | undefined) => void>();

/** Called once by each engine, with the function that replaces its hook. */
export function registerHandlerHookSetter(engine: object, set: (hook: HandlerHook | undefined) => void): void {
  setters.set(engine, set);
}

/** Wraps every later handler call of `engine` in `hook` (undefined removes it). */
export function installHandlerHook(engine: object, hook: HandlerHook | undefined): void {
  const set = setters.get(engine);
  if (set === undefined) throw new TypeError('Expected a toolweaver Engine');
  set(hook);
}
