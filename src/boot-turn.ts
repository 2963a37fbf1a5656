// Owns the boot turn: the one lock, shared by a pool's threads, that lets one thread at a time
// load SES and lock down, so on a machine with few cores the first thread to boot is not slowed
// by the others (a cold start waits for one thread, not for all). Never decides anything about
// lockdown itself: a thread locks down whatever the turn says.

/** The piscina `workerData` of a pool's threads: where they find the turn. */
export interface BootTurnData {
  readonly bootTurn: SharedArrayBuffer;
}

/**
 * How long a thread waits for its turn at most. The holder gives the turn back once it has
 * locked down (or failed to), and the pool takes it back when the holder ends; this bound
 * only keeps a waiter from waiting for ever if both somehow fail. A thread past it boots
 * beside the holder, as every thread did before turns.
 */
export const BOOT_TURN_WAIT_MS = 1_000;

/** `Atomics.waitAsync` (Node >= 16; typed from ES2024, past this project's lib). */
const waitAsync = (Atomics as unknown as { waitAsync(array: Int32Array, index: number, value: number, timeoutMs: number): { async: boolean; value: Promise<string> | string } }).waitAsync;

/** A fresh turn (free) for a new pool. */
export function createBootTurn(): Int32Array {
  return new Int32Array(new SharedArrayBuffer(4));
}

/** The turn in a thread's `workerData`, or undefined for a thread started without one. */
export function bootTurnOf(workerData: unknown): Int32Array | undefined {
  const buffer = (workerData as Partial<BootTurnData> | null | undefined)?.bootTurn;
  return buffer instanceof SharedArrayBuffer ? new Int32Array(buffer) : undefined;
}

/**
 * Resolves once thread `threadId` (never 0) holds the turn, or after `waitMs` without it.
 * Waits without blocking the thread's event loop.
 */
export async function takeBootTurn(turn: Int32Array, threadId: number, waitMs = BOOT_TURN_WAIT_MS): Promise<void> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    const holder = Atomics.compareExchange(turn, 0, 0, threadId);
    if (holder === 0) return;
    const left = deadline - Date.now();
    if (left <= 0) return;
    const waited = waitAsync(turn, 0, holder, left);
    if (waited.async) await waited.value;
  }
}

/** Gives the turn back if `threadId` holds it (the holder when done; the pool when it ends). */
export function releaseBootTurn(turn: Int32Array, threadId: number): void {
  if (Atomics.compareExchange(turn, 0, threadId, 0) === threadId) Atomics.notify(turn, 0);
}

/** Gives the turn back if its holder is no longer a live thread (the pool, when a thread ends). */
export function reclaimBootTurn(turn: Int32Array, isLive: (threadId: number) => boolean): void {
  const holder = Atomics.load(turn, 0);
  if (holder !== 0 && !isLive(holder)) releaseBootTurn(turn, holder);
}
