// While every thread of a pool missed a ping, new scripts wait in the engine's queue instead
// of landing on a thread that may be terminated: both pool kinds report the pause, and
// resume when a thread is replaced. (In the process pool, the pool process relays it.)
import { describe, expect, it } from 'vitest';
import { createScriptPool } from '../../dist/pool/script-pool.js';
import { createProcessPool } from '../../dist/pool/process-pool.js';
import type { ScriptPool, StuckThread } from '../../dist/pool/types.js';
import { OPTIONS, taskFor, until } from './process-pool-harness.js';

// One regexp call backtracking for hours: the thread stays silent until it is terminated.
const STUCK = '(async () => { /(a+)+$/.test("a".repeat(40) + "b"); })()';

describe('claim: a runaway script is stopped and the engine keeps serving (placement pause)', () => {
  it.each([
    ['in-process', createScriptPool],
    ['process', createProcessPool],
  ] as const)('%s pool: pauses placement while its only thread is silent, and resumes when it is replaced', async (_label, create) => {
    const pool: ScriptPool = create({ ...OPTIONS, scriptsPerThread: 4 }, () => {});
    try {
      let resumes = 0;
      pool.onPlacementResumed(() => resumes++);
      expect((await pool.run(taskFor(1))).ok).toBe(true);
      const lost = pool.run(taskFor(2, STUCK)).then(() => 'settled', () => 'lost');
      let stuck: StuckThread[] = [];
      while (stuck.length === 0) stuck = await pool.findUnresponsiveThreads(100);
      expect(pool.placementPaused).toBe(true);
      const resumesBefore = resumes;
      await pool.terminateThread(stuck[0]!.threadId);
      expect(await lost).toBe('lost');
      await until(() => !pool.placementPaused && resumes > resumesBefore);
      expect((await pool.run(taskFor(3))).ok).toBe(true);
    } finally {
      await pool.destroy();
    }
  }, 30_000);
});
