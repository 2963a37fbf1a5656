// Delivery semantics with real Redis and real worker processes: 10,000 team-expenses jobs on
// two `toolweaver worker` processes, one of them SIGKILLed mid-run. Every job gets exactly one
// stored outcome with the right value; no report is filed twice; the killed worker's jobs run
// again on the other with the calls they had made answered from their records.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WorkerCrashedError, type BatchOutcome } from 'toolweaver';
import { createJobQueue, type JobQueue } from 'toolweaver/queue';
import { countEffects, expectedValue, job, startWorker, TEAMS, until, type WorkerProcess } from './queue-helpers.js';
import { redisMissing, startRedis, type RedisServer } from './redis-server.js';

const JOBS = 10_000;
const skip = redisMissing();

describe.skipIf(skip !== undefined)('queue delivery across worker processes', () => {
  let redis: RedisServer;
  let effects: string;
  const workers: WorkerProcess[] = [];
  let queue: JobQueue;

  beforeAll(async () => {
    redis = await startRedis();
    effects = mkdtempSync(join(tmpdir(), 'tw-effects-'));
  });

  afterAll(async () => {
    for (const worker of workers) worker.child.kill('SIGKILL');
    await queue?.close();
    await redis?.stop();
    rmSync(effects, { recursive: true, force: true });
  });

  it('gives 10,000 jobs exactly one outcome each when a worker is SIGKILLed mid-run, and files no report twice', async () => {
    const env = { TW_QUEUE_EFFECTS_DIR: effects, TW_QUEUE_LATENCY_MS: '2' };
    const args = ['--lock-duration', '3000'];
    workers.push(await startWorker(redis.url, 'expenses', args, env), await startWorker(redis.url, 'expenses', args, env));
    queue = createJobQueue({ connection: redis.url, name: 'expenses' });
    const queued = await queue.addMany(Array.from({ length: JOBS }, (_, i) => job(i)));
    expect(queued.map((q) => q.index)).toEqual(Array.from({ length: JOBS }, (_, i) => i));

    // Mid-run: both workers busy, a quarter of the jobs done.
    await until(async () => (await queue.progress()).done >= JOBS / 4);
    const [victim] = workers;
    victim!.child.kill('SIGKILL');
    expect(await victim!.exited).toBe('SIGKILL');

    const outcomes: BatchOutcome[] = [];
    for await (const outcome of queue.results()) outcomes.push(outcome);

    expect(outcomes).toHaveLength(JOBS);
    expect(new Set(outcomes.map((o) => o.id)).size).toBe(JOBS);
    expect(new Set(outcomes.map((o) => o.index)).size).toBe(JOBS);
    const filed = countEffects(effects);
    const crashed = outcomes.filter((o) => o.status === 'rejected');
    for (const outcome of outcomes) {
      const team = TEAMS[outcome.index % TEAMS.length]!;
      if (outcome.status === 'fulfilled') {
        expect(outcome.result.value).toEqual(expectedValue(team));
        expect(filed.get(String(outcome.id))).toBe(1);
      } else {
        // A job whose report call was in flight when its worker died: it may have been filed,
        // and it is reported as such, never run past.
        expect(outcome.error).toBeInstanceOf(WorkerCrashedError);
        expect((outcome.error as WorkerCrashedError).sideEffectsPossible).toBe(true);
        expect(filed.get(String(outcome.id)) ?? 0).toBeLessThanOrEqual(1);
      }
    }
    expect(Math.max(...filed.values())).toBe(1);
    // Only jobs the killed worker held can end that way (it held at most its concurrency).
    expect(crashed.length).toBeLessThanOrEqual(256);
    // The killed worker's jobs ran again on the other, their recorded calls replayed.
    const replayed = outcomes.filter((o) => o.status === 'fulfilled' && o.result.metadata.replayedCalls > 0);
    expect(replayed.length).toBeGreaterThan(0);
    const progress = await queue.progress();
    expect(progress).toMatchObject({ done: JOBS, failed: crashed.length, waiting: 0, active: 0 });
  }, 240_000);
});
