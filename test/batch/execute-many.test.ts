import { describe, expect, it } from 'vitest';
import { executeMany, type BatchOutcome, type BatchProgress } from '../../src/batch/index.js';
import { InvalidOptionsError } from '../../src/errors.js';
import { countingJobs, createFakeEngine } from './fake-engine.js';

/** Lets every pending promise callback run: an ordering point, not a time window. */
const settleCallbacks = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

async function collect(outcomes: AsyncIterable<BatchOutcome>): Promise<BatchOutcome[]> {
  const all: BatchOutcome[] = [];
  for await (const outcome of outcomes) all.push(outcome);
  return all;
}

describe('executeMany', () => {
  it('yields outcomes in completion order with each job\'s id and index', async () => {
    const engine = createFakeEngine('manual');
    const jobs = [{ code: 'a', id: 'first' }, { code: 'b' }, { code: 'c', id: 7 }];
    const outcomes = executeMany(engine, jobs);
    const first = outcomes.next();
    await settleCallbacks();
    expect(engine.running.map((run) => run.source)).toEqual(['a', 'b', 'c']);
    engine.running[2]!.resolve('C');
    expect((await first).value).toMatchObject({ id: 7, index: 2, status: 'fulfilled', result: { value: 'C' } });
    engine.running[0]!.resolve('A');
    expect((await outcomes.next()).value).toMatchObject({ id: 'first', index: 0, result: { value: 'A' } });
    engine.running[0]!.reject(new Error('B failed'));
    expect((await outcomes.next()).value).toMatchObject({ id: 1, index: 1, status: 'rejected' });
    expect((await outcomes.next()).done).toBe(true);
  });

  it('compiles each distinct code once per batch', async () => {
    const engine = createFakeEngine();
    const jobs = Array.from({ length: 100 }, (_, n) => ({ code: n % 2 === 0 ? 'even' : 'odd', context: { n } }));
    const outcomes = await collect(executeMany(engine, jobs));
    expect(outcomes).toHaveLength(100);
    expect(engine.compiled).toEqual(['even', 'odd']);
  });

  it('gives every job whose code fails to compile a rejected outcome, compiling it once', async () => {
    const engine = createFakeEngine();
    const jobs = [{ code: 'syntax error' }, { code: 'ok', context: { n: 1 } }, { code: 'syntax error' }];
    const outcomes = await collect(executeMany(engine, jobs));
    const byIndex = outcomes.sort((a, b) => a.index - b.index);
    expect(byIndex.map((o) => o.status)).toEqual(['rejected', 'fulfilled', 'rejected']);
    expect(byIndex[0]).toMatchObject({ error: { code: 'ERR_SCRIPT_SYNTAX' } });
    expect(engine.compiled).toEqual(['syntax error', 'ok']);
    expect(engine.started).toBe(1);
  });

  it.each([
    ['not an object', 'return 1', 'jobs[0]'],
    ['null', null, 'jobs[0]'],
    ['code missing', { context: {} }, 'jobs[0].code'],
    ['code not a string', { code: 42 }, 'jobs[0].code'],
    ['id not a string or number', { code: 'ok', id: { name: 'x' } }, 'jobs[0].id'],
    ['unknown field', { code: 'ok', timeout: 5 }, 'jobs[0].timeout'],
  ])('turns a malformed job (%s) into an InvalidOptionsError outcome and keeps going', async (_label, bad, option) => {
    const engine = createFakeEngine();
    const outcomes = await collect(executeMany(engine, [bad, { code: 'ok', context: { n: 2 } }] as never));
    expect(outcomes).toHaveLength(2);
    const rejected = outcomes.find((o) => o.index === 0);
    expect(rejected?.status).toBe('rejected');
    if (rejected?.status !== 'rejected') return;
    expect(rejected.error).toBeInstanceOf(InvalidOptionsError);
    expect((rejected.error as InvalidOptionsError).option).toBe(option);
    expect(outcomes.find((o) => o.index === 1)).toMatchObject({ status: 'fulfilled', result: { value: 2 } });
  });

  it('stops taking jobs while the consumer holds `concurrency` outcomes', async () => {
    const engine = createFakeEngine();
    const jobs = countingJobs(50);
    let lastProgress: BatchProgress | undefined;
    const outcomes = executeMany(engine, jobs, { concurrency: 3, onProgress: (progress) => (lastProgress = progress) });
    await outcomes.next();
    await settleCallbacks();
    expect(lastProgress).toMatchObject({ done: 3, inFlight: 0 });
    expect(jobs.pulled).toBe(3);
    let consumed = 1;
    let mostAhead = 0;
    for await (const _outcome of outcomes) {
      consumed++;
      mostAhead = Math.max(mostAhead, jobs.pulled - consumed);
    }
    expect(consumed).toBe(50);
    expect(mostAhead).toBeLessThanOrEqual(3);
  });

  it('reads an async iterable one job at a time', async () => {
    const engine = createFakeEngine();
    let pending = 0;
    let mostPending = 0;
    const source = {
      n: 0,
      [Symbol.asyncIterator]() {
        return this;
      },
      async next() {
        mostPending = Math.max(mostPending, ++pending);
        await settleCallbacks();
        pending--;
        return this.n < 20 ? { done: false, value: { code: 'ok', context: { n: this.n++ } } } : { done: true, value: undefined };
      },
    };
    const outcomes = await collect(executeMany(engine, source as AsyncIterable<never>, { concurrency: 8 }));
    expect(outcomes.map((o) => o.index).sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i));
    expect(mostPending).toBe(1);
  });

  it('on abort, ends running jobs and gives every job not started an aborted outcome without running it', async () => {
    const engine = createFakeEngine('manual');
    const controller = new AbortController();
    const jobs = countingJobs(10);
    const outcomes = executeMany(engine, jobs, { concurrency: 3, signal: controller.signal });
    const first = outcomes.next();
    await settleCallbacks();
    engine.running[0]!.resolve('done before abort');
    expect((await first).value).toMatchObject({ index: 0, status: 'fulfilled' });
    const second = outcomes.next();
    await settleCallbacks();
    controller.abort(new Error('user pressed stop'));
    const rest = [(await second).value!, ...(await collect(outcomes))];
    expect(rest).toHaveLength(9);
    expect(rest.every((o) => o.status === 'rejected' && o.error.code === 'ERR_EXECUTION_ABORTED')).toBe(true);
    expect(engine.started).toBe(4);
    expect(jobs.pulled).toBe(10);
  });

  it('aborts running jobs and closes the source when the consumer leaves early', async () => {
    const engine = createFakeEngine('manual');
    const jobs = countingJobs(1_000);
    const outcomes = executeMany(engine, jobs, { concurrency: 4 });
    const first = outcomes.next();
    await settleCallbacks();
    engine.running[0]!.resolve(0);
    await first;
    await outcomes.return();
    await settleCallbacks();
    expect(engine.running).toHaveLength(0);
    expect(jobs.closed).toBe(true);
    expect(jobs.pulled).toBe(4);
  });

  it('throws the source\'s error after the outcomes of the jobs it gave', async () => {
    const engine = createFakeEngine();
    const failure = new Error('disk went away');
    async function* jobs() {
      for (let n = 0; n < 3; n++) yield { code: 'ok', context: { n } };
      throw failure;
    }
    const seen: number[] = [];
    const thrown = await (async () => {
      try {
        for await (const outcome of executeMany(engine, jobs())) seen.push(outcome.index);
      } catch (error) {
        return error;
      }
    })();
    expect(thrown).toBe(failure);
    expect(seen.sort()).toEqual([0, 1, 2]);
  });

  it('reports done, failed and in-flight counts after each job settles', async () => {
    const engine = createFakeEngine();
    const progress: BatchProgress[] = [];
    const jobs = Array.from({ length: 6 }, (_, n) => ({ code: n % 3 === 0 ? 'fail' : 'ok', context: { n } }));
    await collect(executeMany(engine, jobs, { onProgress: (p) => progress.push(p) }));
    expect(progress.map((p) => p.done)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(progress.at(-1)).toMatchObject({ done: 6, failed: 2, inFlight: 0 });
    expect(progress.every((p) => p.rate >= 0)).toBe(true);
  });

  it('stops intake and throws the error of an onProgress that throws', async () => {
    const engine = createFakeEngine();
    const failure = new Error('progress bar broke');
    const jobs = countingJobs(100);
    const outcomes = executeMany(engine, jobs, { concurrency: 2, onProgress: () => { throw failure; } });
    await expect(collect(outcomes)).rejects.toBe(failure);
    expect(jobs.pulled).toBeLessThanOrEqual(2);
  });

  it.each([
    ['concurrency 0', [], { concurrency: 0 }, 'concurrency'],
    ['concurrency 1.5', [], { concurrency: 1.5 }, 'concurrency'],
    ['concurrency as a string', [], { concurrency: '4' }, 'concurrency'],
    ['a signal that is not an AbortSignal', [], { signal: {} }, 'signal'],
    ['onProgress not a function', [], { onProgress: 'yes' }, 'onProgress'],
    ['an unknown option', [], { parallel: 3 }, 'parallel'],
    ['options not an object', [], 5, 'options'],
    ['a source that is not iterable', { code: 'x' }, undefined, 'jobs'],
    ['a string source', 'return 1', undefined, 'jobs'],
  ])('throws InvalidOptionsError at the call for %s', (_label, jobs, options, option) => {
    const engine = createFakeEngine();
    let thrown: unknown;
    try {
      executeMany(engine, jobs as never, options as never);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(InvalidOptionsError);
    expect((thrown as InvalidOptionsError).option).toBe(option);
  });
});
