// The chaos run: one engine, 2,000 scripts at once, about 90% benign with known values,
// every memory-bomb shape, and the pool process killed mid-run.
import { describe, expect, it } from 'vitest';
import { createEngine } from 'toolweaver';
// @ts-expect-error: plain-JS fixtures shared with the bench.
import { CHAOS_ENGINE_OPTIONS, checkChaosOutcome, checkChaosTallies, createChaosCatalog, createChaosJobs, runChaos } from '../../fixtures/chaos.mjs';
import { checkHostHealthAfterEach, killPoolProcesses } from '../helpers.js';

// KNOWN FAILURE (issue 15, host health): runChaos submits all 2,000 scripts in one tick, and
// execute() validates each on the caller's stack, so the host holds its loop for the whole
// burst: 235 ms of main-thread CPU measured for 1,999 executes in a fresh process, 369-736 ms
// in this test under load, starting 0 ms into it. Fix: chunk validation in the engine, or
// submit in chunks in fixtures/chaos.mjs.
checkHostHealthAfterEach();

describe('claim: every script gets exactly one outcome and the host survives hostile neighbours', () => {
  it('settles 2,000 concurrent scripts, hostile ones included, each with its right value or code, every tool call run once', async () => {
    const tallies = new Map<string, number>();
    const engine = createEngine({ catalog: createChaosCatalog(tallies), ...CHAOS_ENGINE_OPTIONS });
    try {
      const jobs = createChaosJobs({ total: 2000 });
      let killed = 0;
      const outcomes: Array<Record<string, unknown>> = await runChaos(engine, jobs, { crash: () => (killed = killPoolProcesses()) });
      expect(killed).toBe(1);
      expect(outcomes).toHaveLength(2000);
      const problems = outcomes.map((outcome, index) => checkChaosOutcome(jobs[index], outcome)).filter((problem) => problem !== undefined);
      expect(problems).toEqual([]);
      // Every side-effecting call ran once, re-runs included.
      expect(checkChaosTallies(jobs, tallies)).toEqual([]);
      const benign = jobs.filter((job: { kind: string }) => job.kind === 'benign').length;
      expect(benign).toBeGreaterThanOrEqual(1800);
      // The engine still serves after the chaos.
      expect((await engine.execute('return await add(1, 2)')).value).toBe(3);
    } finally {
      await engine.close({ force: true });
    }
  }, 120_000);
});
