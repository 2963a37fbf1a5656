import { describe, expect, it } from 'vitest';
import { engineFor } from '../helpers.js';

const expenses = {
  name: 'get_expenses',
  input: {
    type: 'object',
    properties: { memberId: { type: 'string' }, quarter: { type: 'string' } },
    required: ['memberId'],
  },
  handler: async (args: { memberId: string; quarter: string }) => [{ args, amount: 5 }],
};

describe('execute', () => {
  it('returns the value, the printed output and metadata', async () => {
    const engine = engineFor([{ name: 'get_numbers', handler: () => [1, 2, 3, 4] }]);
    const result = await engine.execute(`
      const numbers = await get_numbers();
      print('got', numbers.length, 'numbers');
      console.log({ first: numbers[0] });
      console.error('warned');
      return numbers.reduce((a, b) => a + b, 0);
    `);
    expect(result.value).toBe(10);
    expect(result.output).toEqual(['got 4 numbers', '{first: 1}', 'warned']);
    expect(result.metadata.toolCalls).toBe(1);
    expect(result.metadata.toolCallsByName).toEqual({ get_numbers: 1 });
    expect(result.metadata.bytesFromTools).toBe('[1,2,3,4]'.length);
    expect(result.metadata.bytesReturned).toBe('10'.length + 'got 4 numbers\n{first: 1}\nwarned\n'.length);
    expect(result.metadata.tokensEstimated).toBeGreaterThan(0);
    expect(result.metadata.executionId).toMatch(/^tw-/);
    expect(result.metadata.outputTruncated).toBe(false);
  });

  it('passes positional and named calls to the handler as one named-arguments object', async () => {
    const engine = engineFor([expenses]);
    const result = await engine.execute(`
      const a = await get_expenses('m-1', 'Q3');
      const b = await get_expenses({ memberId: 'm-2', quarter: 'Q4' });
      const c = await get_expenses('m-3');
      return [a[0].args, b[0].args, c[0].args];
    `);
    expect(result.value).toEqual([
      { memberId: 'm-1', quarter: 'Q3' },
      { memberId: 'm-2', quarter: 'Q4' },
      { memberId: 'm-3' },
    ]);
  });

  it('rejects a call with more positional arguments than parameters inside the script', async () => {
    const engine = engineFor([expenses]);
    const result = await engine.execute(`
      try { await get_expenses('m-1', 'Q3', 'extra'); return 'called'; }
      catch (error) { return error.message; }
    `);
    expect(result.value).toContain('get_expenses');
  });

  it('passes the one argument of a tool without input schema through', async () => {
    const seen: unknown[] = [];
    const engine = engineFor([{ name: 'log_event', handler: (input: unknown) => (seen.push(input), 'ok') }]);
    const result = await engine.execute(`
      await log_event('plain string');
      await log_event({ kind: 'object' });
      await log_event();
      try { await log_event(1, 2); } catch (error) { return 'refused'; }
    `);
    expect(result.value).toBe('refused');
    expect(seen).toEqual(['plain string', { kind: 'object' }, undefined]);
  });

  it('makes each context key a read-only global of that script only', async () => {
    const engine = engineFor([]);
    const first = await engine.execute(`
      let assigned = true;
      try { lead.id = 'changed'; } catch { assigned = false; }
      return { lead, limit, assigned };
    `, { context: { lead: { id: 'L-7' }, limit: 3 } });
    expect(first.value).toEqual({ lead: { id: 'L-7' }, limit: 3, assigned: false });
    const second = await engine.execute('return typeof lead;');
    expect(second.value).toBe('undefined');
  });

  it('supports top-level await, return and the standard library', async () => {
    const engine = engineFor([]);
    const result = await engine.execute(`
      const values = await Promise.all([1, 2, 3].map(async (n) => n * 2));
      const counts = {};
      for (const word of ['constructor', 'hasOwnProperty', 'a', 'a']) counts[word] = (Object.hasOwn(counts, word) ? counts[word] : 0) + 1;
      const m = new Map([['k', 1]]);
      return {
        values, counts, fromMap: Object.fromEntries(m), max: Math.max(...values),
        now: Date.now() > 0, random: typeof Math.random(), json: JSON.parse('{"x":[1]}'),
        iso: new Date(0).toISOString(), regex: /b+/.test('abbc'),
      };
    `);
    expect(result.value).toEqual({
      values: [2, 4, 6], counts: { constructor: 1, hasOwnProperty: 1, a: 2 }, fromMap: { k: 1 }, max: 6,
      now: true, random: 'number', json: { x: [1] }, iso: '1970-01-01T00:00:00.000Z', regex: true,
    });
  });

  it('returns undefined when the script returns nothing', async () => {
    const engine = engineFor([]);
    const result = await engine.execute('print("side effect only")');
    expect(result.value).toBeUndefined();
    expect(result.output).toEqual(['side effect only']);
    expect(result.metadata.bytesReturned).toBe('side effect only\n'.length);
  });

  it('runs code whose strings and comments contain sequences SES rejects by pattern', async () => {
    const engine = engineFor([]);
    const result = await engine.execute(`
      // never call eval(x) or import(y) here <!-- not html -->
      let i = 3, seen = 0;
      while (i-->0) seen++;
      return ['use import(x)', 'eval(1)', '<!-- c -->', seen, /-->/.test('a-->b')];
    `);
    expect(result.value).toEqual(['use import(x)', 'eval(1)', '<!-- c -->', 3, true]);
  });

  it('cuts output at maxOutputLines and marks the result truncated', async () => {
    const engine = engineFor([], { maxOutputLines: 3 });
    const result = await engine.execute('for (let i = 0; i < 10; i++) print(i); return "done";');
    expect(result.output).toEqual(['0', '1', '2']);
    expect(result.metadata.outputTruncated).toBe(true);
    expect(result.value).toBe('done');
  });

  it('cuts output at maxOutputChars', async () => {
    const engine = engineFor([], { maxOutputChars: 10 });
    const result = await engine.execute('print("12345678"); print("abcdef"); print("never");');
    expect(result.output).toEqual(['12345678', 'ab']);
    expect(result.metadata.outputTruncated).toBe(true);
  });
});

describe('compile', () => {
  it('validates once and runs the compiled script over many contexts', async () => {
    const engine = engineFor([{ name: 'double', input: { type: 'object', properties: { n: {} } }, handler: ({ n }: { n: number }) => n * 2 }]);
    const compiled = engine.compile('return await double(n);');
    const results = await Promise.all([1, 2, 3].map((n) => engine.execute(compiled, { context: { n } })));
    expect(results.map((result) => result.value)).toEqual([2, 4, 6]);
    expect(compiled.source).toBe('return await double(n);');
    expect(Object.isFrozen(compiled)).toBe(true);
  });

  it('throws the validation error at compile time', () => {
    const engine = engineFor([]);
    expect(() => engine.compile('const fs = require("fs");')).toThrowError(expect.objectContaining({ code: 'ERR_SECURITY_VALIDATION' }));
    expect(() => engine.compile('const = 1')).toThrowError(expect.objectContaining({ code: 'ERR_SCRIPT_SYNTAX' }));
  });
});
