// Issue 13 W1: the global object of a pool thread's one Compartment, inspected from the thread
// itself after real runs (the built worker entry, its lockdown and its run handler): frozen,
// the same names before and after, none of any script's, and nothing reachable from it mutable.
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';

const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
(async () => {
  const { sharedCompartment } = await import(workerData.dist + '/worker/shared-compartment.js');
  const { sharedNowMs } = await import(workerData.dist + '/shared-clock.js');
  // Loads SES, locks the thread down as the pool does, and posts its hello (ignored here).
  const { default: run } = await import(workerData.dist + '/worker/main.js');
  const globalObject = sharedCompartment().globalThis;
  const before = Object.getOwnPropertyNames(globalObject).sort();
  const limits = { maxOutputLines: 100, maxOutputChars: 10000, maxArgumentChars: 10000, maxArgumentCharsPerExecution: 100000, maxValueChars: 100000, maxToolCalls: 10, memoryLimitMb: 128 };
  const tools = [{ name: 'noop', path: ['noop'] }, { name: 'crm.find', path: ['crm', 'find'] }];
  const task = (slot, body, context) => ({ executionId: 'e' + slot, slot, code: '(async function () {\\n' + body + '\\n})()', contextJson: context === undefined ? undefined : JSON.stringify(context), setup: JSON.stringify({ tools, limits }), deadlineAt: sharedNowMs() + 30000, streamOutput: false });
  const uses = '__tw_checkpoint(); print(1); console.log(2); structuredClone(secret); return [typeof noop, typeof crm.find, secret.deep];';
  const outcomes = await Promise.all([
    run(task(1, uses, { secret: { deep: 1 } })),
    run(task(2, uses, { secret: { deep: 2 }, other_key: [1] })),
    run(task(3, 'try { leaked = print; } catch {} try { Date = print; } catch {} return typeof Date.now();', { secret: 3 })),
  ]);
  const after = Object.getOwnPropertyNames(globalObject).sort();
  // Everything reachable from the global object: values, accessors and prototypes.
  const mutable = [];
  const seen = new Set();
  const stack = [[globalObject, 'globalThis']];
  while (stack.length > 0) {
    const [value, path] = stack.pop();
    if ((typeof value !== 'object' && typeof value !== 'function') || value === null || seen.has(value)) continue;
    seen.add(value);
    if (!Object.isFrozen(value)) mutable.push(path);
    stack.push([Object.getPrototypeOf(value), path + '.__proto__']);
    for (const key of Reflect.ownKeys(value)) {
      const descriptor = Reflect.getOwnPropertyDescriptor(value, key);
      for (const part of ['value', 'get', 'set']) stack.push([descriptor[part], path + '.' + String(key) + (part === 'value' ? '' : '(' + part + ')')]);
    }
  }
  parentPort.postMessage({ before, after, frozen: Object.isFrozen(globalObject), mutable, reached: seen.size, outcomes: outcomes.map((o) => o.ok ? JSON.parse(o.valueJson) : o.error.code) });
})().catch((error) => parentPort.postMessage({ error: String(error && error.stack) }));
`;

describe('claim: no script can change anything another script sees (the shared global object)', () => {
  it('holds nothing of any script after runs on its thread, keeps its names, and reaches only frozen objects', async () => {
    const dist = new URL('../../dist', import.meta.url).href;
    const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { dist } });
    // The worker posts its hello (a port) first, then the report.
    const report = await new Promise<any>((resolve, reject) => {
      worker.on('message', (message: { type?: string }) => {
        if (message.type === undefined) resolve(message);
      });
      worker.once('error', reject);
    });
    await worker.terminate();
    expect(report.error).toBeUndefined();
    expect(report.outcomes).toEqual([['function', 'function', 1], ['function', 'function', 2], 'number']);
    expect(report.frozen).toBe(true);
    expect(report.after).toEqual(report.before);
    for (const name of ['print', 'console', 'structuredClone', '__tw_checkpoint', 'noop', 'crm', 'secret', 'other_key', 'leaked']) expect(report.before).not.toContain(name);
    for (const name of ['Date', 'Math', 'Intl', 'JSON', 'Array']) expect(report.before).toContain(name);
    for (const name of ['eval', 'Function', 'Compartment', 'globalThis', 'harden', 'lockdown', 'ArrayBuffer']) expect(report.before).not.toContain(name);
    expect(report.reached).toBeGreaterThan(500);
    expect(report.mutable).toEqual([]);
  });
});
