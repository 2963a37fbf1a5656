// Owns the task setups (protocol.ts TaskSetup, as text) held by the pool process: each distinct
// text crosses to the pool process once per process, and run messages name it by number. Both
// sides keep the same last MAX_SETUPS texts in the order they were sent, so the host knows
// without asking which the process still holds. Never reorders: a setup goes out before the
// first run that names it, in the same ordered channel.

/** Setups the pool process keeps: one per catalog version in use, with room for changes. */
export const MAX_SETUPS = 16;

/** The host's mirror of what one pool process holds. */
export interface SetupSender {
  /** The number of `text` in the process; calls `send` first when the process lacks it. */
  keyOf(text: string, send: (key: number, text: string) => void): number;
}

/** A fresh process holds nothing: create one sender per process. */
export function createSetupSender(): SetupSender {
  const held = new Map<string, number>();
  let nextKey = 0;
  return {
    keyOf(text, send) {
      const key = held.get(text);
      if (key !== undefined) return key;
      const added = ++nextKey;
      // The process drops its oldest when it adds this one (see createSetupTable): so here.
      if (held.size >= MAX_SETUPS) held.delete(held.keys().next().value!);
      held.set(text, added);
      send(added, text);
      return added;
    },
  };
}

/** The pool process's side: the texts, by number. */
export interface SetupTable {
  add(key: number, text: string): void;
  /** The text of `key`; undefined only if the host broke the protocol. */
  get(key: number): string | undefined;
}

export function createSetupTable(): SetupTable {
  const texts = new Map<number, string>();
  return {
    add(key, text) {
      if (texts.size >= MAX_SETUPS) texts.delete(texts.keys().next().value!);
      texts.set(key, text);
    },
    get: (key) => texts.get(key),
  };
}
