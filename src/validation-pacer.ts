// Owns the pacing of main-thread validation: a burst of `execute` calls in one tick (2,000 at
// once) is validated in slices of at most VALIDATION_SLICE_MS, with the host's event loop free
// between slices, instead of holding it for the whole burst. Keeps submission order; never
// drops a task.

import { performance } from 'node:perf_hooks';
import { Fifo } from './fifo.js';

/** Longest stretch of validation work the engine does on the host's thread before yielding. */
export const VALIDATION_SLICE_MS = 20;

/** Runs validation tasks inline while the current turn's slice lasts, later otherwise. */
export interface ValidationPacer {
  /** Runs `task` now, or after the tasks already waiting, in a later turn. */
  run(task: () => void): void;
  /** Runs every waiting task now (the engine is closing: what was submitted gets admitted). */
  flush(): void;
}

/** Creates a pacer; `sliceMs` and `now` are seams for tests. */
export function createValidationPacer(sliceMs = VALIDATION_SLICE_MS, now: () => number = () => performance.now()): ValidationPacer {
  const backlog = new Fifo<() => void>();
  // Start of this turn's slice; undefined until a task runs in the turn.
  let sliceStart: number | undefined;
  let draining = false;
  const endSlice = (): void => {
    if (!draining) sliceStart = undefined;
  };
  const drain = (): void => {
    sliceStart = now();
    while (backlog.length > 0 && now() - sliceStart < sliceMs) backlog.shift()!();
    if (backlog.length > 0) return void setImmediate(drain);
    draining = false;
    sliceStart = undefined;
  };
  return {
    run(task) {
      if (!draining) {
        if (sliceStart === undefined) {
          sliceStart = now();
          setImmediate(endSlice);
        }
        if (now() - sliceStart < sliceMs) return task();
        draining = true;
        setImmediate(drain);
      }
      backlog.push(task);
    },
    flush() {
      while (backlog.length > 0) backlog.shift()!();
    },
  };
}
