// Owns reading a queue's stored outcomes as an async iterable: every outcome from the first,
// in the order stored, on a connection of its own (XREAD blocks), ending once there is an
// outcome for every job added (or never, with `follow`). Removes an outcome only with
// `remove`, and only once the reader has asked for the next one (at least once).

import type { BatchOutcome } from '../batch/index.js';
import { outcomeFromJson } from './outcome-record.js';
import type { QueueKeys, RedisClient } from './redis-keys.js';

/** Outcomes fetched per read. */
const READ_COUNT = 1_000;
/** Longest a read blocks before the end condition is checked again. */
const BLOCK_MS = 500;
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Options of `queue.results()`. */
export interface ResultsOptions {
  /** Keep waiting for outcomes after every job added so far has one. @default false */
  follow?: boolean | undefined;
  /** Ends the iteration (without an error) when aborted. @default none */
  signal?: AbortSignal | undefined;
  /**
   * Delete each outcome from Redis once the loop asks for the next one (the one in hand when
   * the loop breaks or throws stays, and a later reader gets it again). For one reader:
   * other readers miss what it removed. @default false
   */
  remove?: boolean | undefined;
}

type StreamReply = Array<[string, Array<[string, string[]]>]> | null;

/** Reads the outcomes of one queue through `blocking` (a connection only this reader uses), counting with `client`. */
export async function* readOutcomes(client: RedisClient, blocking: RedisClient & { disconnect(): void }, keys: QueueKeys, options: ResultsOptions, verify: () => Promise<void>): AsyncGenerator<BatchOutcome, void, undefined> {
  const { signal, follow = false, remove = false } = options;
  const stop = (): void => blocking.disconnect();
  signal?.addEventListener('abort', stop, { once: true });
  let last = '0';
  // Entries the loop has moved past, to delete (with `remove`) before the next read.
  const consumed: string[] = [];
  const removeConsumed = async (): Promise<void> => {
    if (consumed.length > 0) await client.call('XDEL', keys.outcomes, ...consumed.splice(0));
  };
  try {
    while (!(signal?.aborted ?? false)) {
      await removeConsumed();
      let reply: StreamReply;
      try {
        reply = (await blocking.call('XREAD', 'COUNT', READ_COUNT, 'BLOCK', BLOCK_MS, 'STREAMS', keys.outcomes, last)) as StreamReply;
      } catch (error) {
        if (signal?.aborted ?? false) return;
        // Redis restarting: the connection comes back by itself.
        await sleep(BLOCK_MS);
        continue;
      }
      const entries = reply?.[0]?.[1] ?? [];
      for (const [entryId, fields] of entries) {
        last = entryId;
        const at = fields.indexOf('o');
        if (at >= 0 && at + 1 < fields.length) yield outcomeFromJson(fields[at + 1]!);
        // Reached only when the loop asked for the next outcome: this one was handled.
        if (remove) consumed.push(entryId);
      }
      if (entries.length === READ_COUNT) continue;
      // Caught up: if Redis lost the queue meanwhile, no outcome is coming; say so.
      await verify();
      if (follow) continue;
      // An outcome is added to the stream and counted in one script, so once every job added
      // has been counted, one more read from `last` sees all that remain: the end needs no
      // count of what this reader saw, which removed or trimmed outcomes would throw off.
      const [done, added] = (await client.call('MGET', keys.done, keys.added)) as Array<string | null>;
      if ((Number(done) || 0) < (Number(added) || 0)) continue;
      // (`(id` ranges need Redis 6.2; BullMQ admits 5.)
      const rest = (await client.call('XRANGE', keys.outcomes, last, '+', 'COUNT', 2)) as Array<[string, string[]]>;
      if (rest.every(([entryId]) => entryId === last)) return;
    }
  } finally {
    signal?.removeEventListener('abort', stop);
    blocking.disconnect();
    await removeConsumed().catch(() => {});
  }
}
