// Claim 10 under sequences: a memory stop leaves nothing behind that lets the next bomb on
// the same thread grow unchecked (issue 15: after one stop, the next ran to its time limit).
import { afterEach, describe, expect, it } from 'vitest';
import type { Engine } from 'toolweaver';
import { engineFor, poolProcesses, rejectionOf } from '../helpers.js';

const SHAPES = {
  'a push loop': 'const a = []; for (let i = 0; i < 2e8; i++) a.push(i); return a.length;',
  'object keys': 'const o = {}; for (let i = 0; ; i++) o["k" + i] = i;',
  'Map growth': 'const m = new Map(); for (let i = 0; ; i++) m.set(i, i);',
  'arrays of objects': 'const a = []; while (true) a.push(Array.from({ length: 1000 }, (_, i) => ({ i })));',
} as const;
type Shape = keyof typeof SHAPES;

/** A walk over the shapes in which every shape follows every other one at least once. */
function everyOrderedPair(shapes: readonly Shape[]): Shape[] {
  const unused = new Set(shapes.flatMap((a) => shapes.filter((b) => b !== a).map((b) => `${a}>${b}`)));
  const walk: Shape[] = [shapes[0]!];
  while (unused.size > 0) {
    const from = walk[walk.length - 1]!;
    const next = shapes.find((to) => unused.has(`${from}>${to}`)) ?? shapes.find((to) => to !== from && [...unused].some((pair) => pair.startsWith(`${to}>`)))!;
    unused.delete(`${from}>${next}`);
    walk.push(next);
  }
  return walk;
}

let engine: Engine | undefined;
afterEach(async () => {
  await engine?.close({ force: true });
  engine = undefined;
});

describe('claim: a script that exhausts its memory fails alone', () => {
  it('stops every bomb shape after every other on one thread with MemoryLimitError, never by its time limit', async () => {
    engine = engineFor([], { threads: 1, memoryLimitMb: 48 });
    await engine.execute('return 0');
    const [pool] = poolProcesses();
    const walk = everyOrderedPair(Object.keys(SHAPES) as Shape[]);
    expect(walk.length).toBeGreaterThanOrEqual(13);
    const codes: string[] = [];
    for (const shape of walk) {
      // The time limit is the bound: a bomb the meter missed would run into it.
      const error = await rejectionOf(engine.execute(SHAPES[shape], { timeoutMs: 20_000 }));
      codes.push(`${shape}: ${error.code}`);
    }
    expect(codes).toEqual(walk.map((shape) => `${shape}: ERR_MEMORY_LIMIT`));
    // Every one stopped at its checkpoint: the pool process never died.
    expect(poolProcesses()).toEqual([pool]);
    expect((await engine.execute('return 1 + 1')).value).toBe(2);
  }, 300_000);
});
