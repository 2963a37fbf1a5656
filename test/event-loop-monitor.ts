// Measures how long the host event loop went unserved while a test ran: the standard
// `monitorEventLoopDelay` histogram, and beside it a sampler that tells the delay the host
// caused (its thread running code, or blocked in a synchronous call) from the delay the
// machine caused (the thread ready to run but waiting for a CPU that other processes held).
import { readFileSync } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';

// Both timers fire every RESOLUTION_MS; the histogram records the interval between firings,
// so an idle loop reads RESOLUTION_MS (measured: min 10.1 ms). A delay is the interval minus it.
const RESOLUTION_MS = 10;

/**
 * What one test did to the host event loop, in milliseconds. The histogram records nothing
 * before its timer first fires, so it misses a stall that starts with the test (a test that
 * submits 2,000 scripts at once); the sampler counts from the start.
 */
export interface LoopDelays {
  /** Largest delay `monitorEventLoopDelay` saw (0 when the test ended within one resolution). */
  maxDelayMs: number;
  /**
   * Largest delay of one sampler interval with the time the main thread spent waiting on the
   * run queue taken out: what the host itself held the loop for, whatever the machine's load.
   */
  maxHostDelayMs: number;
  /** The run-queue wait of the sampler's interval with the largest delay. */
  worstRunQueueMs: number;
  /** When the stretch the host held longest began, in ms since the monitor started. */
  worstHeldAtMs: number;
}

/** Nanoseconds the calling thread has run, and has waited runnable for a CPU (Linux). */
function readSchedstat(): { running: number; waiting: number } | undefined {
  try {
    const [running, waiting] = readFileSync('/proc/thread-self/schedstat', 'utf8').split(' ').map(Number);
    return { running: running!, waiting: waiting! };
  } catch {
    return undefined;
  }
}

/** Starts measuring the calling thread's event loop; `stop` ends it and returns the delays. */
export function startLoopMonitor(): { stop: () => LoopDelays } {
  const histogram = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
  histogram.enable();
  let maxHostDelayMs = 0;
  let maxSampledMs = 0;
  let worstRunQueueMs = 0;
  let worstHeldAtMs = 0;
  const started = performance.now();
  let last = started;
  let lastSchedstat = readSchedstat();
  const sample = (): void => {
    const now = performance.now();
    const schedstat = readSchedstat();
    const delayMs = Math.max(0, now - last - RESOLUTION_MS);
    // Without schedstat (not Linux), all of the delay counts as the host's.
    const waitedMs = schedstat && lastSchedstat ? (schedstat.waiting - lastSchedstat.waiting) / 1e6 : 0;
    if (delayMs - waitedMs > maxHostDelayMs) [maxHostDelayMs, worstHeldAtMs] = [delayMs - waitedMs, last - started];
    if (delayMs > maxSampledMs) [maxSampledMs, worstRunQueueMs] = [delayMs, waitedMs];
    last = now;
    lastSchedstat = schedstat;
  };
  const sampler = setInterval(sample, RESOLUTION_MS);
  sampler.unref();
  return {
    stop() {
      // The stretch since the last firing counts too: a stall just before the end.
      sample();
      clearInterval(sampler);
      histogram.disable();
      const maxDelayMs = histogram.count === 0 ? 0 : Math.max(0, histogram.max / 1e6 - RESOLUTION_MS);
      return { maxDelayMs, maxHostDelayMs, worstRunQueueMs, worstHeldAtMs };
    },
  };
}
