// Entry of every pool worker (piscina's filename). Waits for this thread's boot turn (one
// thread of a pool loads SES at a time, see boot-turn.ts), loads SES (ses-loader.ts), then
// imports the boot (the port, lockdown) and exports its piscina handler. Imports nothing heavy
// itself: what it imports is loaded before the turn. No script runs before boot.ts has locked
// down: piscina sends tasks only once this module, and so the boot, has finished evaluating.

import { threadId, workerData } from 'node:worker_threads';
import { bootTurnOf, releaseBootTurn, takeBootTurn } from '../boot-turn.js';
import type { RunOutcome, RunTask } from '../protocol.js';
import { loadSes } from './ses-loader.js';

const turn = bootTurnOf(workerData);
if (turn !== undefined) await takeBootTurn(turn, threadId);
let boot: typeof import('./boot.js');
let ses: ReturnType<typeof loadSes>;
try {
  ses = loadSes();
  boot = await import('./boot.js');
} finally {
  if (turn !== undefined) releaseBootTurn(turn, threadId);
}
// Once per Node version and flag set (the cache is then used): a few ms, here so that even a
// process that ends right after its first script leaves a cache for the next one.
if (ses.cache !== 'used') ses.saveCache();

/** The piscina handler: runs one script to a plain-data outcome. */
const run: (task: RunTask) => Promise<RunOutcome> = boot.default;
export default run;
