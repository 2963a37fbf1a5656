// Owns `prewarmPool`, the opt-in way to start the pool process before `createEngine`:
// validates the pool's shape, forks it as an engine would, and returns its handle. Never
// forks at import; what happens to the process after that lives in pool/prewarm.ts.

import { forkPoolProcess, holdPrewarmed } from './pool/index.js';
import { resolvePrewarmOptions, type PrewarmOptions } from './options.js';

/** A pool process started by `prewarmPool`. */
export interface PrewarmedPool {
  /** The pool process's pid; undefined if it could not be forked (an engine then forks its own). */
  readonly pid: number | undefined;
  /** Whether an engine has adopted it; from then on that engine's `close()` ends it. */
  readonly adopted: boolean;
  /** Ends the process unless an engine adopted it; resolves once it is gone. */
  close(): Promise<void>;
}

/**
 * Starts a pool process (and its threads, SES and lockdown) now, for the next
 * `createEngine` with `isolation: 'process'` and the same `threads`, `scriptsPerThread`
 * and `memoryLimitMb`: that engine adopts it instead of forking, and its first result no
 * longer waits for a cold start. Costs what an engine's pool costs (a process, its threads
 * and their memory) from now on, even if no engine ever adopts it. It never keeps the host
 * alive, and it ends with the host, or with `close()`. Throws InvalidOptionsError for bad
 * options.
 */
export function prewarmPool(options?: PrewarmOptions): PrewarmedPool {
  const shape = resolvePrewarmOptions(options);
  return holdPrewarmed({ threads: shape.threads, scriptsPerThread: shape.scriptsPerThread, memoryLimitMb: shape.memoryLimitMb }, forkPoolProcess);
}
