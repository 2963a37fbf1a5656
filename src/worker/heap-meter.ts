// Owns the thread's heap accounting behind `memoryLimitMb`: heap growth is charged to the run
// that was executing when it happened, and once the thread's heap passes the limit the run
// that grew it most is stopped at its next checkpoint, before V8 reaches the thread's hard
// limit (set a few times higher) and, for some shapes, aborts the whole process.
// Never stops a run that did not itself grow the heap by a large share of the limit.

/** How the meter reads and collects the heap; injectable for tests. */
export interface HeapMeterOptions {
  /** Bytes of JS heap in use on this thread (v8.getHeapStatistics().used_heap_size). */
  readUsedBytes: () => number;
  /** A full garbage collection, so garbage is not mistaken for growth. */
  collect: () => void;
}

/** What a checkpoint learns from a heap reading. */
export type HeapVerdict = 'ok' | 'growing' | 'stop';

export interface HeapMeter {
  /** Sets the limit; runs are judged against the latest one. */
  configure(limitBytes: number): void;
  /** Opens the account of a run; `onBlamed` stops it (called at most once). */
  open(slot: number, onBlamed: () => void): void;
  close(slot: number): void;
  /** The thread is about to run `slot`: growth since the last reading goes to the run before. */
  enter(slot: number): void;
  /** A checkpoint of `slot` reads the heap: charges it, and judges the thread once over the limit. */
  check(slot: number): HeapVerdict;
}

/**
 * Growth between two readings past which a loop reads the heap at every checkpoint: a
 * structure that grows by doubling gets close to the limit in few steps, so its growth must
 * be noticed while the readings are still close together (string doubling that keeps its
 * copies outran a 1 MB threshold).
 */
export const FAST_GROWTH_BYTES = 1 << 16;
/** Share of the limit a run must have grown the heap by itself before it can be blamed. */
export const BLAME_SHARE = 0.5;
/** After a collection that blamed no one, the heap must grow by this share of the limit before the next. */
const RECOLLECT_SHARE = 0.25;

interface Account {
  charge: number;
  onBlamed: () => void;
}

export function createHeapMeter(options: HeapMeterOptions): HeapMeter {
  const accounts = new Map<number, Account>();
  let limit = Number.POSITIVE_INFINITY;
  let current = 0;
  let lastUsed = options.readUsedBytes();
  // A blamed run still unwinding: its memory is not free yet, so no one else is judged.
  let blamed: number | undefined;
  let nextCollectAt = 0;
  // A blamed run has closed: its memory is freed at the next collection, not anyone's credit.
  let rebaseline = false;

  // Charges the growth since the last reading to the current run; returns the reading.
  const charge = (): { used: number; grown: number } => {
    if (rebaseline) {
      rebaseline = false;
      options.collect();
      lastUsed = options.readUsedBytes();
      return { used: lastUsed, grown: 0 };
    }
    const used = options.readUsedBytes();
    const grown = used - lastUsed;
    lastUsed = used;
    const account = accounts.get(current);
    if (account !== undefined) account.charge = Math.max(0, account.charge + grown);
    return { used, grown };
  };

  // The heap is over the limit: collect first, so only memory still held counts.
  const judge = (): number | undefined => {
    if (blamed !== undefined || lastUsed < nextCollectAt) return undefined;
    options.collect();
    // What the collection freed is credited to the run under suspicion: generous to it.
    charge();
    nextCollectAt = lastUsed + limit * RECOLLECT_SHARE;
    if (lastUsed <= limit) return undefined;
    // No run can be holding more than the whole heap (garbage freed earlier was charged).
    for (const account of accounts.values()) account.charge = Math.min(account.charge, lastUsed);
    let culprit: number | undefined;
    let most = limit * BLAME_SHARE;
    for (const [slot, account] of accounts) {
      if (account.charge >= most) [culprit, most] = [slot, account.charge];
    }
    if (culprit === undefined) return undefined;
    for (const account of accounts.values()) account.charge = 0;
    blamed = culprit;
    accounts.get(culprit)!.onBlamed();
    return culprit;
  };

  return {
    configure(limitBytes) {
      limit = limitBytes;
    },
    open(slot, onBlamed) {
      accounts.set(slot, { charge: 0, onBlamed });
    },
    close(slot) {
      if (current === slot) charge();
      accounts.delete(slot);
      if (blamed === slot) [blamed, nextCollectAt, rebaseline] = [undefined, 0, true];
      if (current === slot) current = 0;
    },
    enter(slot) {
      if (slot === current) return;
      charge();
      current = slot;
    },
    check(slot) {
      if (slot !== current) this.enter(slot);
      const { used, grown } = charge();
      if (used > limit && judge() === slot) return 'stop';
      return grown > FAST_GROWTH_BYTES ? 'growing' : 'ok';
    },
  };
}
