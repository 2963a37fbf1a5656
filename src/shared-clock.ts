// Owns the one clock the host and every pool thread read alike: the system's monotonic clock.
// `performance.timeOrigin` is wall time taken when each process starts, so a deadline built
// on it would move by any wall-clock step between the host's start and the pool process's.

/** Milliseconds on the system-wide monotonic clock (CLOCK_MONOTONIC; the same in every process). */
export function sharedNowMs(): number {
  const [seconds, nanoseconds] = process.hrtime();
  return seconds * 1e3 + nanoseconds / 1e6;
}
