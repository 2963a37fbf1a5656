// toolweaver/queue through its API, with a real Redis and in-process workers on real engines:
// add-time validation, the outcome shape, replay of a handed-back job's record, divergence
// and over-size records, the delivery bound, duplicate deliveries, graceful close.
import { execFileSync } from 'node:child_process';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  createEngine, InvalidOptionsError, ScriptError, SecurityValidationError, ToolCatalog, UnknownToolError, WorkerCrashedError, type BatchOutcome, type Engine, type ToolContext,
} from 'toolweaver';
import { createJobQueue, createQueueWorker, type JobQueue, type QueueWorker } from 'toolweaver/queue';
// @ts-expect-error: a plain JavaScript fixture module without types
import { createQueueCatalog } from '../../fixtures/queue-tools.mjs';
import { expectedValue, job, until } from './queue-helpers.js';
import { redisMissing, startRedis, type RedisServer } from './redis-server.js';

const skip = redisMissing();

/** The fixture catalog with each handler counted, and `hold` able to keep a call waiting. */
function countedCatalog(hold?: (name: string, input: Record<string, unknown>, ctx: ToolContext) => Promise<void> | undefined): { catalog: ToolCatalog; calls: Map<string, number> } {
  const source = createQueueCatalog() as ToolCatalog;
  const calls = new Map<string, number>();
  const catalog = new ToolCatalog();
  for (const tool of source.list()) {
    catalog.register({
      name: tool.name, description: tool.description, input: tool.input, output: tool.output,
      handler: async (input: Record<string, unknown>, ctx: ToolContext) => {
        calls.set(tool.name, (calls.get(tool.name) ?? 0) + 1);
        await hold?.(tool.name, input, ctx);
        // A held call finishes its work even when its execution was aborted meanwhile.
        const signal = new AbortController().signal;
        return tool.handler!(input, { ...ctx, signal, abortSignal: signal });
      },
    } as never);
  }
  return { catalog, calls };
}

