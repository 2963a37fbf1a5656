// Owns turning one execution into the async iterable of `executeStreaming`: each output line
// as it arrives, then exactly one result event, or the typed error thrown after the lines.

import type { Execution, ExecuteResult } from './execution.js';

/** One event of `executeStreaming`. */
export type StreamEvent = { type: 'output'; line: string } | { type: 'result'; result: ExecuteResult };

/**
 * Yields the events of `execution`, whose `onLine` it takes over. `abandon` is called when
 * the consumer stops listening before the outcome, to end the execution.
 */
export async function* streamExecution(execution: Execution, abandon: () => void): AsyncGenerator<StreamEvent, void, undefined> {
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
