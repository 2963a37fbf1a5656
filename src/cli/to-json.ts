// Owns the CLI's machine-readable records: a run's or a job's outcome as plain JSON data.
// Errors keep their code and context fields; a host `cause` keeps only its name and message.

import type { BatchOutcome } from '../batch/index.js';
import type { ExecuteResult } from '../execution.js';

/** The JSON form of an error: `{ name, code, message, ...its context fields, output, metadata }`. */
export function errorToJson(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { name: 'Error', message: String(error) };
  // Own enumerable fields are the error's context (code, output, metadata, toolName, ...);
  // `message`, `stack` and `cause` are not enumerable, so they are added (or left) here.
  const record: Record<string, unknown> = { name: error.name, message: error.message };
  Object.assign(record, error);
  const { cause } = error as { cause?: unknown };
  if (cause !== undefined) record['cause'] = cause instanceof Error ? { name: cause.name, message: cause.message } : { message: String(cause) };
  return record;
}

/** The JSON form of a successful run: `{ status: 'fulfilled', result }`. */
export function fulfilledToJson(result: ExecuteResult): Record<string, unknown> {
  return { status: 'fulfilled', result };
}

/** The JSON form of a failed run: `{ status: 'rejected', error }`. */
export function rejectedToJson(error: unknown): Record<string, unknown> {
  return { status: 'rejected', error: errorToJson(error) };
}

/** The JSON form of one batch outcome: `{ id, index, status, result | error }`. */
export function outcomeToJson(outcome: BatchOutcome): Record<string, unknown> {
  const settled = outcome.status === 'fulfilled' ? fulfilledToJson(outcome.result) : rejectedToJson(outcome.error);
  return { id: outcome.id, index: outcome.index, ...settled };
}
