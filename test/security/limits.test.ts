// Hostile inputs for the limit claims, one README security claim per describe block.
import { describe, expect, it } from 'vitest';
import { checkHostHealthAfterEach, createGate, engineFor, rejectionOf, UNSTOPPABLE_RUNAWAY } from '../helpers.js';

checkHostHealthAfterEach();

describe('claim: the call past maxToolCalls never reaches a handler', () => {
  it.each([
    ['a sequential loop that catches every refusal', 'for (let i = 0; i < 50; i++) { try { await noop(); } catch {} } return "swallowed";'],
    ['a fan-out that settles every call', 'await Promise.allSettled(Array.from({ length: 50 }, () => noop())); return "swallowed";'],
    ['a retry loop after the refusal', 'for (;;) { try { await noop(); } catch { break; } } for (let i = 0; i < 10; i++) { try { await noop(); } catch {} } return "swallowed";'],
  ])('fails %s with ToolCallLimitError', async (_label, code) => {
    let handled = 0;
    const engine = engineFor([{ name: 'noop', handler: () => { handled++; return null; } }], { maxToolCalls: 20, killGraceMs: 200 });
    const error = await rejectionOf(engine.execute(code));
    expect(error.code).toBe('ERR_TOOL_CALL_LIMIT');
    expect(handled).toBe(20);
  });
});

describe('claim: a runaway script is stopped and the engine keeps serving', () => {
  it.each([
    ['a tight loop', 'while (true) {}'],
    ['an await null loop', 'for (;;) await null;'],
    ['a loop that swallows its own errors', 'for (;;) { try { null.x; } catch {} }'],
    ['a promise chain that never ends', 'const spin = () => Promise.resolve().then(spin); spin(); await new Promise(() => {});'],
    ['deep recursion caught in a loop', 'const f = () => f(); for (;;) { try { f(); } catch {} }'],
  ])('stops %s and serves the next script', async (_label, code) => {
    const engine = engineFor([], { threads: 1, killGraceMs: 200 });
    const error = await rejectionOf(engine.execute(code, { timeoutMs: 200 }));
    expect(error.code).toBe('ERR_EXECUTION_TIMEOUT');
    expect((await engine.execute('return "served"')).value).toBe('served');
  });

  it('does not place new scripts on a thread that stopped answering', async () => {
    const engine = engineFor([], { threads: 2, killGraceMs: 300 });
    await Promise.all([engine.execute('return 0'), engine.execute('return 0')]);
    // Stuck in one builtin call, so the thread stays silent until it is terminated.
    const runaway = rejectionOf(engine.execute(UNSTOPPABLE_RUNAWAY, { timeoutMs: 150 }));
    expect((await runaway).code).toBe('ERR_EXECUTION_TIMEOUT');
    // Submitted while the stuck thread is still alive: none may land on it and die with it.
    const next = await Promise.all(Array.from({ length: 8 }, (_, i) => engine.execute(`return ${i}`)));
    expect(next.map((result) => result.value)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
  });
});

describe('claim: printed output cannot grow without bound', () => {
  it.each([
    ['many lines', 'for (let i = 0; i < 100000; i++) print(i);', true],
    ['one huge line', 'print("x".repeat(10000000));', true],
    // The formatter already abbreviates long arrays (`... 99900 more`), so nothing is cut.
    ['a huge object', 'print(Array.from({ length: 100000 }, (_, i) => ({ i })));', false],
    ['many huge objects', 'for (let i = 0; i < 1000; i++) print(Array.from({ length: 1000 }, (_, j) => ({ j })));', true],
  ])('caps %s', async (_label, code, truncated) => {
    const engine = engineFor([], { maxOutputLines: 100, maxOutputChars: 10_000 });
    const result = await engine.execute(code);
    expect(result.output.length).toBeLessThanOrEqual(100);
    expect(result.output.join('').length).toBeLessThanOrEqual(10_000);
    expect(result.metadata.outputTruncated).toBe(truncated);
  });

  it('caps streamed output the same way', async () => {
    const engine = engineFor([], { maxOutputLines: 5 });
    const lines: string[] = [];
    for await (const event of engine.executeStreaming('for (let i = 0; i < 1000; i++) print(i);')) {
      if (event.type === 'output') lines.push(event.line);
    }
    expect(lines).toEqual(['0', '1', '2', '3', '4']);
  });
});

describe('claim: scripts cannot reach eval, Function, require, import, process or the host globals', () => {
  it('rejects top-level this as a way to reach the global object', async () => {
    const engine = engineFor([]);
    const result = await engine.execute('return [typeof this, (function () { return typeof this; })()];');
    expect(result.value).toEqual(['undefined', 'undefined']);
  });

  it('calls no tool for a rejected script even when the call comes first', async () => {
    const called = createGate();
    const engine = engineFor([{ name: 'send_email', handler: () => { called.open(); return null; } }]);
    const error = await rejectionOf(engine.execute('await send_email("a@b.c");\nconst cp = require("child_process");'));
    expect(error.code).toBe('ERR_SECURITY_VALIDATION');
    expect(called.isOpen).toBe(false);
  });
});
