import { describe, expect, it } from 'vitest';
import { ExecutionTimeoutError, WorkerCrashedError } from 'toolweaver';
import { createGate, engineFor, rejectionOf, UNSTOPPABLE_RUNAWAY } from '../helpers.js';

describe('time limits', () => {
  it('stops a tight loop while another script on the same engine completes correctly', async () => {
    const engine = engineFor([{ name: 'double', input: { type: 'object', properties: { n: { type: 'number' } } }, handler: ({ n }: { n: number }) => n * 2 }], { threads: 2, killGraceMs: 200 });
    // Both threads up and idle first: piscina then places the next two scripts on different
    // threads (an idle thread always wins). Sharing a thread with a runaway is issue #4.
    await Promise.all([engine.execute('return 0'), engine.execute('return 0')]);
    const runaway = engine.execute('while (true) {}', { timeoutMs: 300 });
    const good = engine.execute('let sum = 0; for (let i = 1; i <= 5; i++) sum += await double(i); return sum;');
    expect((await good).value).toBe(30);
    const error = await rejectionOf(runaway);
    expect(error).toBeInstanceOf(ExecutionTimeoutError);
    expect(error.code).toBe('ERR_EXECUTION_TIMEOUT');
    // The pool is back to full strength and keeps serving.
    const after = await Promise.all([1, 2, 3, 4].map((n) => engine.execute(`return await double(${n});`)));
    expect(after.map((result) => result.value)).toEqual([2, 4, 6, 8]);
  });

  it('stops a script spinning on `await null`', async () => {
    const engine = engineFor([], { killGraceMs: 200 });
    const error = await rejectionOf(engine.execute('while (true) await null;', { timeoutMs: 200 }));
    expect(error.code).toBe('ERR_EXECUTION_TIMEOUT');
    expect((await engine.execute('return 1')).value).toBe(1);
  });

  it('stops a script waiting on a tool that never answers and aborts the handler signal', async () => {
    let signal: AbortSignal | undefined;
    const engine = engineFor([{ name: 'hang', handler: (_: unknown, ctx: { signal: AbortSignal }) => { signal = ctx.signal; return new Promise(() => {}); } }]);
    // Threads started first: the 200 ms are the script's, not the pool's start-up.
    await engine.execute('return 0');
    const error = await rejectionOf(engine.execute('print("before"); await hang();', { timeoutMs: 200 }));
    expect(error.code).toBe('ERR_EXECUTION_TIMEOUT');
    expect(error.timeoutMs).toBe(200);
    expect(error.output).toEqual(['before']);
    expect(signal?.aborted).toBe(true);
  });

  it('with replayToolCalls off, reports scripts that shared a killed thread as WorkerCrashedError with side effects possible', async () => {
    const called = createGate();
    const engine = engineFor([{ name: 'slow_write', handler: async () => { called.open(); await new Promise(() => {}); } }], { threads: 1, killGraceMs: 200, replayToolCalls: false });
    const bystander = engine.execute('await slow_write(); return "never";');
    expect(await called.wait()).toBe(true);
    // Stuck in one builtin call: only the thread-kill fallback can stop it.
    const runaway = engine.execute(UNSTOPPABLE_RUNAWAY, { timeoutMs: 200 });
    expect((await rejectionOf(runaway)).code).toBe('ERR_EXECUTION_TIMEOUT');
    const error = await rejectionOf(bystander);
    expect(error).toBeInstanceOf(WorkerCrashedError);
    expect(error.code).toBe('ERR_WORKER_CRASHED');
    expect(error.sideEffectsPossible).toBe(true);
    expect((await engine.execute('return "alive"')).value).toBe('alive');
  });
});
