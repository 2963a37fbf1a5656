// Redis going away under a running queue, with a real worker process. With persistence
// (append-only file, fsync per write), Redis killed and restarted on the same port: the
// worker reconnects and no outcome is lost. Without persistence, what is promised: the
// producer reports the loss (QueueDataLostError) instead of waiting forever, nothing the
// lost jobs did is done twice, and the worker serves the jobs added after the restart.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { QueueDataLostError, WorkerCrashedError, type BatchOutcome } from 'toolweaver';
import { createJobQueue, type JobQueue } from 'toolweaver/queue';
import { countEffects, expectedValue, job, startWorker, TEAMS, until, type WorkerProcess } from './queue-helpers.js';
import { redisMissing, startRedis, type RedisServer } from './redis-server.js';

const skip = redisMissing();
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe.skipIf(skip !== undefined)('a queue across a Redis restart', () => {
  let redis: RedisServer | undefined;
  let worker: WorkerProcess | undefined;
  const queues: JobQueue[] = [];
  let effects: string;

  afterEach(async () => {
    worker?.child.kill('SIGKILL');
    for (const queue of queues.splice(0)) await queue.close();
    await redis?.stop();
    rmSync(effects, { recursive: true, force: true });
  });

  async function start(persistent: boolean): Promise<JobQueue> {
    redis = await startRedis({ persistent });
    effects = mkdtempSync(join(tmpdir(), 'tw-effects-'));
    worker = await startWorker(redis.url, 'restart', ['--lock-duration', '10000'], { TW_QUEUE_EFFECTS_DIR: effects, TW_QUEUE_LATENCY_MS: '5' });
    const queue = createJobQueue({ connection: redis.url, name: 'restart' });
    queues.push(queue);
    return queue;
  }

  async function crashAndRestart(): Promise<void> {
    await redis!.kill();
    await sleep(500);
    await redis!.restart();
  }

  it('loses no outcome when Redis with persistence is killed and restarted mid-run', async () => {
    const queue = await start(true);
    const jobs = 1_000;
    await queue.addMany(Array.from({ length: jobs }, (_, i) => job(i)));
    await until(async () => (await queue.progress()).done >= 200);
    await crashAndRestart();

    const outcomes: BatchOutcome[] = [];
    for await (const outcome of queue.results()) outcomes.push(outcome);
    expect(outcomes).toHaveLength(jobs);
    expect(new Set(outcomes.map((o) => o.id)).size).toBe(jobs);
    const filed = countEffects(effects);
    for (const outcome of outcomes) {
      if (outcome.status === 'fulfilled') {
        expect(outcome.result.value).toEqual(expectedValue(TEAMS[outcome.index % TEAMS.length]!));
        expect(filed.get(String(outcome.id))).toBe(1);
      } else {
        expect(outcome.error).toBeInstanceOf(WorkerCrashedError);
        expect((outcome.error as WorkerCrashedError).sideEffectsPossible).toBe(true);
      }
    }
    expect(Math.max(...filed.values())).toBe(1);
    expect(worker!.child.exitCode).toBeNull();
  }, 120_000);

  it('reports the loss when Redis without persistence restarts empty, repeats nothing, and serves new jobs', async () => {
    const queue = await start(false);
    await queue.addMany(Array.from({ length: 500 }, (_, i) => job(i, 'lost')));
    await until(async () => (await queue.progress()).done >= 50);
    await crashAndRestart();
    await expect(queue.drain()).rejects.toBeInstanceOf(QueueDataLostError);

    // The worker reconnected: jobs added now each get one outcome.
    const fresh = createJobQueue({ connection: redis!.url, name: 'restart' });
    queues.push(fresh);
    await fresh.addMany(Array.from({ length: 50 }, (_, i) => job(i, 'after')));
    const outcomes: BatchOutcome[] = [];
    for await (const outcome of fresh.results()) outcomes.push(outcome);
    expect(outcomes.map((o) => o.status)).toEqual(Array(50).fill('fulfilled'));
    expect(new Set(outcomes.map((o) => o.id)).size).toBe(50);
    // A lost job is not run again, and a lost job in flight made no call after the loss twice.
    await sleep(500);
    const filed = countEffects(effects);
    expect(Math.max(...filed.values())).toBe(1);
    for (let i = 0; i < 50; i++) expect(filed.get(`after-${i}`)).toBe(1);
  }, 120_000);
});
