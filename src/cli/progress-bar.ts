// Owns the batch progress bar (cli-progress) on a terminal: done/total, failed, rate and ETA.
// On anything that is not a terminal it draws nothing at all, so logs and pipes stay clean.

import { Presets, SingleBar } from 'cli-progress';
import type { BatchProgress } from '../batch/index.js';

/** What the batch command drives; a no-op where there is no terminal. */
export interface ProgressDisplay {
  update(progress: BatchProgress): void;
  stop(): void;
}

const FORMAT = '{bar} {value}/{total} done | {failed} failed | {rate} jobs/s | ETA {eta_formatted}';

/** A progress bar on `stream` for `total` jobs, or undefined when `stream` is not a terminal. */
export function createProgressBar(stream: NodeJS.WriteStream, total: number): ProgressDisplay | undefined {
  if (stream.isTTY !== true) return undefined;
  const bar = new SingleBar({ stream, format: FORMAT, hideCursor: true, etaBuffer: 200 }, Presets.shades_classic);
  bar.start(total, 0, { failed: 0, rate: '0' });
  return {
    update: (progress) => bar.update(progress.done, { failed: progress.failed, rate: progress.rate.toFixed(0) }),
    stop: () => bar.stop(),
  };
}
