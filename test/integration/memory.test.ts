import { describe, expect, it } from 'vitest';
import { MemoryLimitError, WorkerCrashedError } from 'toolweaver';
import { createGate, engineFor, rejectionOf } from '../helpers.js';

// Only shapes that end in ERR_WORKER_OUT_OF_MEMORY belong here: the shapes that abort the
// whole process (huge single arrays, dictionary growth) would take the test runner with them.
describe('claim: a script that exhausts its thread memory fails alone', () => {
  it.each([
    ['growing arrays of objects', 'const a = []; while (true) a.push(Array.from({ length: 1000 }, (_, i) => ({ i })));'],
    ['growing strings', 'const a = []; let i = 0; while (true) a.push("x".repeat(1000) + i++);'],
  ])('fails %s with MemoryLimitError, reports or re-runs its neighbours, and keeps serving', async (_label, bomb) => {
    const entered = createGate();
    const engine = engineFor([{ name: 'wait_here', handler: () => { entered.open(); return new Promise(() => {}); } }], { threads: 1, memoryLimitMb: 64 });
    await engine.execute('return 0');
    const waiting = rejectionOf(engine.execute('await wait_here();'));
    expect(await entered.wait()).toBe(true);
    const bomber = rejectionOf(engine.execute(bomb));
    const queued = engine.execute('return "after the bomb"');
    const error = await bomber;
    expect(error).toBeInstanceOf(MemoryLimitError);
    expect(error.code).toBe('ERR_MEMORY_LIMIT');
    expect(error.limitMb).toBe(64);
    const neighbour = await waiting;
    expect(neighbour).toBeInstanceOf(WorkerCrashedError);
    expect(neighbour.sideEffectsPossible).toBe(true);
    expect((await queued).value).toBe('after the bomb');
    expect((await engine.execute('return "still serving"')).value).toBe('still serving');
  });
});
