// Owns the one Compartment of a pool thread, made once after lockdown and shared by every
// script the thread runs. Its global object is frozen and holds only what every script may
// share: hardened intrinsics, the real Date and Math, hardened Intl. It must never hold
// anything of one script: endowments reach a script only as its compiled function's scope.

import { COMPARTMENT_GLOBALS_TO_REMOVE } from '../globals.js';

let compartment: Compartment | undefined;

/**
 * SECURITY: "No script can change anything another script sees": the worker's Intl is no
 * intrinsic SES knows, so lockdown leaves it mutable; it is hardened (deeply frozen) before
 * any script gets it (harden exists only after lockdown). So are the two prototypes only
 * its instances reach: %SegmentsPrototype% and %SegmentIteratorPrototype%.
 */
function hardenIntl(): typeof Intl {
  const segments = new Intl.Segmenter('en').segment('');
  harden(Object.getPrototypeOf(segments));
  harden(Object.getPrototypeOf(segments[Symbol.iterator]()));
  return harden(Intl);
}

function createSharedCompartment(): Compartment {
  // Date and Math are the worker's real ones, frozen by lockdown: the Compartment's own
  // Date and Math throw on now()/random(), and LLM code uses both.
  const created = new Compartment({ globals: { Date, Math, Intl: hardenIntl() }, __options__: true });
  const globalObject = created.globalThis as Record<string, unknown>;
  // SECURITY: "No script can reach binary data, another evaluator, or the global object":
  // SES puts these on every Compartment's global object by default.
  for (const name of COMPARTMENT_GLOBALS_TO_REMOVE) delete globalObject[name];
  // SECURITY: "No script can change anything another script sees": every script of the
  // thread resolves its free names here, so nothing may be added, removed or replaced.
  // Freezing also lets SES treat globals as constants (Math.max: ~200 ms -> 3 ms per 1e6 calls).
  Object.freeze(globalObject);
  return created;
}

/**
 * The thread's Compartment, made on first use. Call only after `lockdown()` (main.ts runs it
 * at load, before the first task): `harden` does not exist before.
 */
export function sharedCompartment(): Compartment {
  return (compartment ??= createSharedCompartment());
}
