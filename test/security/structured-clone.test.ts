// Hostile values handed to the sandbox's structuredClone: each ends fast with its own
// outcome, and the next script on the same thread runs at once.
import { describe, expect, it } from 'vitest';
import type { Isolation } from 'toolweaver';
import { engineFor, rejectionOf } from '../helpers.js';

const SPARSE = 'const a = []; a[2 ** 32 - 2] = 1;';
const CAUGHT = (body: string): string => `try { ${body} return 'cloned'; } catch (error) { return error.name; }`;

/** [label, script, expected: a value, or an error code]. */
const HOSTILE: ReadonlyArray<readonly [string, string, { value: unknown } | { code: string }]> = [
  ['a huge sparse array', `${SPARSE} ${CAUGHT('structuredClone(a);')}`, { value: 'RangeError' }],
  ['a huge sparse array deep inside', `${SPARSE} ${CAUGHT('structuredClone({ rows: [1, { cells: a }] });')}`, { value: 'RangeError' }],
  ['a getter that returns a huge sparse array', `${CAUGHT(`structuredClone({ get rows() { ${SPARSE} return a; } });`)}`, { value: 'RangeError' }],
  ['a huge sparse array in a Map and a Set', `${SPARSE} ${CAUGHT('structuredClone(new Map([[1, new Set([a])]]));')}`, { value: 'RangeError' }],
  ['a getter that throws', `try { structuredClone({ get x() { throw new Error('from getter'); } }); } catch (error) { return error.message; }`, { value: 'from getter' }],
  ['a Proxy whose traps would throw', `let trapped = 0; const p = new Proxy({}, { ownKeys() { trapped++; throw new Error('trap'); }, get() { trapped++; return 1; }, getPrototypeOf() { trapped++; throw 1; } }); try { structuredClone([p]); } catch (error) { return [error.name, trapped]; }`, { value: ['TypeError', 0] }],
  ['a function', CAUGHT('structuredClone({ run: () => 1 });'), { value: 'TypeError' }],
  ['a tool function', CAUGHT('structuredClone([echo]);'), { value: 'TypeError' }],
  ['a symbol', CAUGHT('structuredClone({ s: Symbol("s") });'), { value: 'TypeError' }],
  ['deep nesting', 'let v = []; for (let i = 0; i < 100000; i++) v = [v]; let c = structuredClone(v); let depth = 0; while (c.length > 0) { c = c[0]; depth++; } return depth;', { value: 100_000 }],
  ['cycles through objects, arrays, Maps and Sets', 'const o = { list: [] }; o.list.push(o); const m = new Map([[o, new Set([o])]]); o.m = m; const c = structuredClone(o); return [c.list[0] === c, c.m.get(c).has(c), c !== o];', { value: [true, true, true] }],
  ['a very wide object', 'const o = {}; for (let i = 0; i < 50000; i++) o["k" + i] = i; return Object.keys(structuredClone(o)).length;', { value: 50_000 }],
  ['a Map grown by getters while it is copied, past its time limit', 'const m = new Map(); let k = 0; const grow = () => ({ get x() { m.set(k++, grow()); return 1; } }); m.set(k++, grow()); structuredClone(m); return "done";', { code: 'ERR_EXECUTION_TIMEOUT' }],
  ['the prototype of a clone, polluted through "__proto__"', 'const c = structuredClone(JSON.parse(\'{"__proto__": {"polluted": 1}}\')); return [({}).polluted === undefined, Object.keys(c)];', { value: [true, ['__proto__']] }],
];

const tools = [
  { name: 'echo', handler: ({ value }: { value: unknown }) => value },
  { name: 'slow_tool', handler: (ms: number) => new Promise((resolve) => setTimeout(() => resolve(ms), ms)) },
];

describe.each<Isolation>(['process', 'in-process'])('claim: one script cannot jam its thread or the engine (structuredClone, %s)', (isolation) => {
  it.each(HOSTILE)('ends %s with its own outcome, and the next script on that thread runs at once', async (_label, code, expected) => {
    const engine = engineFor(tools, { threads: 1, isolation });
    await engine.execute('return 0;');
    const outcome = engine.execute(code, { timeoutMs: 2_000 });
    if ('value' in expected) expect((await outcome).value).toEqual(expected.value);
    else expect((await rejectionOf(outcome)).code).toBe(expected.code);
    // A time limit of one second: the thread was not left copying anything.
    expect((await engine.execute('return 1 + 1;', { timeoutMs: 1_000 })).value).toBe(2);
  });

  it('stops a clone at its time limit through the checkpoint: a bystander waiting on a tool is not re-run', async () => {
    const engine = engineFor(tools, { threads: 1, isolation, killGraceMs: 100 });
    await engine.execute('return 0;');
    const bystander = engine.execute('return await slow_tool(1500);');
    // 2 ** 25 slots to walk: seconds of work, each slot past the checkpoint.
    const started = performance.now();
    const error = await rejectionOf(engine.execute('const a = []; a[2 ** 25 - 1] = 1; structuredClone(a); return "copied";', { timeoutMs: 300 }));
    expect(error.code).toBe('ERR_EXECUTION_TIMEOUT');
    expect(performance.now() - started).toBeLessThan(1_500);
    const waited = await bystander;
    expect(waited.value).toBe(1500);
    // Killing the thread instead would have re-run it.
    expect(waited.metadata.reruns).toBe(0);
    expect((await engine.execute('return 1 + 1;', { timeoutMs: 1_000 })).value).toBe(2);
  });
});
