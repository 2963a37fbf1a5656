// Owns Ctrl-C for commands that run scripts: the first SIGINT aborts the work in progress
// (outcomes are still written); a second one gets Node's default and ends the process.

/** Aborts the returned signal on the first SIGINT; call `release` when the work is done. */
export function abortOnInterrupt(): { signal: AbortSignal; release: () => void } {
  const controller = new AbortController();
  const abort = (): void => controller.abort(new Error('Interrupted (SIGINT)'));
  process.once('SIGINT', abort);
  return { signal: controller.signal, release: () => process.off('SIGINT', abort) };
}
