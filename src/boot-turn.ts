// Owns the boot turns: the few slots, shared by a pool's threads, that let only so many
// threads at a time load SES and lock down (one fewer than the cores, at least one), so on a
// machine with few cores the first thread to boot is not slowed by the others (a cold start
// waits for one thread, not for all). Never decides anything about lockdown itself: a thread
// locks down whatever the turns say.

import { availableParallelism } from 'node:os';

/** The piscina `workerData` of a pool's threads: where they find the turns. */
export interface BootTurnData {
  readonly bootTurn: SharedArrayBuffer;
}

/**
 * How long a thread waits for a turn at most. A holder gives its turn back once it has
 * locked down (or failed to), and the pool takes it back when the holder ends; this bound
 * only keeps a waiter from waiting for ever if both somehow fail. A thread past it boots
 * beside the holders, as every thread did before turns.
 */
export const BOOT_TURN_WAIT_MS = 1_000;

/** `Atomics.waitAsync` (Node >= 16; typed from ES2024, past this project's lib). */
const waitAsync = (Atomics as unknown as { waitAsync(array: Int32Array, index: number, value: number, timeoutMs: number): { async: boolean; value: Promise<string> | string } }).waitAsync;

// Layout: [0] counts the turns given back (what waiters wait on); [1..] holds each slot's
// holder, a thread id, or 0 when free.

/** Fresh turns (all free) for a new pool: `slots` threads may boot at once. */
export function createBootTurn(slots = Math.max(1, availableParallelism() - 1)): Int32Array {
  return new Int32Array(new SharedArrayBuffer(4 * (1 + slots)));
}

/** The turns in a thread's `workerData`, or undefined for a thread started without them. */
export function bootTurnOf(workerData: unknown): Int32Array | undefined {
  const buffer = (workerData as Partial<BootTurnData> | null | undefined)?.bootTurn;
  return buffer instanceof SharedArrayBuffer && buffer.byteLength >= 8 ? new Int32Array(buffer) : undefined;
}

/** The threads holding a turn now. */
export function bootTurnHolders(turn: Int32Array): number[] {
  const holders: number[] = [];
  for (let slot = 1; slot < turn.length; slot++) {
    const holder = Atomics.load(turn, slot);
    if (holder !== 0) holders.push(holder);
  }
  return holders;
}

/**
 * Resolves once thread `threadId` (never 0) holds a turn, or after `waitMs` without one.
 * Waits without blocking the thread's event loop.
 */
export async function takeBootTurn(turn: Int32Array, threadId: number, waitMs = BOOT_TURN_WAIT_MS): Promise<void> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    // Read before the scan: a turn given back during it changes this, so the wait below returns at once.
    const givenBack = Atomics.load(turn, 0);
    for (let slot = 1; slot < turn.length; slot++) if (Atomics.compareExchange(turn, slot, 0, threadId) === 0) return;
    const left = deadline - Date.now();
    if (left <= 0) return;
    const waited = waitAsync(turn, 0, givenBack, left);
    if (waited.async) await waited.value;
  }
}

/** Gives back the turn `threadId` holds, if any (the holder when done; the pool when it ends). */
export function releaseBootTurn(turn: Int32Array, threadId: number): void {
  for (let slot = 1; slot < turn.length; slot++) {
    if (Atomics.compareExchange(turn, slot, threadId, 0) !== threadId) continue;
    Atomics.add(turn, 0, 1);
    Atomics.notify(turn, 0);
    return;
  }
}

/** Gives back every turn whose holder is no longer a live thread (the pool, when a thread ends). */
export function reclaimBootTurn(turn: Int32Array, isLive: (threadId: number) => boolean): void {
  for (const holder of bootTurnHolders(turn)) if (!isLive(holder)) releaseBootTurn(turn, holder);
}
