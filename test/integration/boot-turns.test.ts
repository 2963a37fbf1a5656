// Boot turns (src/boot-turn.ts): a pool's threads load SES and lock down one at a time. Every
// thread, the ones that waited for their turn included, locks down before its first script,
// and the pool still serves as many scripts at once as it has threads.
import { describe, expect, it } from 'vitest';
import { engineFor } from '../helpers.js';

const THREADS = 3;

/** A tool that answers once `count` calls are in: only `count` scripts running at once reach it. */
function barrier(count: number) {
  let arrived = 0;
  let release!: () => void;
  const all = new Promise<void>((resolve) => (release = resolve));
  return {
    name: 'barrier',
    description: 'Waits for every script.',
    inputSchema: { type: 'object', properties: {} },
    handler: async () => {
      if (++arrived === count) release();
      const met = await Promise.race([all.then(() => true), new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 10_000).unref())]);
      return { met };
    },
  } as const;
}

describe.each(['process', 'in-process'] as const)('boot turns (isolation %s)', (isolation) => {
  it('runs a script on every thread at once, each thread locked down before it', async () => {
    // One script per thread: the three can only meet at the barrier on three threads.
    const engine = engineFor([barrier(THREADS)], { threads: THREADS, scriptsPerThread: 1, isolation, timeoutMs: 20_000 });
    const script = `const { met } = await barrier({});
      return { met, frozen: [Object, Array.prototype, Promise, Math].every((it) => Object.isFrozen(it)) };`;
    const results = await Promise.all(Array.from({ length: THREADS }, () => engine.execute(script)));
    for (const result of results) expect(result.value).toEqual({ met: true, frozen: true });
  }, 60_000);
});
