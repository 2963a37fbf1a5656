// Hostile inputs, one README security claim per describe block.
import { describe, expect, it } from 'vitest';
import { checkHostHealthAfterEach, engineFor, rejectionOf } from '../helpers.js';

checkHostHealthAfterEach();

const tools = () => [{ name: 'noop', handler: () => null }, { name: 'echo', handler: (value: unknown) => value }];

describe('claim: scripts cannot reach eval, Function, require, import, process or the host globals', () => {
  it.each([
    ['static import', 'import fs from "fs";'],
    ['export', 'export const x = 1;'],
    ['dynamic import', 'await import("fs");'],
    ['import.meta', 'return import.meta.url;'],
    ['require', 'const cp = require("child_process");'],
    ['eval', 'return eval("process");'],
    ['indirect eval', 'return (0, eval)("1");'],
    ['Function', 'return Function("return process")();'],
    ['new Function', 'return new Function("return this")();'],
    ['globalThis', 'return globalThis.process;'],
    ['process', 'return process.env;'],
    ['with', 'with ({}) {}'],
    ['shadowed in another block', '{ let Function = 1; } return Function("return this")();'],
    ['shadowed in a sibling function', 'function f(require) { return require; } return require("fs");'],
    ['Compartment', 'return new Compartment();'],
    ['fetch', 'return await fetch("http://example.com");'],
    ['setTimeout', 'setTimeout(() => {}, 1);'],
  ])('rejects %s before running', async (_label, code) => {
    let called = 0;
    const engine = engineFor([{ name: 'noop', handler: () => { called++; return null; } }]);
    const error = await rejectionOf(engine.execute(`await noop();\n${code}`));
    expect(error.code).toBe('ERR_SECURITY_VALIDATION');
    expect(called).toBe(0);
  });

  it.each([
    ['function constructor chain', 'return (function () {}).constructor("return process")();'],
    ['async function constructor chain', 'return await (async function () {}).constructor("return process")();'],
    ['array constructor chain', 'return [].constructor.constructor("return this")();'],
    ['tool function constructor', 'return noop.constructor("return process")();'],
    ['print constructor', 'return print.constructor("return this")();'],
    ['generator constructor', 'return Object.getPrototypeOf(function* () {}).constructor("return this")().next();'],
    ['Reflect.construct on Function', 'return Reflect.construct(print.constructor, ["return this"])();'],
    ['this at top level', 'return typeof this === "object" && this !== null ? Object.keys(this) : "none";'],
    ['stack trace hook', 'Error.prepareStackTrace = (e, s) => s; return typeof new Error().stack;'],
    ['error constructor realm', 'return new Error().constructor.constructor("return process")();'],
  ])('gives no host access through %s', async (_label, code) => {
    const engine = engineFor(tools());
    let outcome: unknown;
    try {
      outcome = (await engine.execute(code)).value;
    } catch (error: any) {
      outcome = error.code;
    }
    // Either the attempt throws inside the sandbox, or what it reaches is not the host.
    expect(JSON.stringify(outcome ?? null)).not.toMatch(/"(env|pid|versions|argv)"/);
    expect(outcome).not.toHaveProperty('pid');
  });
});

describe('claim: no script can reach binary data, another evaluator, or the global object', () => {
  it('removes eval, Function, Compartment, typed arrays and globalThis from the compartment', async () => {
    // Read through a computed key, so validation cannot see the names: this tests the
    // Compartment itself, the second layer.
    const engine = engineFor(tools());
    const names = ['eval', 'Function', 'Compartment', 'lockdown', 'harden', 'globalThis', 'ArrayBuffer', 'Uint8Array', 'Float64Array', 'DataView', 'SharedArrayBuffer', 'Atomics', 'TextEncoder', 'WebAssembly', 'process', 'require', 'Buffer', 'setTimeout'];
    const result = await engine.execute(`
      const names = ${JSON.stringify(names)};
      const scope = (function () { return this; })();
      return names.map((name) => [name, typeof (scope ?? {})[name]]);
    `);
    expect(result.value).toEqual(names.map((name) => [name, 'undefined']));
  });

  it('delivers a Buffer or typed array returned by a tool as plain numbers', async () => {
    const engine = engineFor([{ name: 'read_blob', handler: () => ({ buffer: Buffer.from('hi'), view: new Uint16Array([7]) }) }]);
    const result = await engine.execute(`
      const blob = await read_blob();
      return { isArray: Array.isArray(blob.view), plain: Object.getPrototypeOf(blob.buffer) === Object.prototype, blob };
    `);
    expect(result.value).toEqual({ isArray: true, plain: true, blob: { buffer: { type: 'Buffer', data: [104, 105] }, view: [7, 0] } });
  });
});

