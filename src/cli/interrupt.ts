// Owns Ctrl-C for commands that run scripts: the first SIGINT aborts the work in progress
// (outcomes are still written, and the command exits 130); a second one gets Node's default
// and ends the process at once.

/** What `abortOnInterrupt` gives: the signal to pass on, and `release` for when the work is done. */
export interface Interrupt {
  signal: AbortSignal;
  release: () => void;
}

/** Aborts the returned signal on the first SIGINT, after calling `onInterrupt` (to show it). */
export function abortOnInterrupt(onInterrupt?: () => void): Interrupt {
  const controller = new AbortController();
  const abort = (): void => {
    onInterrupt?.();
    controller.abort(new Error('Interrupted (SIGINT)'));
  };
  process.once('SIGINT', abort);
  return { signal: controller.signal, release: () => process.off('SIGINT', abort) };
}
