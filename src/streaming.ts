// Owns turning one execution into the async iterable of `executeStreaming`: each output line
// as it arrives, then exactly one result event, or the typed error thrown after the lines.

import type { Execution, ExecuteResult } from './execution.js';

/** One event of `executeStreaming`. */
export type StreamEvent = { type: 'output'; line: string } | { type: 'result'; result: ExecuteResult };

/**
 * The stream of `execution`'s events. Its outcome is observed at once, so a failure nobody
 * reads yet is never an unhandled rejection; `abandon` ends the execution when the consumer
 * stops before the outcome, even before its first `next()`.
 */
export function streamExecution(execution: Execution, abandon: () => void): AsyncGenerator<StreamEvent, void, undefined> {
  execution.promise.catch(() => {});
  const inner = events(execution, abandon);
  let started = false;
  const stream = {
    next: () => {
      started = true;
      return inner.next();
    },
    return: (value?: unknown) => {
      if (!started) abandon();
      return inner.return(value as undefined);
    },
    throw: (error?: unknown) => {
      if (!started) abandon();
      return inner.throw(error);
    },
    [Symbol.asyncIterator]: () => stream,
  };
  return stream as unknown as AsyncGenerator<StreamEvent, void, undefined>;
}

/** Yields the events of `execution`, whose `onLine` it takes over. */
async function* events(execution: Execution, abandon: () => void): AsyncGenerator<StreamEvent, void, undefined> {
  // The execution started before the consumer's first next(): replay what already arrived.
  const events: StreamEvent[] = execution.liveLines.map((line) => ({ type: 'output', line }));
  let wake: (() => void) | undefined;
  execution.onLine = (line) => {
    events.push({ type: 'output', line });
    wake?.();
  };
  let outcome: { result: ExecuteResult } | { error: unknown } | undefined;
  execution.promise.then((result) => (outcome = { result }), (error: unknown) => (outcome = { error })).finally(() => wake?.());
  try {
    while (true) {
      while (events.length > 0) yield events.shift()!;
      if (outcome !== undefined) break;
      await new Promise<void>((resolve) => (wake = resolve));
      wake = undefined;
    }
  } finally {
    if (outcome === undefined) abandon();
  }
  if ('error' in outcome) throw outcome.error;
  yield { type: 'result', result: outcome.result };
}
