// Hostile shapes for the counted checkpoints of claim 7: the script's own counter decides when
// the run's checkpoint is called, so each shape below must still stop itself (the thread-kill
// fallback is out of reach: its grace period is longer than the test's own timeout), in both
// isolations, and no script can reach or reset the counter.
import { describe, expect, it } from 'vitest';
import { ExecutionAbortedError, ExecutionTimeoutError, SecurityValidationError } from 'toolweaver';
import { checkHostHealthAfterEach, createGate, engineFor, rejectionOf } from '../helpers.js';

checkHostHealthAfterEach();

const ISOLATIONS = ['process', 'in-process'] as const;
// No replay: a thread terminated under the bystander would fail it with WorkerCrashedError,
// so a pass can come only from the runaway stopping itself.
const NO_KILL = { threads: 1, killGraceMs: 60_000, replayToolCalls: false } as const;

type TestEngine = ReturnType<typeof engineFor>;

/** An engine whose `hold` tool keeps one bystander script waiting on the runaway's thread. */
function engineWithBystander(isolation: (typeof ISOLATIONS)[number], extra: Parameters<typeof engineFor>[0] = []): { engine: TestEngine; bystander: () => Promise<unknown> } {
  const release = createGate();
  const waiting = createGate();
  const engine = engineFor(
    [
      { name: 'step', handler: (n: unknown) => n },
      { name: 'hold', handler: async () => { waiting.open(); await release.wait(20_000); return 'go'; } },
      ...(Array.isArray(extra) ? extra : []),
    ],
    { ...NO_KILL, isolation },
  );
  const run = engine.execute('const a = await step(1); await hold(); return a + await step(2);', { timeoutMs: 30_000 });
  return {
    engine,
    // Call once the runaway has ended: the bystander, still on its thread, ends normally.
    bystander: async () => {
      expect(await waiting.wait()).toBe(true);
      release.open();
      const result = await run;
      expect(result.metadata.reruns).toBe(0);
      return result.value;
    },
  };
}

/** `code` stops itself with ERR_EXECUTION_TIMEOUT, its bystander ends normally, and the thread serves the next script. */
async function expectStopsAndServes(isolation: (typeof ISOLATIONS)[number], code: string): Promise<void> {
  const { engine, bystander } = engineWithBystander(isolation);
  const error = await rejectionOf(engine.execute(code, { timeoutMs: 200 }));
  expect(error).toBeInstanceOf(ExecutionTimeoutError);
  expect(error.code).toBe('ERR_EXECUTION_TIMEOUT');
  expect(await bystander()).toBe(3);
  expect((await engine.execute('return await step("served")')).value).toBe('served');
}

describe.each(ISOLATIONS)('claim: a runaway script stops itself at its time limit (counted checkpoints, %s)', (isolation) => {
  it.each([
    ['a loop inside nested async functions', 'async function outer() { async function inner() { let s = 0; for (;;) s++; } await inner(); } await outer();'],
    ['loops in several async functions of one script, interleaving', 'const spin = async (k) => { for (;;) { await null; for (let i = 0; i < 1000; i++) k++; } }; await Promise.all([spin(0), spin(1), spin(2)]);'],
    ['recursion without a loop', 'function fib(n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); } return fib(80);'],
    ['an endless generator spread by a builtin', 'function* g() { let i = 0; while (true) yield i++; } return [...g()].length;'],
    ['generators interleaved by hand', 'function* a() { for (;;) yield 1; } function* b() { for (;;) yield 2; } const x = a(), y = b(); let s = 0; for (;;) s += x.next().value + y.next().value;'],
    ['a loop whose every iteration does a large builtin call', 'const big = Array.from({ length: 1e5 }, (_, i) => i); let s = 0; for (;;) s += big.indexOf(-1);'],
  ])('stops %s with ERR_EXECUTION_TIMEOUT, and the thread serves the next script', async (_label, code) => {
    await expectStopsAndServes(isolation, code);
  });

  it('stops two runaways sharing a thread, each at its own limit, with its own counter', async () => {
    const { engine, bystander: held } = engineWithBystander(isolation);
    await engine.execute('return 0');
    const first = rejectionOf(engine.execute('const f = async () => { for (;;) await null; }; await f();', { timeoutMs: 300 }));
    const second = rejectionOf(engine.execute('let n = 0; for (;;) { n++; if (n % 1000 === 0) await null; }', { timeoutMs: 200 }));
    const bystander = engine.execute('let s = 0; for (let i = 0; i < 1000; i++) s += await step(1); return s;', { timeoutMs: 20_000 });
    expect((await first).code).toBe('ERR_EXECUTION_TIMEOUT');
    expect((await second).code).toBe('ERR_EXECUTION_TIMEOUT');
    expect((await bystander).value).toBe(1000);
    expect(await held()).toBe(3);
  });

  it('stops a loop aborted while it spins between tool calls, catching every refusal', async () => {
    const started = createGate();
    const { engine, bystander } = engineWithBystander(isolation, [{ name: 'started', handler: () => void started.open() }]);
    const controller = new AbortController();
    const code = 'await started(); for (;;) { try { await step(1); } catch {} for (let i = 0; i < 1e5; i++); }';
    const run = rejectionOf(engine.execute(code, { timeoutMs: 60_000, signal: controller.signal }));
    expect(await started.wait()).toBe(true);
    controller.abort();
    const error = await run;
    expect(error).toBeInstanceOf(ExecutionAbortedError);
    expect(await bystander()).toBe(3);
    // Its time limit is a minute away and its thread is never terminated: only the stopped
    // checkpoint frees the one thread for this script.
    expect((await engine.execute('return await step("served")')).value).toBe('served');
  });

  it('stops a loop the script left running after it returned', async () => {
    const { engine, bystander } = engineWithBystander(isolation);
    const code = 'const spin = async () => { await step(0); let n = 0; for (;;) n++; }; spin(); return "returned";';
    expect((await engine.execute(code, { timeoutMs: 60_000 })).value).toBe('returned');
    expect(await bystander()).toBe(3);
    expect((await engine.execute('return await step("served")')).value).toBe('served');
  });
});

