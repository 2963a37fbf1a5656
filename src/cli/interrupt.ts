// Owns Ctrl-C for commands that run scripts: the first SIGINT aborts the work in progress
// (outcomes are still written, and the command exits 130); a second one ends the process at
// once, with exit code 130, after `onForce` (which must be synchronous) has tidied the terminal.

import { EXIT_INTERRUPTED } from './usage-error.js';

/** What `abortOnInterrupt` gives: the signal to pass on, and `release` for when the work is done. */
export interface Interrupt {
  signal: AbortSignal;
  release: () => void;
}

/** Hooks called on the first SIGINT (`onInterrupt`, to show it) and on the second (`onForce`). */
export interface InterruptHooks {
  onInterrupt?: () => void;
  onForce?: () => void;
}

/** Aborts the returned signal on the first SIGINT; exits 130 on the second. */
export function abortOnInterrupt(hooks: InterruptHooks = {}): Interrupt {
  const controller = new AbortController();
  const force = (): void => {
    hooks.onForce?.();
    process.exit(EXIT_INTERRUPTED);
  };
  const abort = (): void => {
    process.once('SIGINT', force);
    hooks.onInterrupt?.();
    controller.abort(new Error('Interrupted (SIGINT)'));
  };
  process.once('SIGINT', abort);
  return {
    signal: controller.signal,
    release: () => {
      process.off('SIGINT', abort);
      process.off('SIGINT', force);
    },
  };
}
