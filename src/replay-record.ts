// Owns the internal channel by which a caller inside this package (the queue worker) hands
// `execute` a record of calls made by earlier runs on other hosts, and a sink for new ones.
// Not public API: a symbol key that options checking (Object.keys) does not see.

import type { JournalSink, RecordedCall } from './dispatch/index.js';
import type { ExecuteOptions } from './options.js';

/** The key under which execute options carry a ReplayRecord. */
export const REPLAY_RECORD: unique symbol = Symbol('toolweaver.replayRecord');

/** Calls of earlier runs of one job, answered from it; new calls are told to `sink`. */
export interface ReplayRecord {
  readonly calls: readonly RecordedCall[];
  readonly sink: JournalSink;
}

/** Execute options that carry a ReplayRecord. */
export type RecordedExecuteOptions = ExecuteOptions & { [REPLAY_RECORD]?: ReplayRecord };

/** The record passed with `options`, if any. */
export function replayRecordOf(options: ExecuteOptions | undefined): ReplayRecord | undefined {
  return (options as RecordedExecuteOptions | undefined)?.[REPLAY_RECORD];
}
