// Owns the pool side's one-time warm-up: ICU's segmentation data, loaded once per process by
// the first `Intl.Segmenter`. Runs one macrotask after the threads are created, on the
// thread that created them (idle while they boot), never at import.

let segmenterDataLoaded = false;

/**
 * Loads ICU's segmentation data in this process, once. Every pool thread hardens Intl before
 * its first script, which makes an `Intl.Segmenter` (worker/shared-compartment.ts); the first
 * one in a process loads ICU's break data (12-17 ms of CPU measured, on the first script's
 * path). Loaded here instead, while the threads boot, the threads find it loaded.
 */
export function loadSegmenterData(): void {
  if (segmenterDataLoaded) return;
  segmenterDataLoaded = true;
  new Intl.Segmenter('en').segment('');
}

/** Whether {@link loadSegmenterData} has run in this process (for tests). */
export function isSegmenterDataLoaded(): boolean {
  return segmenterDataLoaded;
}
