// Owns the options of a batch: checked once when the batch is created, unknown keys rejected,
// defaults frozen. Never mutates what the caller passed.

import { InvalidOptionsError } from '../errors.js';
import type { BatchProgress, ExecuteManyOptions } from './types.js';

/**
 * Default `concurrency` of a batch: enough jobs in flight to keep two threads of 128 scripts
 * busy on I/O-bound scripts, few enough that memory stays small (see the batch bench).
 */
export const DEFAULT_BATCH_CONCURRENCY = 256;

/** Largest accepted `concurrency`: beyond it, memory grows for no throughput. */
const MAX_BATCH_CONCURRENCY = 100_000;

const KEYS: ReadonlySet<string> = new Set(['concurrency', 'signal', 'onProgress']);

/** Batch options after checking, with defaults filled in; frozen. */
export interface ResolvedBatchOptions {
  readonly concurrency: number;
  readonly signal: AbortSignal | undefined;
  readonly onProgress: ((progress: BatchProgress) => void) | undefined;
}

function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'number' || typeof value === 'string' ? JSON.stringify(value) : typeof value;
}

function resolveConcurrency(value: unknown): number {
  if (value === undefined) return DEFAULT_BATCH_CONCURRENCY;
  if (typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= MAX_BATCH_CONCURRENCY) return value;
  throw new InvalidOptionsError('concurrency', `Expected \`concurrency\` to be an integer from 1 to ${MAX_BATCH_CONCURRENCY}, got ${kindOf(value)}`);
}

/** Validates `executeMany` options and fills in defaults. Throws InvalidOptionsError. */
export function resolveBatchOptions(options: ExecuteManyOptions | undefined): ResolvedBatchOptions {
  if (options === undefined) return Object.freeze({ concurrency: DEFAULT_BATCH_CONCURRENCY, signal: undefined, onProgress: undefined });
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new InvalidOptionsError('options', `Expected batch options to be an object, got ${kindOf(options)}`);
  }
  const unknown = Object.keys(options).find((key) => !KEYS.has(key));
  if (unknown !== undefined) throw new InvalidOptionsError(unknown, `Unknown batch option \`${unknown}\`; expected one of ${[...KEYS].join(', ')}`);
  const { signal, onProgress } = options;
  if (signal !== undefined && !(signal instanceof AbortSignal)) {
    throw new InvalidOptionsError('signal', `Expected \`signal\` to be an AbortSignal, got ${kindOf(signal)}`);
  }
  if (onProgress !== undefined && typeof onProgress !== 'function') {
    throw new InvalidOptionsError('onProgress', `Expected \`onProgress\` to be a function, got ${kindOf(onProgress)}`);
  }
  return Object.freeze({ concurrency: resolveConcurrency(options.concurrency), signal, onProgress });
}
