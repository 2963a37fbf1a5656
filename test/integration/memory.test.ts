import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { MemoryLimitError, WorkerCrashedError } from 'toolweaver';
import { createGate, engineFor, rejectionOf } from '../helpers.js';

/** The pool processes forked by this test process. */
function poolProcesses(): number[] {
  const out = execFileSync('ps', ['-o', 'pid=,args=', '--ppid', String(process.pid)], { encoding: 'utf8' });
  return out.split('\n').filter((line) => line.includes('pool-process.js')).map((line) => Number.parseInt(line.trim(), 10));
}

// Loops that grow the heap without bound, including the three that abort a whole Node process
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

  it('does not stop scripts that only churn through garbage, many times the limit in all', async () => {
    const engine = engineFor([{ name: 'step', handler: (n: unknown) => n }], { threads: 1, memoryLimitMb: 64 });
    // Each builds and drops about 8 MB per round: 40 rounds is 5x the limit per script.
    const churn = (i: number) => `let kept = 0; for (let r = 0; r < 40; r++) { const tmp = Array.from({ length: 100000 }, (_, k) => ({ k })); kept += tmp.length; await step(r); } return kept + ${i};`;
    const results = await Promise.all(Array.from({ length: 4 }, (_, i) => engine.execute(churn(i))));
    expect(results.map((result) => result.value)).toEqual([4_000_000, 4_000_001, 4_000_002, 4_000_003]);
  });

  // Without a heap meter (an in-process pool in a host without --expose-gc), the thread's own
  // heap limit ends the thread, and the culprit slot names the script.
  it('fails a growing loop with MemoryLimitError through the thread limit when no meter runs, and reports its neighbour', async () => {
    const entered = createGate();
    const engine = engineFor([{ name: 'wait_here', handler: () => { entered.open(); return new Promise(() => {}); } }], { threads: 1, memoryLimitMb: 64, isolation: 'in-process' });
    await engine.execute('return 0');
    const waiting = rejectionOf(engine.execute('await wait_here();'));
    expect(await entered.wait()).toBe(true);
    const error = await rejectionOf(engine.execute(GROWING_LOOPS[0][1]));
    expect(error).toBeInstanceOf(MemoryLimitError);
    const neighbour = await waiting;
    expect(neighbour).toBeInstanceOf(WorkerCrashedError);
    expect(neighbour.sideEffectsPossible).toBe(true);
    expect((await engine.execute('return "still serving"')).value).toBe('still serving');
  });
});
