// Owns the options of createJobQueue and createQueueWorker: checked once, unknown keys
// rejected, defaults frozen, a `redis://` URL turned into connection options. Never mutates
// or keeps a copy of what the caller passed beyond the resolved values.

import type { ConnectionOptions } from 'bullmq';
import { DEFAULT_BATCH_CONCURRENCY } from '../batch/index.js';
import { InvalidOptionsError } from '../errors.js';

/** Where Redis is: a `redis://` / `rediss://` URL, or BullMQ's connection options (an ioredis instance or its options). */
export type QueueConnection = string | ConnectionOptions;

/** Deliveries of one job before it gets a final WorkerCrashedError outcome instead of another run. */
export const DEFAULT_MAX_DELIVERIES = 3;
/** How long a worker's hold on a job lasts without renewal: a dead worker's jobs come back after about this long. */
export const DEFAULT_LOCK_DURATION_MS = 30_000;
/** Characters of one job's record of tool calls (arguments and answers as JSON), over every delivery. */
export const DEFAULT_MAX_RECORD_CHARS = 1_048_576;

/** Options shared by the producer and the worker. */
export interface ResolvedQueueBase {
  readonly connection: ConnectionOptions;
  readonly name: string;
  readonly prefix: string;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'string' || typeof value === 'number' ? JSON.stringify(value) : typeof value;
}

/** Connection options for a `redis://` or `rediss://` URL. */
export function connectionFromUrl(text: string): ConnectionOptions {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new InvalidOptionsError('connection', `Expected \`connection\` to be a redis:// URL, got ${describe(text)}`);
  }
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') throw new InvalidOptionsError('connection', `Expected \`connection\` to be a redis:// or rediss:// URL, got ${describe(text)}`);
  const db = url.pathname.length > 1 ? Number(url.pathname.slice(1)) : 0;
  if (!Number.isInteger(db) || db < 0) throw new InvalidOptionsError('connection', `Expected the database of \`connection\` to be a number, got ${describe(url.pathname.slice(1))}`);
  return {
    host: url.hostname.replace(/^\[|\]$/g, '') || 'localhost',
    port: url.port === '' ? 6379 : Number(url.port),
    db,
    ...(url.username === '' ? {} : { username: decodeURIComponent(url.username) }),
    ...(url.password === '' ? {} : { password: decodeURIComponent(url.password) }),
    ...(url.protocol === 'rediss:' ? { tls: {} } : {}),
  };
}

/** Checks `options` is an object with only `allowed` keys, and resolves the shared ones. */
export function resolveQueueBase(options: unknown, allowed: readonly string[], where: string): ResolvedQueueBase & { raw: Record<string, unknown> } {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) throw new InvalidOptionsError('options', `Expected ${where} options to be an object, got ${describe(options)}`);
  const raw = options as Record<string, unknown>;
  const unknown = Object.keys(raw).find((key) => !allowed.includes(key));
  if (unknown !== undefined) throw new InvalidOptionsError(unknown, `Unknown ${where} option \`${unknown}\`; expected one of ${allowed.join(', ')}`);
  const { connection, name, prefix } = raw;
  if (typeof name !== 'string' || name === '' || name.includes(':')) throw new InvalidOptionsError('name', `Expected \`name\` to be a non-empty string without ":", got ${describe(name)}`);
  if (prefix !== undefined && (typeof prefix !== 'string' || prefix === '')) throw new InvalidOptionsError('prefix', `Expected \`prefix\` to be a non-empty string, got ${describe(prefix)}`);
  let resolved: ConnectionOptions;
  if (typeof connection === 'string') resolved = connectionFromUrl(connection);
  else if (typeof connection === 'object' && connection !== null) resolved = connection as ConnectionOptions;
  else throw new InvalidOptionsError('connection', `Expected \`connection\` to be a redis:// URL or connection options, got ${describe(connection)}`);
  return { connection: resolved, name, prefix: prefix ?? 'bull', raw };
}

/** An integer option from 1 to `max`, or its default. */
export function integerOption(raw: Record<string, unknown>, key: string, fallback: number, max: number): number {
  const value = raw[key];
  if (value === undefined) return fallback;
  if (typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= max) return value;
  throw new InvalidOptionsError(key, `Expected \`${key}\` to be an integer from 1 to ${max}, got ${describe(value)}`);
}

/** The default concurrency of a worker: the same as executeMany's. */
export const DEFAULT_WORKER_CONCURRENCY = DEFAULT_BATCH_CONCURRENCY;

/** Checks the options of `queue.results()`: only `follow`, `remove` (booleans) and `signal`. */
export function checkResultsOptions(options: unknown): void {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) throw new InvalidOptionsError('options', `Expected results options to be an object, got ${describe(options)}`);
  const raw = options as Record<string, unknown>;
  const unknown = Object.keys(raw).find((key) => !['follow', 'remove', 'signal'].includes(key));
  if (unknown !== undefined) throw new InvalidOptionsError(unknown, `Unknown results option \`${unknown}\`; expected one of follow, remove, signal`);
  for (const key of ['follow', 'remove']) {
    if (raw[key] !== undefined && typeof raw[key] !== 'boolean') throw new InvalidOptionsError(key, `Expected \`${key}\` to be a boolean, got ${describe(raw[key])}`);
  }
  if (raw.signal !== undefined && !(raw.signal instanceof AbortSignal)) throw new InvalidOptionsError('signal', `Expected \`signal\` to be an AbortSignal, got ${describe(raw.signal)}`);
}
