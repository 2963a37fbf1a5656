import { describe, expect, it } from 'vitest';
import { MemoryLimitError } from 'toolweaver';
import { createGate, engineFor, poolProcesses, rejectionOf } from '../helpers.js';

// Loops that grow the heap without bound, including those that abort a whole Node process
// from a worker once they reach its heap limit (push, object keys, Map; nodejs/node#47224).
const GROWING_LOOPS = [
  ['growing arrays of objects', 'const a = []; while (true) a.push(Array.from({ length: 1000 }, (_, i) => ({ i })));'],
  ['growing strings', 'const a = []; let i = 0; while (true) a.push("x".repeat(1000) + i++);'],
  ['a push loop of 2e8 items', 'const a = []; for (let i = 0; i < 2e8; i++) a.push(i);'],
  ['o["k" + i] = i in an endless loop', 'const o = {}; for (let i = 0; ; i++) o["k" + i] = i;'],
  ['Map growth in an endless loop', 'const m = new Map(); for (let i = 0; ; i++) m.set(i, i);'],
  ['string doubling, keeping each copy', 'let s = "xxxxxxxxxxxxxxxx"; const keep = []; for (;;) { s = s + s; keep.push(s.slice(1)); }'],
] as const;

describe('claim: a script that exhausts its memory fails alone', () => {
  it.each(GROWING_LOOPS)('stops %s with MemoryLimitError while a neighbour waiting on a tool returns its value', async (_label, bomb) => {
    const entered = createGate();
    const release = createGate();
    const engine = engineFor([{ name: 'wait_here', handler: async () => { entered.open(); await release.wait(20_000); return 'kept'; } }], { threads: 1, memoryLimitMb: 64 });
    await engine.execute('return 0');
    const [pool] = poolProcesses();
    const waiting = engine.execute('return await wait_here();');
    expect(await entered.wait()).toBe(true);
    const error = await rejectionOf(engine.execute(bomb));
    expect(error).toBeInstanceOf(MemoryLimitError);
    expect(error.code).toBe('ERR_MEMORY_LIMIT');
    expect(error.limitMb).toBe(64);
    release.open();
    // Stopped at its checkpoint: the thread, its neighbour and the pool process live on.
    expect((await waiting).value).toBe('kept');
    expect(poolProcesses()).toEqual([pool]);
    expect((await engine.execute('return "still serving"')).value).toBe('still serving');
  });

  it('ends a script that catches the memory stop and then waits on a tool, with MemoryLimitError', async () => {
    const engine = engineFor([{ name: 'wait_forever', handler: () => new Promise(() => {}) }], { threads: 1, memoryLimitMb: 64 });
    const code = 'const m = new Map(); try { for (let i = 0; ; i++) m.set(i, i); } catch {} await wait_forever();';
    const error = await rejectionOf(engine.execute(code, { timeoutMs: 60_000 }));
    expect(error).toBeInstanceOf(MemoryLimitError);
    expect((await engine.execute('return "still serving"')).value).toBe('still serving');
  });

  it('does not stop a script that churns through garbage past the limit between two tool calls, beside one holding memory', async () => {
    const engine = engineFor([{ name: 'step', handler: (n: unknown) => n }], { threads: 1, memoryLimitMb: 64 });
    const holder = engine.execute('const keep = Array.from({ length: 300000 }, (_, k) => ({ k })); await step(0); return keep.length;');
    // About 4 MB per batch, 50 batches between two tool calls: 200 MB of garbage in one stretch.
    const churner = engine.execute('let made = 0; for (let r = 0; r < 4; r++) { for (let b = 0; b < 50; b++) { const tmp = Array.from({ length: 100000 }, (_, k) => ({ k })); made += tmp.length; } await step(r); } return made;');
    const [held, made] = await Promise.all([holder, churner]);
    expect(held.value).toBe(300_000);
    expect(made.value).toBe(20_000_000);
  });

  // Without a heap meter (an in-process pool in a host without --expose-gc), the thread's own
  // heap limit ends the thread, and the culprit slot names the script.
  it.skipIf(typeof (globalThis as { gc?: unknown }).gc === 'function')('fails a growing loop with MemoryLimitError through the thread limit when no meter runs, and re-runs its neighbour', async () => {
    const entered = createGate();
    const release = createGate();
    let waits = 0;
    const engine = engineFor([{ name: 'wait_here', handler: async () => { waits++; entered.open(); await release.wait(); return 'late'; } }], { threads: 1, memoryLimitMb: 64, isolation: 'in-process' });
    await engine.execute('return 0');
    const waiting = engine.execute('return await wait_here();');
    expect(await entered.wait()).toBe(true);
    const error = await rejectionOf(engine.execute(GROWING_LOOPS[0][1]));
    expect(error).toBeInstanceOf(MemoryLimitError);
    release.open();
    // Re-run on the new thread, its call answered from the journal.
    expect((await waiting).value).toBe('late');
    expect(waits).toBe(1);
    expect((await engine.execute('return "still serving"')).value).toBe('still serving');
  });
});
