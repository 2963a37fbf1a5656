// Owns reading a batch's source one job at a time: arrays, iterables and async iterables
// behind one pull interface. Never reads ahead: one pending pull at most, so a stream of a
// million jobs is never held in memory.

import { InvalidOptionsError } from '../errors.js';

/** One step of a source: synchronous for iterables, a promise for async iterables. */
export type JobStep = IteratorResult<unknown> | Promise<IteratorResult<unknown>>;

/** A source opened for reading: one pull at a time, closed when the batch ends early. */
export interface JobReader {
  /** The next job; may throw (or reject) with the source's own error. */
  next(): JobStep;
  /** Tells the source no more jobs will be read (its `finally` blocks run). Never throws. */
  close(): void;
}

function isIterable(value: object): value is Iterable<unknown> {
  return typeof (value as { [Symbol.iterator]?: unknown })[Symbol.iterator] === 'function';
}

function isAsyncIterable(value: object): value is AsyncIterable<unknown> {
  return typeof (value as { [Symbol.asyncIterator]?: unknown })[Symbol.asyncIterator] === 'function';
}

/** Throws InvalidOptionsError unless `jobs` is an array, an iterable or an async iterable. */
export function checkJobSource(jobs: unknown): void {
  if (typeof jobs === 'object' && jobs !== null && (isAsyncIterable(jobs) || isIterable(jobs))) return;
  throw new InvalidOptionsError('jobs', `Expected \`jobs\` to be an array, an iterable or an async iterable, got ${jobs === null ? 'null' : typeof jobs}`);
}

/** Opens a source that passed `checkJobSource`. */
export function createJobReader(jobs: Iterable<unknown> | AsyncIterable<unknown>): JobReader {
  const iterator = isAsyncIterable(jobs) ? jobs[Symbol.asyncIterator]() : (jobs as Iterable<unknown>)[Symbol.iterator]();
  return {
    next: () => iterator.next(),
    close() {
      try {
        // An async iterator's return() is a promise; a failure there is the source's to report.
        Promise.resolve(iterator.return?.()).catch(() => {});
      } catch {
        // The same for a synchronous return() that throws.
      }
    },
  };
}