// Shapes that a counter kept per loop, or checked anywhere but at the head of each body, would
// let spin: a short loop entered afresh millions of times, bodies left by `continue` or a
// caught throw before their end, loops entered from recursion, getters and callbacks.
const LOOP_SHAPES: [label: string, code: string][] = [
  ['nested short loops entered over and over', 'let s = 0; for (;;) { for (let j = 0; j < 2; j++) { for (let k = 0; k < 2; k++) s++; } }'],
  ['labelled loops left by continue before their bodies end', 'let n = 0; outer: for (;;) { inner: for (let j = 0; j < 5; j++) { n++; if (j % 2) continue outer; continue inner; } }'],
  ['a short loop in a recursion, called from a loop', 'function walk(d) { let s = 0; for (let i = 0; i < 3; i++) s += d > 0 ? walk(d - 1) : i; return s; } let t = 0; for (;;) t += walk(4);'],
  ['a loop whose body throws, catches and continues', 'let n = 0; for (;;) { try { n++; JSON.parse("{"); } catch { continue; } }'],
  ['closures capturing the loop variable, the body left by continue', 'const fns = []; for (let i = 0; ; i++) { fns.push(() => i); if (fns.length > 64) { fns.length = 0; continue; } continue; }'],
  ['a short loop in a getter read from a builtin callback', 'const o = { get v() { let s = 0; for (let i = 0; i < 3; i++) s += i; return s; } }; let t = 0; for (;;) t += [1, 2].map(() => o.v).length;'],
];

describe.each(ISOLATIONS)('claim: a runaway script stops itself at its time limit (loop shapes, %s)', (isolation) => {
  it.each(LOOP_SHAPES)('stops %s with ERR_EXECUTION_TIMEOUT, and the thread serves the next script', async (_label, code) => {
    await expectStopsAndServes(isolation, code);
  });

  it('reports the line of an error thrown from checkpointed loops and arrows', async () => {
    const { engine, bystander } = engineWithBystander(isolation);
    const code = 'let s = 0;\nfor (let i = 0; i < 3; i++) { for (const f of [() => i]) s += f(); }\nfor (let i = 0; i < 3; i++) [1].map((x) => { if (i === 2) null.boom(x); });\nreturn s;';
    const error = await rejectionOf(engine.execute(code, { timeoutMs: 20_000 }));
    expect(error.code).toBe('ERR_SCRIPT');
    expect(error).toMatchObject({ errorName: 'TypeError', line: 3 });
    expect(await bystander()).toBe(3);
  });
});

describe('claim: a runaway script stops itself at its time limit (no script reaches the counter)', () => {
  it.each([
    ['resets it', '__tw_n = 1e15; for (;;) {}'],
    ['declares its own', 'var __tw_n = 1e15; for (;;) {}'],
    ['shadows it in a function', 'function f() { let __tw_n = 1e15; for (;;) {} } f();'],
    ['shadows it as a parameter', 'const f = (__tw_n) => { for (;;) {} }; f(1e15);'],
    ['reads it', 'return typeof __tw_n;'],
    ['replaces the checkpoint', 'const __tw_checkpoint = () => 1e15; for (;;) {}'],
    ['reads it in a with block', 'with ({}) { __tw_n = 1e15; }'],
  ])('refuses a script that %s before it runs', async (_label, code) => {
    const engine = engineFor([], NO_KILL);
    const error = await rejectionOf(engine.execute(code, { timeoutMs: 200 }));
    expect(error).toBeInstanceOf(SecurityValidationError);
    expect(error.code).toBe('ERR_SECURITY_VALIDATION');
  });

  it.each([
    ['`arguments`', 'function f() { return Object.keys(arguments).length; } for (let i = 0; i < 1e4; i++) f(1, 2); return [f(), f(1), typeof arguments];'],
    ['`this` at the top and in functions', 'function f() { return this; } return [typeof this, typeof f(), Object.keys({ m() { return this; } }.m())];'],
    ['a getter on a prototype the counter could inherit from', 'try { Object.defineProperty(Object.prototype, "__tw_" + "n", { get() { return 1e15; }, set() {} }); } catch {} for (let i = 0; i < 1e4; i++); return 1;'],
    ['a property named like it', 'const o = {}; o["__tw_" + "n"] = 1e15; for (let i = 0; i < 1e4; i++); return Object.keys(o);'],
  ])('gives the counter nothing to reach through %s', async (_label, code) => {
    const { engine, bystander } = engineWithBystander('process');
    const result = await engine.execute(code, { timeoutMs: 20_000 });
    expect(result.value).toBeDefined();
    // The same engine still stops a runaway: whatever the script did left the next run's
    // counter alone.
    expect((await rejectionOf(engine.execute('for (;;) {}', { timeoutMs: 200 }))).code).toBe('ERR_EXECUTION_TIMEOUT');
    expect(await bystander()).toBe(3);
  });
});
