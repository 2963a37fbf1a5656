// Owns the thread's parsed task setups (tool bindings and limits, protocol.ts TaskSetup): each
// distinct setup text is parsed once per thread and hardened, so runs share it read-only.
// Must never hand a setup to a script: runs read it; scripts get functions made for them.

import type { TaskSetup } from '../protocol.js';

/** Setups kept: one per catalog version in use; more only while a catalog keeps changing. */
const MAX_SETUPS = 8;

/** Parsed setups by their text, most recently used last. */
export interface SetupCache {
  get(text: string): TaskSetup;
}

/** Creates a cache; `freeze` makes a parsed setup immutable (harden, in the worker). */
export function createSetupCache(freeze: <T>(value: T) => T): SetupCache {
  const setups = new Map<string, TaskSetup>();
  let lastText: string | undefined;
  let last: TaskSetup | undefined;
  return {
    get(text) {
      // Every task of one engine brings the same text: one comparison, no hashing.
      if (text === lastText && last !== undefined) return last;
      let setup = setups.get(text);
      if (setup === undefined) {
        setup = freeze(JSON.parse(text) as TaskSetup);
        if (setups.size >= MAX_SETUPS) setups.delete(setups.keys().next().value!);
      } else {
        setups.delete(text);
      }
      setups.set(text, setup);
      lastText = text;
      last = setup;
      return setup;
    },
  };
}
