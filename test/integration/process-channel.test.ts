// Through the public API with the pool in its child process (the default): what crosses the
// framed channel (src/pool/frames.ts) arrives exactly, in both directions, at sizes that span
// many reads, and many scripts' replies interleaved on one channel each reach their script.
import { describe, expect, it } from 'vitest';
import { checkHostHealthAfterEach, engineFor } from '../helpers.js';

checkHostHealthAfterEach();

/** Every character class JSON escapes or UTF-8 encodes in more than one byte. */
const TRICKY = 'quote " backslash \\ slash / tab \t nl \n cr \r nul \u0000 del \u007f é ∑ 😀 \u2028 \u2029 lone \ud800 end';

describe('the data channel to the pool process', () => {
  it('carries a result and an argument of megabytes, full of escapes and multi-byte characters, unchanged', async () => {
    const big = TRICKY.repeat(40_000);
    let received: unknown;
    const engine = engineFor([
      { name: 'fetch_text', handler: () => ({ text: big, list: [big.slice(0, 1000), { nested: TRICKY }] }) },
      { name: 'store', handler: (value: unknown) => { received = value; return 'stored'; } },
    ], { isolation: 'process', maxResultChars: 20_000_000, maxArgumentChars: 20_000_000, maxValueChars: 20_000_000 });
    // The result goes to the thread, an argument made from it comes back, and so does the value.
    const result = await engine.execute('const r = await fetch_text(); const s = await store({ text: r.text + "!", n: r.list[1].nested }); return { r, s };');
    expect(result.value).toEqual({ r: { text: big, list: [big.slice(0, 1000), { nested: TRICKY }] }, s: 'stored' });
    expect(received).toEqual({ text: `${big}!`, n: TRICKY });
  });

  it('hands each of many concurrent scripts its own replies, in call order', async () => {
    const engine = engineFor([
      { name: 'echo', handler: async ({ id, i }: { id: number; i: number }) => { await new Promise((resolve) => setTimeout(resolve, (id * 7 + i) % 5)); return { id, i, pad: TRICKY.repeat(20) }; } },
    ], { isolation: 'process', scriptsPerThread: 32 });
    const runs = Array.from({ length: 64 }, (_, id) => engine.execute(`
      const first = await Promise.all(Array.from({ length: 20 }, (_, i) => echo({ id: ${id}, i })));
      const second = [];
      for (let i = 20; i < 25; i++) second.push(await echo({ id: ${id}, i }));
      return [...first, ...second].map((r) => [r.id, r.i, r.pad.length]);
    `));
    const values = (await Promise.all(runs)).map((result) => result.value);
    values.forEach((value, id) => expect(value).toEqual(Array.from({ length: 25 }, (_, i) => [id, i, TRICKY.length * 20])));
  });
});
