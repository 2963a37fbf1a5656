import { describe, expect, it } from 'vitest';
import {
  InvalidOptionsError, ResultNotSerializableError, ScriptError, ScriptSyntaxError, SecurityValidationError,
  ToolCallError, ToolWeaverError, createEngine, ToolCatalog,
} from 'toolweaver';
import { engineFor, rejectionOf } from '../helpers.js';

describe('errors', () => {
  it('rejects a forbidden construct with SecurityValidationError before any tool runs', async () => {
    let called = 0;
    const engine = engineFor([{ name: 'noop', handler: () => { called++; return null; } }]);
    const error = await rejectionOf(engine.execute(`
      await noop();
      import os from 'os';
      const fs = require('fs');
      return eval('1');
    `));
    expect(error).toBeInstanceOf(SecurityValidationError);
    expect(error).toBeInstanceOf(ToolWeaverError);
    expect(error.code).toBe('ERR_SECURITY_VALIDATION');
    expect(error.violations.map((v: { line: number }) => v.line)).toEqual([3, 4, 5]);
    expect(error.metadata.toolCalls).toBe(0);
    expect(called).toBe(0);
  });

  it('rejects a syntax error with ScriptSyntaxError carrying line and column', async () => {
    const engine = engineFor([]);
    const error = await rejectionOf(engine.execute('const a = 1;\nconst b = ;'));
    expect(error).toBeInstanceOf(ScriptSyntaxError);
    expect(error.code).toBe('ERR_SCRIPT_SYNTAX');
    expect(error.line).toBe(2);
    expect(error.column).toBe(11);
  });

  it('fails with ToolCallError carrying the host error as cause when the script does not catch', async () => {
    const hostError = new Error('database unreachable at 10.0.0.5');
    const engine = engineFor([{ name: 'get_user', handler: () => { throw hostError; } }]);
    const error = await rejectionOf(engine.execute('print("start");\nawait get_user("u-1");'));
    expect(error).toBeInstanceOf(ToolCallError);
    expect(error.code).toBe('ERR_TOOL_CALL');
    expect(error.toolName).toBe('get_user');
    expect(error.callIndex).toBe(1);
    expect(error.cause).toBe(hostError);
    expect(error.output).toEqual(['start']);
    expect(error.metadata.toolCalls).toBe(1);
  });

  it('gives the script a plain catchable error with a bounded message and no host stack', async () => {
    const engine = engineFor([{ name: 'get_user', handler: async () => { throw new Error('x'.repeat(5_000)); } }]);
    const result = await engine.execute(`
      try { await get_user('u-1'); }
      catch (error) {
        return { isError: error instanceof Error, plain: Object.getPrototypeOf(error) === Error.prototype,
          length: error.message.length, stack: error.stack ?? '', cause: 'cause' in error, keys: Object.keys(error) };
      }
    `);
    expect(result.value).toMatchObject({ isError: true, plain: true, stack: '', cause: false, keys: [] });
    expect((result.value as { length: number }).length).toBeLessThanOrEqual(1_000);
  });

  it('fails with ScriptError carrying the thrown name, a bounded message and the line', async () => {
    const engine = engineFor([]);
    const error = await rejectionOf(engine.execute('const a = 1;\nprint("x");\nthrow new RangeError("bad range " + "y".repeat(10000));'));
    expect(error).toBeInstanceOf(ScriptError);
    expect(error.code).toBe('ERR_SCRIPT');
    expect(error.errorName).toBe('RangeError');
    expect(error.line).toBe(3);
    expect(error.message.length).toBeLessThan(2_200);
    expect(error.output).toEqual(['x']);
  });

  it('fails with ScriptError for a thrown non-error value', async () => {
    const engine = engineFor([]);
    const error = await rejectionOf(engine.execute('throw "plain string";'));
    expect(error.code).toBe('ERR_SCRIPT');
    expect(error.errorName).toBe('string');
  });

  it.each([
    ['a cycle', 'const a = {}; a.self = a; return a;', 'value.self'],
    ['a function', 'return { run() {} };', 'value.run'],
    ['a BigInt', 'return { big: 10n };', 'value.big'],
    ['a Map', 'return [new Map()];', 'value[0]'],
  ])('fails with ResultNotSerializableError for %s and keeps serving', async (_label, code, path) => {
    const engine = engineFor([]);
    const error = await rejectionOf(engine.execute(code));
    expect(error).toBeInstanceOf(ResultNotSerializableError);
    expect(error.code).toBe('ERR_RESULT_NOT_SERIALIZABLE');
    expect(error.path).toBe(path);
    expect((await engine.execute('return 2')).value).toBe(2);
  });

  it('gives a catchable error for a tool argument that is not JSON data', async () => {
    let called = 0;
    const engine = engineFor([{ name: 'save', handler: () => { called++; return null; } }]);
    const result = await engine.execute(`
      try { await save({ callback() {} }); return 'sent'; }
      catch (error) { return { name: error.name, proto: Object.getPrototypeOf(error) === TypeError.prototype }; }
    `);
    expect(result.value).toEqual({ name: 'TypeError', proto: true });
    expect(called).toBe(0);
  });

  it.each([
    ['an unknown key', { tools: [] }, 'tools'],
    ['a negative timeout', { timeoutMs: -1 }, 'timeoutMs'],
    ['a fractional thread count', { threads: 1.5 }, 'threads'],
    ['a zero tool-call cap', { maxToolCalls: 0 }, 'maxToolCalls'],
  ])('rejects %s at creation with InvalidOptionsError', (_label, options, option) => {
    let error: any;
    try {
      createEngine({ catalog: new ToolCatalog(), ...(options as object) });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(InvalidOptionsError);
    expect(error.code).toBe('ERR_INVALID_OPTIONS');
    expect(error.option).toBe(option);
  });

  it('rejects a missing catalog at creation', () => {
    expect(() => createEngine({} as never)).toThrow(InvalidOptionsError);
  });

  it.each([
    ['a context key that is not an identifier', { context: { 'lead-id': 1 } }],
    ['a context key shadowing a tool', { context: { noop: 1 } }],
    ['a context that is not JSON data', { context: { when: new Map() } }],
    ['an unknown execute option', { retries: 2 }],
  ])('rejects %s with InvalidOptionsError', async (_label, options) => {
    const engine = engineFor([{ name: 'noop', handler: () => null }]);
    const error = await rejectionOf(engine.execute('return 1', options as never));
    expect(error.code).toBe('ERR_INVALID_OPTIONS');
  });
});

describe('bad input to execute', () => {
  it.each([[undefined], [42], [null]])('rejects a script that is not a string (%s) without throwing synchronously', async (code) => {
    const engine = engineFor([]);
    let promise: Promise<unknown> | undefined;
    expect(() => { promise = engine.execute(code as never); }).not.toThrow();
    const error = await rejectionOf(promise!);
    expect(error.code).toBe('ERR_INVALID_OPTIONS');
    expect(error.option).toBe('code');
    expect((await engine.execute('return 1')).value).toBe(1);
  });
});
