// Owns the batch progress bar (cli-progress) on a terminal: done/total, failed, rate, ETA and
// an aborted state, in one line that fits the terminal's width (re-measured at each redraw).
// On anything that is not a terminal it draws nothing at all, so logs and pipes stay clean.

import { SingleBar, type Params } from 'cli-progress';
import type { BatchProgress } from '../batch/index.js';

/** What the batch command drives; a no-op where there is no terminal. */
export interface ProgressDisplay {
  update(progress: BatchProgress): void;
  /** Shows that the batch was interrupted; the rest of the jobs are being written as aborted. */
  abort(): void;
  /** Draws the last state and ends the line. */
  stop(): void;
}

interface Payload {
  failed: number;
  rate: number;
  aborted: boolean;
}

const MIN_BAR = 10;
const FILLED = '\u2588';
const EMPTY = '\u2591';

function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '?';
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

/** The text after the bar: counts, rate, then the ETA or the aborted state. */
function describe(done: number, total: number | undefined, payload: Payload): string {
  const counts = `${done}/${total ?? '?'} done | ${payload.failed} failed | ${payload.rate.toFixed(0)} jobs/s`;
  if (payload.aborted) return `${counts} | ABORTED`;
  if (total === undefined) return counts;
  const eta = done >= total ? 0 : payload.rate > 0 ? (total - done) / payload.rate : Infinity;
  return `${counts} | ETA ${formatDuration(eta)}`;
}

/**
 * One line at most `width - 1` characters wide (the last column would wrap on some terminals):
 * the bar takes what the text leaves, and is dropped below MIN_BAR; the text is cut last.
 */
export function formatProgressLine(width: number, done: number, total: number | undefined, payload: Payload): string {
  const text = describe(done, total, payload);
  const room = Math.max(1, width - 1);
  const barWidth = room - text.length - 1;
  if (total === undefined || barWidth < MIN_BAR) return text.slice(0, room);
  const filled = total === 0 ? barWidth : Math.min(barWidth, Math.floor((done / total) * barWidth));
  return `${FILLED.repeat(filled)}${EMPTY.repeat(barWidth - filled)} ${text}`;
}

/** A progress bar on `stream` for `total` jobs (undefined: not known ahead), or undefined off a terminal. */
export function createProgressBar(stream: NodeJS.WriteStream, total: number | undefined): ProgressDisplay | undefined {
  if (stream.isTTY !== true) return undefined;
  const format = (_options: unknown, params: Params, payload: Payload): string =>
    formatProgressLine(params.maxWidth, params.value, total, payload);
  // No terminal modes are changed (cursor, autowrap): nothing is left to restore if the process
  // is killed. The line already fits; `linewrap: true` only keeps the library's clipping.
  const bar = new SingleBar({ stream, format, hideCursor: false, gracefulExit: false, linewrap: true });
  bar.start(total ?? 0, 0, { failed: 0, rate: 0, aborted: false } satisfies Payload);
  return {
    update: (progress) => bar.update(progress.done, { failed: progress.failed, rate: progress.rate }),
    abort: () => bar.update({ aborted: true }),
    stop: () => bar.stop(),
  };
}
