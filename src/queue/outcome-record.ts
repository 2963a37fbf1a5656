// Owns the stored form of a job's outcome: the same `{ id, index, status, result | error }`
// an executeMany outcome has, as JSON, with the error kept by errorToJson and rebuilt as its
// class by errorFromJson. Never stores a stack or a host value.

import type { BatchOutcome, JobId } from '../batch/index.js';
import { errorFromJson, errorToJson, type ErrorJson } from '../error-json.js';
import type { ToolWeaverError } from '../errors.js';
import type { ExecuteResult } from '../execution.js';

type StoredOutcome =
  | { id: JobId; index: number; status: 'fulfilled'; result: ExecuteResult }
  | { id: JobId; index: number; status: 'rejected'; error: ErrorJson };

/** The JSON text stored for `outcome`. */
export function outcomeToJson(outcome: BatchOutcome): string {
  const { id, index } = outcome;
  const stored: StoredOutcome = outcome.status === 'fulfilled' ? { id, index, status: 'fulfilled', result: outcome.result } : { id, index, status: 'rejected', error: errorToJson(outcome.error) };
  return JSON.stringify(stored);
}

/** The outcome stored as `text`, with a rejected one's error rebuilt as its class. */
export function outcomeFromJson(text: string): BatchOutcome {
  const stored = JSON.parse(text) as StoredOutcome;
  if (stored.status === 'fulfilled') return stored;
  return { id: stored.id, index: stored.index, status: 'rejected', error: errorFromJson(stored.error) as ToolWeaverError };
}