describe('claim: no script can change anything another script sees', () => {
  it('keeps prototypes, intrinsics, endowments and globals unchanged for the next script on the thread', async () => {
    const engine = engineFor(tools(), { threads: 1 });
    const attempts = await engine.execute(`
      const tries = {
        objectProto: () => { Object.prototype.polluted = 1; },
        arrayPush: () => { Array.prototype.push = () => 0; },
        jsonParse: () => { JSON.parse = () => 'hijacked'; },
        mathRandom: () => { Math.random = () => 4; },
        dateNow: () => { Date.now = () => 0; },
        printProp: () => { print.hijacked = true; },
        consoleLog: () => { console.log = () => {}; },
        toolProp: () => { noop.hijacked = true; },
        promiseThen: () => { Promise.prototype.then = function () {}; },
        errorProto: () => { Error.prototype.message = 'hijacked'; },
        protoSetter: () => { ({}).__proto__.polluted2 = 1; },
        defineGlobal: () => { Object.defineProperty(Object.getPrototypeOf({}), 'polluted3', { value: 1 }); },
      };
      const changed = [];
      for (const [name, attempt] of Object.entries(tries)) {
        try { attempt(); changed.push(name); } catch {}
      }
      return changed;
    `);
    expect(attempts.value).toEqual([]);
    const next = await engine.execute(`
      const out = [];
      print('still printing');
      return [({}).polluted, ({}).polluted2, ({}).polluted3, JSON.parse('1'), typeof Math.random(), Date.now() > 0, print.hijacked, noop.hijacked, [1].push(2)];
    `);
    // undefined crosses as null inside an array (JSON).
    expect(next.value).toEqual([null, null, null, 1, 'number', true, null, null, 2]);
    expect(next.output).toEqual(['still printing']);
  });
});

describe('claim: anything thrown into a script is a fresh plain error', () => {
  it('gives tool errors the shared frozen prototype and no host properties', async () => {
    const hostError = Object.assign(new Error('secret detail'), { connection: { password: 'hunter2' } });
    const engine = engineFor([{ name: 'fail', handler: () => { throw hostError; } }]);
    const result = await engine.execute(`
      try { await fail(); } catch (error) {
        return { own: Object.getOwnPropertyNames(error).sort(), frozenProto: Object.isFrozen(Object.getPrototypeOf(error)), message: error.message };
      }
    `);
    expect(result.value).toEqual({ own: ['message', 'stack'], frozenProto: true, message: 'fail failed: secret detail' });
    expect(JSON.stringify(result.value)).not.toContain('hunter2');
  });

  it('keeps a script from reaching the host through an error it catches from a bad argument', async () => {
    const engine = engineFor(tools());
    const result = await engine.execute(`
      try { await echo(() => 1); } catch (error) {
        try { return error.constructor.constructor('return process')(); } catch (inner) { return 'blocked: ' + inner.name; }
      }
    `);
    expect(result.value).toMatch(/^blocked: /);
  });
});

describe('claim: a script cannot kill its thread or the host with a stray rejection', () => {
  it('survives fire-and-forget rejections and keeps serving other scripts on the thread', async () => {
    const engine = engineFor([{ name: 'fail', handler: () => { throw new Error('no'); } }], { threads: 1 });
    const result = await engine.execute(`
      fail(); fail(); Promise.reject(new Error('ignored'));
      return 'finished';
    `);
    expect(result.value).toBe('finished');
    expect((await engine.execute('return "next"')).value).toBe('next');
  });
});

describe('claim: a script cannot kill its thread or the host with a stray rejection (hostile values)', () => {
  it.each([
    ['a thrown Proxy whose getPrototypeOf trap throws', 'throw new Proxy({}, { getPrototypeOf() { throw 1; } });', 'ERR_SCRIPT'],
    ['a returned toJSON that throws such a Proxy', 'return { toJSON() { throw new Proxy({}, { getPrototypeOf() { throw 1; } }); } };', 'ERR_RESULT_NOT_SERIALIZABLE'],
  ])('settles %s at once with a typed error', async (_label, code, expected) => {
    const engine = engineFor([], { timeoutMs: 60_000 });
    const error = await rejectionOf(engine.execute(code));
    expect(error.code).toBe(expected);
    expect(error.metadata.elapsedMs).toBeLessThan(30_000);
  });

  it('refuses a deeply nested tool argument without harming the host', async () => {
    const engine = engineFor([{ name: 'get_x', input: { type: 'object', properties: { id: { type: 'string' } } }, handler: () => 'x' }]);
    const result = await engine.execute('let a = []; for (let i = 0; i < 8000; i++) a = [a]; try { return await get_x(a); } catch (error) { return "caught"; }');
    expect(result.value).toBe('caught');
    expect((await engine.execute('return await get_x("1")')).value).toBe('x');
  });

  it('never lets a flood of cheap calls past maxToolCalls reach the host', async () => {
    let handled = 0;
    const engine = engineFor([{ name: 'noop', handler: () => { handled++; return null; } }], { maxToolCalls: 100 });
    const error = await rejectionOf(engine.execute('const calls = []; for (let i = 0; i < 200000; i++) calls.push(noop().catch(() => 0)); await Promise.all(calls);'));
    expect(error.code).toBe('ERR_TOOL_CALL_LIMIT');
    expect(handled).toBe(100);
    // The host saw only the calls up to the one past the cap, not the 200,000 posted.
    expect(error.metadata.toolCalls).toBe(101);
  });
});