describe.skipIf(skip !== undefined)('toolweaver/queue', () => {
  let redis: RedisServer;
  let queueCount = 0;
  const closers: Array<() => Promise<unknown>> = [];
  const cli = (...args: string[]): string => execFileSync('redis-cli', ['-u', redis.url, ...args], { encoding: 'utf8' }).trim();
  const newQueue = (): { name: string; queue: JobQueue } => {
    const name = `q${++queueCount}`;
    const queue = createJobQueue({ connection: redis.url, name });
    closers.push(() => queue.close());
    return { name, queue };
  };
  const newEngine = (catalog: ToolCatalog): Engine => {
    const engine = createEngine({ catalog, threads: 1 });
    closers.push(() => engine.close({ force: true }));
    return engine;
  };
  const newWorker = (name: string, engine: Engine, options: { maxRecordChars?: number; maxDeliveries?: number; concurrency?: number } = {}): QueueWorker => {
    const worker = createQueueWorker({ connection: redis.url, name, engine, lockDurationMs: 5_000, ...options });
    closers.push(() => worker.close({ force: true }));
    return worker;
  };
  const collect = async (queue: JobQueue): Promise<BatchOutcome[]> => {
    const outcomes: BatchOutcome[] = [];
    for await (const outcome of queue.results()) outcomes.push(outcome);
    return outcomes;
  };

  beforeAll(async () => {
    redis = await startRedis();
  });
  afterEach(async () => {
    for (const close of closers.splice(0).reverse()) await close();
  });
  afterAll(async () => {
    await redis?.stop();
  });

  it('refuses an invalid job at add, and nothing enters the queue', async () => {
    const { name, queue } = newQueue();
    await expect(queue.add({ code: 'return eval("1")' })).rejects.toBeInstanceOf(SecurityValidationError);
    await expect(queue.add({ code: 'return (' })).rejects.toMatchObject({ code: 'ERR_SCRIPT_SYNTAX' });
    await expect(queue.addMany([job(0), { code: 'return 1', context: { f: () => 1 } as never }])).rejects.toBeInstanceOf(InvalidOptionsError);
    await expect(queue.add({ code: 'return 1', hostContext: {} })).rejects.toMatchObject({ code: 'ERR_INVALID_OPTIONS', option: 'jobs[0].hostContext' });
    const checked = createJobQueue({ connection: redis.url, name, catalog: createQueueCatalog() });
    closers.push(() => checked.close());
    await expect(checked.add({ code: 'return await get_team_memberz()' })).rejects.toBeInstanceOf(UnknownToolError);
    expect(await queue.progress()).toMatchObject({ done: 0, waiting: 0, active: 0 });
    expect(cli('EXISTS', `bull:${name}:tw:added`)).toBe('0');
    expect(cli('LLEN', `bull:${name}:wait`)).toBe('0');
  });

  it('stores outcomes with the shape and typed errors of executeMany outcomes', async () => {
    const { name, queue } = newQueue();
    const engine = newEngine(countedCatalog().catalog);
    const jobs = [job(0), { code: 'throw new RangeError("no budget")', id: 'boom' }, { code: 'print("hi"); return 7' }];
    const direct = new Map<unknown, BatchOutcome>();
    for await (const outcome of engine.executeMany(jobs)) direct.set(outcome.id, outcome);
    const queued = await queue.addMany(jobs);
    expect(queued.map((q) => q.id)).toEqual(['job-0', 'boom', 2]);
    newWorker(name, engine);
    const outcomes = await collect(queue);
    expect(outcomes).toHaveLength(3);
    for (const outcome of outcomes) {
      const twin = direct.get(outcome.id)!;
      expect(outcome.status).toBe(twin.status);
      if (outcome.status === 'fulfilled' && twin.status === 'fulfilled') {
        expect(outcome.result.value).toEqual(twin.result.value);
        expect(outcome.result.output).toEqual(twin.result.output);
      } else if (outcome.status === 'rejected' && twin.status === 'rejected') {
        expect(outcome.error).toBeInstanceOf(ScriptError);
        expect(outcome.error.code).toBe(twin.error.code);
        expect((outcome.error as ScriptError).errorName).toBe('RangeError');
      }
    }
    expect(outcomes.find((o) => o.id === 'job-0')).toMatchObject({ index: 0, status: 'fulfilled', result: { value: expectedValue('t-eng') } });
  });

  it('results({ remove }) deletes each outcome once the loop moves past it, and the next reader ends on the rest', async () => {
    const { name, queue } = newQueue();
    newWorker(name, newEngine(countedCatalog().catalog));
    await queue.addMany(Array.from({ length: 30 }, (_, i) => job(i, 'rm')));
    await queue.drain();
    expect(cli('XLEN', `bull:${name}:tw:outcomes`)).toBe('30');
    // Ten handled, the eleventh in hand when the loop breaks: that one stays.
    const firstIds: unknown[] = [];
    for await (const outcome of queue.results({ remove: true })) {
      firstIds.push(outcome.id);
      if (firstIds.length === 11) break;
    }
    expect(cli('XLEN', `bull:${name}:tw:outcomes`)).toBe('20');
    const rest = [];
    for await (const outcome of queue.results({ remove: true })) rest.push(outcome);
    expect(rest.map((o) => o.id)).toContain(firstIds[10]);
    expect(new Set([...firstIds.slice(0, 10), ...rest.map((o) => o.id)]).size).toBe(30);
    expect(rest.every((o) => o.status === 'fulfilled')).toBe(true);
    expect(cli('XLEN', `bull:${name}:tw:outcomes`)).toBe('0');
    // Every job has its outcome and none is left: a reader ends at once instead of waiting.
    expect(await collect(queue)).toEqual([]);
    expect(await queue.progress()).toMatchObject({ done: 30, failed: 0 });
    expect(() => queue.results({ remove: 'yes' } as never)).toThrow(InvalidOptionsError);
    expect(() => queue.results({ follw: true } as never)).toThrow(InvalidOptionsError);
  });

  it('re-runs a handed-back job with the calls its first delivery made answered from its record', async () => {
    const { name, queue } = newQueue();
    // Delivery 1: one get_expenses call finishes only when its execution is aborted (the hand-back).
    const first = countedCatalog((tool, input, ctx) => (tool === 'get_expenses' && input.memberId === 'm-03' ? new Promise((resolve) => ctx.signal.addEventListener('abort', () => resolve(), { once: true })) : undefined));
    const workerA = newWorker(name, newEngine(first.catalog));
    await queue.add(job(0));
    await until(() => (first.calls.get('get_expenses') ?? 0) === 6);
    await workerA.close({ force: true });
    expect(first.calls.get('file_expense_report')).toBeUndefined();

    const second = countedCatalog();
    newWorker(name, newEngine(second.catalog));
    const [outcome] = await collect(queue);
    expect(outcome).toMatchObject({ id: 'job-0', status: 'fulfilled', result: { value: expectedValue('t-eng'), metadata: { replayedCalls: 7 } } });
    // Nothing the first delivery called was called again; only the report, once.
    expect([...second.calls]).toEqual([['file_expense_report', 1]]);
  });

  it('ends a re-run that reaches a call whose answer was never recorded with WorkerCrashedError', async () => {
    const { name, queue } = newQueue();
    const first = countedCatalog((tool) => (tool === 'file_expense_report' ? new Promise<void>(() => {}) : undefined));
    const workerA = newWorker(name, newEngine(first.catalog));
    await queue.add(job(1));
    await until(() => first.calls.get('file_expense_report') === 1);
    await workerA.close({ force: true });

    const second = countedCatalog();
    newWorker(name, newEngine(second.catalog));
    const [outcome] = await collect(queue);
    expect(outcome?.status).toBe('rejected');
    const error = (outcome as unknown as { error: WorkerCrashedError }).error;
    expect(error).toBeInstanceOf(WorkerCrashedError);
    expect(error.sideEffectsPossible).toBe(true);
    expect(second.calls.size).toBe(0);
  });

  it('ends a job whose record outgrew maxRecordChars with WorkerCrashedError, without running it again', async () => {
    // The size of the job's record when its report is called, measured on a twin job: the
    // bound below fits every read and its answer, not the report's entry.
    const probe = newQueue();
    const [twin] = await probe.queue.addMany([job(2)]);
    let sizeAtReport = 0;
    const measuring = countedCatalog((tool) => {
      if (tool === 'file_expense_report') sizeAtReport = cli('LRANGE', `bull:${probe.name}:${twin!.jobId}:tw-calls`, '0', '-1').split('\n').reduce((sum, entry) => sum + entry.length, 0);
      return undefined;
    });
    newWorker(probe.name, newEngine(measuring.catalog));
    await collect(probe.queue);
    expect(sizeAtReport).toBeGreaterThan(0);

    const { name, queue } = newQueue();
    const first = countedCatalog((tool) => (tool === 'file_expense_report' ? new Promise<void>(() => {}) : undefined));
    const workerA = newWorker(name, newEngine(first.catalog), { maxRecordChars: sizeAtReport - 'file_expense_report'.length });
    await queue.add(job(2));
    await until(() => first.calls.get('file_expense_report') === 1);
    await workerA.close({ force: true });

    const second = countedCatalog();
    newWorker(name, newEngine(second.catalog));
    const [outcome] = await collect(queue);
    expect(outcome).toMatchObject({ status: 'rejected', error: { code: 'ERR_WORKER_CRASHED', sideEffectsPossible: true } });
    expect(second.calls.size).toBe(0);
  });

  it('gives a job delivered maxDeliveries times a final WorkerCrashedError instead of another run', async () => {
    const { name, queue } = newQueue();
    const [queued] = await queue.addMany([job(3)]);
    // As if two workers had taken it and died before any call.
    cli('HSET', `bull:${name}:${queued!.jobId}`, 'twDeliveries', '2');
    const counted = countedCatalog();
    newWorker(name, newEngine(counted.catalog), { maxDeliveries: 2 });
    const [outcome] = await collect(queue);
    expect(outcome).toMatchObject({ id: 'job-3', status: 'rejected', error: { code: 'ERR_WORKER_CRASHED', sideEffectsPossible: false } });
    expect(counted.calls.size).toBe(0);
  });

  it('stores no second outcome when another delivery stored one while this one ran', async () => {
    const { name, queue } = newQueue();
    const [queued] = await queue.addMany([job(4)]);
    // Another delivery of the job (its worker lost its lock) stores its outcome meanwhile.
    const counted = countedCatalog((tool) => void (tool === 'file_expense_report' && cli('HSET', `bull:${name}:${queued!.jobId}`, 'twDone', '1')));
    newWorker(name, newEngine(counted.catalog));
    await until(() => counted.calls.get('file_expense_report') === 1 && cli('EXISTS', `bull:${name}:${queued!.jobId}`) === '0');
    expect(cli('XLEN', `bull:${name}:tw:outcomes`)).toBe('0');
    expect(cli('GET', `bull:${name}:tw:done`)).toBe('');
  });

  it('lets a delivery that a later one superseded make no further call and store no outcome', async () => {
    const { name, queue } = newQueue();
    const [queued] = await queue.addMany([job(4)]);
    // While it runs, the job is delivered again (its lock expired: a stalled event loop, say).
    const counted = countedCatalog((tool) => void (tool === 'get_team_members' && cli('HINCRBY', `bull:${name}:${queued!.jobId}`, 'twDeliveries', '1')));
    newWorker(name, newEngine(counted.catalog));
    await until(() => cli('EXISTS', `bull:${name}:${queued!.jobId}`) === '0');
    expect([...counted.calls]).toEqual([['get_team_members', 1]]);
    expect(cli('XLEN', `bull:${name}:tw:outcomes`)).toBe('0');
  });

  it('runs nothing for a delivery of a job that already has an outcome', async () => {
    const { name, queue } = newQueue();
    const [queued] = await queue.addMany([job(4)]);
    // A duplicate delivery: its outcome was stored, the job not yet removed.
    cli('HSET', `bull:${name}:${queued!.jobId}`, 'twDone', '1');
    const counted = countedCatalog();
    const engine = newEngine(counted.catalog);
    let started = 0;
    engine.on('execution:start', () => started++);
    newWorker(name, engine);
    await until(() => cli('LLEN', `bull:${name}:wait`) === '0' && cli('LLEN', `bull:${name}:active`) === '0');
    expect(cli('XLEN', `bull:${name}:tw:outcomes`)).toBe('0');
    expect(started).toBe(0);
    expect(counted.calls.size).toBe(0);
  });

  it('runs a handler only once its call is in the job record', async () => {
    const { name, queue } = newQueue();
    const [queued] = await queue.addMany([job(4)]);
    const record = `bull:${name}:${queued!.jobId}:tw-calls`;
    const seen: string[][] = [];
    const counted = countedCatalog((tool) => {
      // Writes to Redis stall for a while: a handler that did not wait for its entry runs now.
      if (tool === 'get_team_members') cli('CLIENT', 'PAUSE', '500', 'WRITE');
      if (tool === 'get_expenses') seen.push(cli('LRANGE', record, '0', '-1').split('\n'));
      return undefined;
    });
    newWorker(name, newEngine(counted.catalog));
    const [outcome] = await collect(queue);
    expect(outcome?.status).toBe('fulfilled');
    expect(seen).toHaveLength(2);
    for (const entries of seen) expect(entries.filter((entry) => entry.includes('"get_expenses"')).length).toBeGreaterThanOrEqual(1);
  });

  it('finishes active jobs on close() and leaves no job stalled', async () => {
    const { name, queue } = newQueue();
    const counted = countedCatalog((tool) => (tool === 'get_expenses' ? new Promise((resolve) => setTimeout(resolve, 100)) : undefined));
    const worker = newWorker(name, newEngine(counted.catalog), { concurrency: 4 });
    await queue.addMany(Array.from({ length: 12 }, (_, i) => job(i, 'graceful')));
    await until(() => worker.running === 4);
    await worker.close();
    const progress = await queue.progress();
    expect(progress.active).toBe(0);
    expect(progress.done).toBeGreaterThanOrEqual(4);
    expect(progress.done + progress.waiting).toBe(12);
    expect(cli('SCARD', `bull:${name}:stalled`)).toBe('0');
    // The rest runs on the next worker, each job once, nothing replayed.
    newWorker(name, newEngine(countedCatalog().catalog));
    const outcomes = await collect(queue);
    expect(outcomes.map((o) => o.status)).toEqual(Array(12).fill('fulfilled'));
    expect(outcomes.every((o) => o.status === 'fulfilled' && o.result.metadata.replayedCalls === 0)).toBe(true);
  });
});
