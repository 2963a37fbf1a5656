// Issue 15 §2: exceptions nothing in the script can catch, thrown from promise jobs (a
// Symbol.species constructor whose reject or resolve throws). Each must fail its own script
// with ScriptError while every bystander on the same thread returns its value, not re-run.
import { describe, expect, it } from 'vitest';
import { ScriptError, type Isolation } from 'toolweaver';
import { engineFor, rejectionOf } from '../helpers.js';

/** Arms `p` so its next reaction job throws from the capability's reject function. */
const ARM = (p: string, message: string): string =>
  `Object.defineProperty(${p}, 'constructor', { value: { [Symbol.species]: function Evil(executor) { executor(() => {}, () => { throw new Error('${message}'); }); } } });`;

/** [label, culprit script]: each throws from a job the script cannot catch. */
const CULPRITS: ReadonlyArray<readonly [string, string]> = [
  ['the issue 15 script (species on then, while waiting on a tool)', `const p = Promise.reject(new Error('seed')); ${ARM('p', 'thrown from a promise job')} p.then(); await slow_tool(50); return 'done';`],
  ['species on finally', `const p = Promise.reject(new Error('seed')); ${ARM('p', 'thrown from a promise job')} p.finally(); await slow_tool(50); return 'done';`],
  ['a job armed after a tool reply that resumed bystanders in the same message', `await slow_tool(40); const p = Promise.reject(new Error('seed')); ${ARM('p', 'thrown from a promise job')} p.then(); await slow_tool(40); return 'done';`],
  ['a thousand throwing jobs in one turn', `for (let i = 0; i < 1000; i++) { const p = Promise.reject(new Error('seed')); ${ARM('p', 'thrown from a promise job')} p.then(); } await slow_tool(50); return 'done';`],
  ['a job thrown while the script returns', `const p = Promise.reject(new Error('seed')); ${ARM('p', 'thrown from a promise job')} p.then(); return 'done';`],
];

const tools = [{ name: 'slow_tool', handler: (ms: number) => new Promise((resolve) => setTimeout(() => resolve(ms), ms)) }];

/**
 * 20 bystanders: even ones wait on tools (`waitMs` + 0, 10 or 20 ms: at 40 ms their replies
 * share messages with the culprit's), odd ones compute; `expected` is what each returns.
 */
function bystanders(waitMs: number): { scripts: string[]; expected: unknown[] } {
  const wait = (i: number): number => waitMs + (i % 3) * 10;
  return {
    scripts: Array.from({ length: 20 }, (_, i) =>
      i % 2 === 0 ? `const waited = await slow_tool(${wait(i)}); return ['b${i}', waited];` : `let s = 0; for (let k = 0; k < 1000; k++) s += k; return ['b${i}', s];`),
    expected: Array.from({ length: 20 }, (_, i) => [`b${i}`, i % 2 === 0 ? wait(i) : 499_500]),
  };
}
const { scripts: BYSTANDERS, expected: EXPECTED } = bystanders(40);

describe.each<Isolation>(['process', 'in-process'])('claim: a script cannot kill its thread or the host with a stray rejection (throwing promise jobs, %s)', (isolation) => {
  it.each(CULPRITS)('fails only the culprit for %s, with ScriptError; 20 bystanders on its thread return their values, none re-run', async (_label, culprit) => {
    const engine = engineFor(tools, { threads: 1, isolation });
    await engine.execute('return 0;');
    const before = BYSTANDERS.slice(0, 10).map((code) => engine.execute(code));
    const error = rejectionOf(engine.execute(culprit));
    const after = BYSTANDERS.slice(10).map((code) => engine.execute(code));
    const results = await Promise.all([...before, ...after]);
    const thrown = await error;
    expect(thrown).toBeInstanceOf(ScriptError);
    expect(thrown.code).toBe('ERR_SCRIPT');
    expect(results.map((result) => result.value)).toEqual(EXPECTED);
    expect(results.map((result) => result.metadata.reruns)).toEqual(EXPECTED.map(() => 0));
    // The thread lives on.
    expect((await engine.execute('return await slow_tool(1);')).value).toBe(1);
  });

  it('keeps the timeout of a stopped script whose pending call, as it is rejected, throws from a job; its bystanders are not re-run', async () => {
    const engine = engineFor(tools, { threads: 1, isolation });
    await engine.execute('return 0;');
    // Still waiting on their tools when the culprit is stopped at 150 ms.
    const { scripts, expected } = bystanders(400);
    const running = scripts.map((code) => engine.execute(code));
    // The capability is made while the script runs; its reject runs when the stop rejects the
    // pending call, in the macrotask that stops the script.
    const culprit = rejectionOf(engine.execute(`const call = slow_tool(5000); ${ARM('call', 'thrown while stopping')} call.then(); await call;`, { timeoutMs: 150 }));
    expect((await culprit).code).toBe('ERR_EXECUTION_TIMEOUT');
    const results = await Promise.all(running);
    expect(results.map((result) => result.value)).toEqual(expected);
    expect(results.map((result) => result.metadata.reruns)).toEqual(expected.map(() => 0));
    expect((await engine.execute('return await slow_tool(1);')).value).toBe(1);
  });

  it.each([
    ['a thenable whose then throws asynchronously', `const t = { then(resolve) { Promise.resolve().then(() => { throw new Error('late'); }); resolve('ok'); } }; return await t;`, { value: 'ok' }],
    ['an async generator whose finally throws on return', `async function* g() { try { yield 1; } finally { throw new Error('in finally'); } } const it = g(); await it.next(); it.return(5); await slow_tool(5); return 'gen';`, { value: 'gen' }],
    ['an Array species constructor that throws', `const a = [1]; Object.defineProperty(a, 'constructor', { value: { [Symbol.species]: function () { throw new Error('species'); } } }); return a.map((x) => x);`, { code: 'ERR_SCRIPT' }],
    ['a Promise.all over a custom constructor whose resolve throws', `function Evil(executor) { executor(() => { throw new Error('resolve'); }, () => {}); } Evil.resolve = (v) => Promise.resolve(v); Promise.all.call(Evil, [1]); await slow_tool(5); return 'all';`, { value: 'all' }],
    ['a returned value whose getter throws', `return { get x() { throw new Error('getter'); } };`, { code: 'ERR_RESULT_NOT_SERIALIZABLE' }],
    ['a printed value whose getter throws', `print({ get x() { throw new Error('getter'); } }); return 'printed';`, { value: 'printed' }],
    ['no FinalizationRegistry or WeakRef to run a callback outside any script', `return [typeof FinalizationRegistry, typeof WeakRef];`, { value: ['undefined', 'undefined'] }],
  ] as const)('ends %s with its own outcome, and the thread serves the next script', async (_label, code, expected) => {
    const engine = engineFor(tools, { threads: 1, isolation });
    const outcome = engine.execute(code);
    if ('value' in expected) expect((await outcome).value).toEqual(expected.value);
    else expect((await rejectionOf(outcome)).code).toBe(expected.code);
    const next = await engine.execute('return await slow_tool(1);');
    expect(next.value).toBe(1);
    expect(next.metadata.reruns).toBe(0);
  });
});
