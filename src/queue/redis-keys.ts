// Owns the Redis keys toolweaver keeps beside BullMQ's for one queue, and the Lua scripts
// that make each job's outcome a write-once fact. Every key starts with BullMQ's
// `${prefix}:${name}`, so a hash tag in the prefix keeps a queue in one Cluster slot.
// Never touches BullMQ's own keys except two `tw*` fields of a job's hash.

/**
 * The surface of BullMQ's client the queue uses: its script commands, and ioredis's `call`
 * (BullMQ's ioredis adapter forwards it to the ioredis instance under it).
 */
export interface RedisClient {
  defineCommand(name: string, definition: { numberOfKeys: number; lua: string }): void;
  runCommand(name: string, args: Array<string | number>): Promise<unknown>;
  call(command: string, ...args: Array<string | number>): Promise<unknown>;
}

/** The keys of one queue. */
export interface QueueKeys {
  /** A random id set by the queue's first producer: another value (or none) means Redis lost the queue's data. */
  readonly epoch: string;
  /** Jobs ever added (INCR at add: a job's index is its value minus one). */
  readonly added: string;
  /** Outcomes stored. */
  readonly done: string;
  /** Of them, rejected. */
  readonly failed: string;
  /** Stream of outcome records, field `o`, in the order stored. */
  readonly outcomes: string;
  /** Outcomes stored in one second (expiring counters), for `rate`. */
  rate(second: number): string;
  /** BullMQ's hash of one job. */
  job(jobId: string): string;
  /** The list of one job's recorded tool calls. */
  calls(jobId: string): string;
}

/** Keys of queue `name` under BullMQ `prefix`. */
export function queueKeys(prefix: string, name: string): QueueKeys {
  const base = `${prefix}:${name}`;
  return {
    epoch: `${base}:tw:epoch`,
    added: `${base}:tw:added`,
    done: `${base}:tw:done`,
    failed: `${base}:tw:failed`,
    outcomes: `${base}:tw:outcomes`,
    rate: (second) => `${base}:tw:rate:${second}`,
    job: (jobId) => `${base}:${jobId}`,
    calls: (jobId) => `${base}:${jobId}:tw-calls`,
  };
}

/** Seconds a per-second rate counter lives. */
export const RATE_TTL_S = 120;

/**
 * Starts a delivery: counts it on the job's hash and reads the job's state. Returns
 * `false` when the job's hash is gone (removed, or lost with Redis's data), else
 * `[hasOutcome, deliveries, ...recordedCalls]`. KEYS: job, calls.
 */
const BEGIN_LUA = `
if redis.call('EXISTS', KEYS[1]) == 0 then return false end
local done = redis.call('HEXISTS', KEYS[1], 'twDone')
local deliveries = redis.call('HINCRBY', KEYS[1], 'twDeliveries', 1)
local calls = redis.call('LRANGE', KEYS[2], 0, -1)
table.insert(calls, 1, deliveries)
table.insert(calls, 1, done)
return calls`;

/**
 * Stores a job's outcome once: 1 when stored, 0 when the job already had one (a duplicate
 * delivery, or one superseded by a later delivery), -1 when the job's hash is gone.
 * KEYS: job, calls, outcomes, done, failed, rate. ARGV: outcome JSON, 1 if rejected, rate
 * TTL, the delivery's number.
 */
const FINISH_LUA = `
if redis.call('EXISTS', KEYS[1]) == 0 then return -1 end
if redis.call('HGET', KEYS[1], 'twDeliveries') ~= ARGV[4] then return 0 end
if redis.call('HSETNX', KEYS[1], 'twDone', '1') == 0 then return 0 end
redis.call('XADD', KEYS[3], '*', 'o', ARGV[1])
redis.call('INCR', KEYS[4])
if ARGV[2] == '1' then redis.call('INCR', KEYS[5]) end
redis.call('INCR', KEYS[6])
redis.call('EXPIRE', KEYS[6], ARGV[3])
redis.call('DEL', KEYS[2])
return 1`;

/**
 * Records a new call's entry, only while the job exists, has no outcome, and this delivery
 * (ARGV[2]) is its latest; returns the entry's position, or -1. KEYS: job, calls.
 */
const OPEN_CALL_LUA = `
if redis.call('EXISTS', KEYS[1]) == 0 or redis.call('HEXISTS', KEYS[1], 'twDone') == 1 then return -1 end
if redis.call('HGET', KEYS[1], 'twDeliveries') ~= ARGV[2] then return -1 end
return redis.call('RPUSH', KEYS[2], ARGV[1]) - 1`;

/** The commands above, typed, on one client. */
export interface QueueCommands {
  begin(job: string, calls: string): Promise<false | null | Array<number | string>>;
  finish(keys: QueueKeys, jobId: string, delivery: number, outcomeJson: string, rejected: boolean): Promise<number>;
  openCall(job: string, calls: string, delivery: number, entryJson: string): Promise<number>;
  /** Replaces a call's entry with its answered form; rejects when the record is gone (the job has its outcome). */
  settleCall(calls: string, position: number, entryJson: string): Promise<unknown>;
}

const defined = new WeakSet<object>();

/** Defines the scripts on `client` (once per client) and returns them typed. */
export function queueCommands(client: RedisClient): QueueCommands {
  if (!defined.has(client)) {
    client.defineCommand('twBegin', { numberOfKeys: 2, lua: BEGIN_LUA });
    client.defineCommand('twFinish', { numberOfKeys: 6, lua: FINISH_LUA });
    client.defineCommand('twOpenCall', { numberOfKeys: 2, lua: OPEN_CALL_LUA });
    defined.add(client);
  }
  const run = (name: string, ...args: Array<string | number>): Promise<unknown> => client.runCommand(name, args);
  return {
    begin: (job, calls) => run('twBegin', job, calls) as Promise<false | null | Array<number | string>>,
    finish: (keys, jobId, delivery, outcomeJson, rejected) =>
      run('twFinish', keys.job(jobId), keys.calls(jobId), keys.outcomes, keys.done, keys.failed, keys.rate(Math.floor(Date.now() / 1000)), outcomeJson, rejected ? 1 : 0, RATE_TTL_S, delivery) as Promise<number>,
    openCall: (job, calls, delivery, entryJson) => run('twOpenCall', job, calls, entryJson, delivery) as Promise<number>,
    // A plain LSET, not a script: the most frequent write (one per call), and it fails by
    // itself ("no such key") once the job's outcome deleted the record.
    settleCall: (calls, position, entryJson) => client.call('LSET', calls, position, entryJson),
  };
}
