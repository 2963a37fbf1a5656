// Owns reading a queue's stored outcomes as an async iterable: every outcome from the first,
// in the order stored, on a connection of its own (XREAD blocks), ending once there is an
// outcome for every job added (or never, with `follow`). Never removes an outcome.

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
}

type StreamReply = Array<[string, Array<[string, string[]]>]> | null;

/** Reads the outcomes of one queue through `blocking` (a connection only this reader uses), counting with `client`. */
export async function* readOutcomes(client: RedisClient, blocking: RedisClient & { disconnect(): void }, keys: QueueKeys, options: ResultsOptions, verify: () => Promise<void>): AsyncGenerator<BatchOutcome, void, undefined> {
  const { signal, follow = false } = options;
  const stop = (): void => blocking.disconnect();
  signal?.addEventListener('abort', stop, { once: true });
  let last = '0';
  let read = 0;
  try {
    while (!(signal?.aborted ?? false)) {
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
        read++;
        const at = fields.indexOf('o');
        if (at >= 0 && at + 1 < fields.length) yield outcomeFromJson(fields[at + 1]!);
      }
      if (entries.length === READ_COUNT) continue;
      // Caught up: if Redis lost the queue meanwhile, no outcome is coming; say so.
      await verify();
      if (follow) continue;
      // Every job added has its outcome, and this reader has read them all.
      const added = Number(await client.call('GET', keys.added)) || 0;
      if (read >= added) return;
    }
  } finally {
    signal?.removeEventListener('abort', stop);
    blocking.disconnect();
  }
}
