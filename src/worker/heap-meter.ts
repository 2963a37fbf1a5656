// Owns the thread's heap check behind `memoryLimitMb`: a run that grows the heap by a large
// share of the limit within one stretch of its own (from the moment the thread switched to
// it until another script runs; its own tool calls and the replies it parses stay in the
// stretch) while the heap is past the limit is stopped at its checkpoint, before V8 reaches
// the thread's hard limit (set a few times higher) and, for some shapes, aborts the whole
// process. Never blames a run for what another allocated.

/** How the meter reads and collects the heap; injectable for tests. */
export interface HeapMeterOptions {
  /** Bytes of JS heap in use on this thread (v8.getHeapStatistics().used_heap_size). */
  readUsedBytes: () => number;
  /** A full garbage collection, so garbage is not mistaken for growth. */
  collect: () => void;
}

/** What a checkpoint learns from a heap reading. */
export type HeapVerdict = 'ok' | 'growing' | 'stop';

/** The heap meter of one worker thread, shared by every run on it. */
export interface HeapMeter {
  /** Sets the limit; runs are judged against the latest one. */
  configure(limitBytes: number): void;
  /** The thread is about to run `slot`'s code: a new stretch starts, measured from here. */
  enter(slot: number): void;
  /** A checkpoint of `slot` reads the heap; `stop` when this run must stop for memory. */
  check(slot: number): HeapVerdict;
}

/**
 * Growth between two readings past which a loop reads the heap at every checkpoint: a
 * structure that grows by doubling gets close to the limit in few steps, so its growth must
 * be noticed while the readings are still close together (string doubling that keeps its
 * copies outran a 1 MB threshold).
 */
export const FAST_GROWTH_BYTES = 1 << 16;
/** Share of the limit a run must have grown the heap by, within its stretch, to be stopped. */
export const BLAME_SHARE = 0.5;
/** After a collection that stopped no one, a stretch grows by this share of the limit before the next. */
export const RECOLLECT_SHARE = 0.25;

/** Creates the meter of this thread; it judges nothing until `configure` sets a limit. */
export function createHeapMeter(options: HeapMeterOptions): HeapMeter {
  let limit = Number.POSITIVE_INFINITY;
  let current = 0;
  // The lowest heap reading of the current stretch, from the moment it began. A reply message
  // is deserialized before the thread switches to its script, so a reply that starts a
  // stretch is no one's growth (the value the script parses from it, and keeps, is its own).
  // It follows the heap down, so garbage other runs left (a run stopped for memory leaves
  // hundreds of MB) stops counting against this stretch once it is collected.
  let stretchStart = options.readUsedBytes();
  let lastUsed = stretchStart;
  let nextCollectAt = 0;
  // Heap reading past which the thread collects whatever the stretch grew: V8 may leave that
  // garbage uncollected for a long time on a large heap, and while it sits in the stretch's
  // first reading the next bomb on the thread has to grow past it as well to be stopped
  // (issue 15: it ran to its time limit instead). Raised after each collection, so a heap
  // that stays past the limit costs one collection per RECOLLECT_SHARE of growth.
  let staleCheckAt = 0;

  const enter = (slot: number): void => {
    current = slot;
    stretchStart = lastUsed = options.readUsedBytes();
    nextCollectAt = 0;
  };

  const collect = (): void => {
    options.collect();
    lastUsed = options.readUsedBytes();
    stretchStart = Math.min(stretchStart, lastUsed);
    staleCheckAt = lastUsed + limit * RECOLLECT_SHARE;
  };

  // Past the limit, and this stretch grew the heap by a large share of it: collect, so only
  // memory still held counts. Garbage of other runs collected here only lowers the figure.
  // A stretch whose growth was garbage collects again only once it has grown by
  // RECOLLECT_SHARE since, so churning through garbage costs one collection per that much.
  const overgrown = (used: number): boolean => {
    if (used <= limit) return false;
    const suspect = used - stretchStart >= limit * BLAME_SHARE && used >= nextCollectAt;
    if (!suspect && used < staleCheckAt) return false;
    collect();
    if (lastUsed > limit && lastUsed - stretchStart >= limit * BLAME_SHARE) return true;
    if (suspect) nextCollectAt = lastUsed + limit * RECOLLECT_SHARE;
    return false;
  };

  return {
    configure(limitBytes) {
      limit = limitBytes;
    },
    enter(slot) {
      if (slot !== current) enter(slot);
    },
    check(slot) {
      if (slot !== current) enter(slot);
      const used = options.readUsedBytes();
      const grown = used - lastUsed;
      lastUsed = used;
      if (used < stretchStart) stretchStart = used;
      if (overgrown(used)) return 'stop';
      return grown > FAST_GROWTH_BYTES ? 'growing' : 'ok';
    },
  };
}
