// Hostile runaways for the checkpoint claim: each must stop itself at its time limit, with
// its thread (and every script sharing it) left alive. The thread-kill fallback is kept out
// of reach: its grace period (60 s) is longer than the test's own timeout.
import { describe, expect, it } from 'vitest';
import { ExecutionTimeoutError } from 'toolweaver';
import { checkHostHealthAfterEach, createGate, engineFor, rejectionOf } from '../helpers.js';

checkHostHealthAfterEach();

const BYSTANDERS = 20;
const NO_KILL = { threads: 1, killGraceMs: 60_000 } as const;

describe('claim: a runaway script stops itself at its time limit; scripts sharing its thread are unaffected', () => {
  it.each([
    ['a tight loop', 'while (true) {}'],
    ['an await null loop', 'for (;;) await null;'],
    ['deep recursion caught in a loop', 'const f = () => f(); for (;;) { try { f(); } catch {} }'],
    ['a loop that swallows the stop in an inner try', 'for (;;) { try { for (;;) {} } catch {} }'],
    ['a loop that swallows the stop with finally + continue', 'for (;;) { try { while (true) {} } finally { continue; } }'],
    ['a script that catches the stop and returns a value', 'try { for (;;) {} } catch { return "escaped"; }'],
    ['a script that catches the stop and throws its own error', 'try { for (;;) {} } catch { throw new Error("mine"); }'],
    ['exponential recursion without a loop', 'const f = () => { try { f(); } catch { f(); } }; f();'],
    ['a generator consumed forever', 'function* g() { for (;;) yield 1; } for (const x of g()) {}'],
    ['a getter that recurses forever behind a catch', 'const o = { get x() { try { return o.x; } catch { return o.x; } } }; o.x;'],
    ['a promise chain that never ends', 'const spin = () => Promise.resolve().then(spin); spin(); await new Promise(() => {});'],
    ['builtin callbacks that never end', '[1, 2, 3].map(() => { while (true) {} });'],
    ['a CPU loop past its limit', 'let s = 0; for (let i = 0; i < 1e12; i++) s += i % 7; return s;'],
  ])('stops %s while 20 bystanders on its thread keep calling tools', async (_label, code) => {
    const release = createGate();
    const allWaiting = createGate();
    let waiting = 0;
    const engine = engineFor(
      [
        { name: 'step', handler: (n: unknown) => n },
        { name: 'hold', handler: async () => { if (++waiting === BYSTANDERS) allWaiting.open(); await release.wait(20_000); return 'go'; } },
      ],
      NO_KILL,
    );
    // Every bystander has called a tool and is waiting on another when the runaway starts:
    // before checkpoints, terminating the thread failed all of them with WorkerCrashedError.
    const bystanders = Array.from({ length: BYSTANDERS }, (_, i) =>
      engine.execute(`const a = await step(${i}); await hold(); return a + await step(${i * 10});`, { timeoutMs: 20_000 }),
    );
    expect(await allWaiting.wait()).toBe(true);
    const error = await rejectionOf(engine.execute(code, { timeoutMs: 200 }));
    expect(error).toBeInstanceOf(ExecutionTimeoutError);
    expect(error.code).toBe('ERR_EXECUTION_TIMEOUT');
    release.open();
    const values = (await Promise.all(bystanders)).map((result) => result.value);
    expect(values).toEqual(Array.from({ length: BYSTANDERS }, (_, i) => i * 11));
    // The same thread serves the next script.
    expect((await engine.execute('return await step("served")')).value).toBe('served');
  });

  it('stops a runaway whose neighbours keep arriving on its thread while it spins', async () => {
    const engine = engineFor([{ name: 'step', handler: (n: unknown) => n }], NO_KILL);
    await engine.execute('return 0');
    const runaway = rejectionOf(engine.execute('let n = 0; while (true) n++;', { timeoutMs: 200 }));
    const late = Array.from({ length: BYSTANDERS }, (_, i) => engine.execute(`return await step(${i});`));
    expect((await runaway).code).toBe('ERR_EXECUTION_TIMEOUT');
    expect((await Promise.all(late)).map((result) => result.value)).toEqual(Array.from({ length: BYSTANDERS }, (_, i) => i));
  });
});
