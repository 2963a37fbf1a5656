import { describe, expect, it } from 'vitest';
import { ToolCallLimitError } from 'toolweaver';
import { createGate, engineFor, rejectionOf } from '../helpers.js';

describe('tool-call concurrency and limits', () => {
  it('overlaps the calls of a Promise.all fan-out at the handlers', async () => {
    const fanOut = 20;
    const everyoneArrived = createGate();
    let active = 0;
    let maxActive = 0;
    const engine = engineFor([{
      name: 'slow_lookup',
      handler: async () => {
        active++;
        maxActive = Math.max(maxActive, active);
        if (active === fanOut) everyoneArrived.open();
        // Only returns once all 20 calls are in a handler at the same time.
        await everyoneArrived.wait(5_000);
        active--;
        return 1;
      },
    }]);
    const result = await engine.execute(`
      const results = await Promise.all(Array.from({ length: ${fanOut} }, () => slow_lookup()));
      return results.length;
    `);
    expect(result.value).toBe(fanOut);
    expect(maxActive).toBe(fanOut);
  });

  it('holds a tool to its concurrency limit', async () => {
    let active = 0;
    let maxActive = 0;
    const engine = engineFor([{
      name: 'rate_limited',
      concurrency: 3,
      handler: async () => {
        active++;
        maxActive = Math.max(maxActive, active);
        await new Promise((resolve) => setImmediate(resolve));
        active--;
        return null;
      },
    }]);
    await engine.execute('await Promise.all(Array.from({ length: 30 }, () => rate_limited()));');
    expect(maxActive).toBe(3);
  });

  it('never lets the call past maxToolCalls reach a handler, even if the script catches it', async () => {
    let handled = 0;
    const engine = engineFor([{ name: 'noop', handler: () => { handled++; return null; } }]);
    const error = await rejectionOf(engine.execute(`
      let refused = 0;
      for (let i = 0; i < 10001; i++) {
        try { await noop(); } catch { refused++; }
      }
      return refused;
    `));
    expect(error).toBeInstanceOf(ToolCallLimitError);
    expect(error.code).toBe('ERR_TOOL_CALL_LIMIT');
    expect(error.limit).toBe(10_000);
    expect(handled).toBe(10_000);
    expect(error.metadata.toolCalls).toBe(10_001);
  });

  it('fails with ToolCallLimitError for a fan-out past a custom maxToolCalls', async () => {
    let handled = 0;
    const engine = engineFor([{ name: 'noop', handler: () => { handled++; return null; } }], { maxToolCalls: 5 });
    const error = await rejectionOf(engine.execute(`
      const settled = await Promise.allSettled(Array.from({ length: 8 }, () => noop()));
      return settled.filter((s) => s.status === 'fulfilled').length;
    `));
    expect(error.code).toBe('ERR_TOOL_CALL_LIMIT');
    expect(handled).toBe(5);
  });

  it('keeps the budget per execution', async () => {
    const engine = engineFor([{ name: 'noop', handler: () => null }], { maxToolCalls: 3 });
    const runs = await Promise.all([1, 2, 3].map(() => engine.execute('for (let i = 0; i < 3; i++) await noop(); return "ok";')));
    expect(runs.map((run) => run.value)).toEqual(['ok', 'ok', 'ok']);
  });
});
