import { describe, expect, it } from 'vitest';
import { EngineClosedError, ExecutionAbortedError, createEngine, ToolCatalog } from 'toolweaver';
import { catalogOf, createGate, engineFor, rejectionOf } from '../helpers.js';

describe('streaming', () => {
  it('delivers a line printed before a slow tool call before that call returns', async () => {
    const release = createGate();
    let returned = false;
    const engine = engineFor([{ name: 'slow', handler: async () => { await release.wait(5_000); returned = true; return 'done'; } }]);
    const events: Array<{ type: string; returnedYet: boolean }> = [];
    let result: unknown;
    for await (const event of engine.executeStreaming('print("starting"); const r = await slow(); print("after", r); return r;')) {
      events.push({ type: event.type, returnedYet: returned });
      if (event.type === 'output' && event.line === 'starting') release.open();
      if (event.type === 'result') result = event.result.value;
    }
    expect(events).toEqual([
      { type: 'output', returnedYet: false },
      { type: 'output', returnedYet: true },
      { type: 'result', returnedYet: true },
    ]);
    expect(result).toBe('done');
  });

  it('yields every line then exactly one result, even for lines sent just before the end', async () => {
    const engine = engineFor([]);
    const lines: string[] = [];
    let results = 0;
    for await (const event of engine.executeStreaming('for (let i = 0; i < 50; i++) print(i); return 1;')) {
      if (event.type === 'output') lines.push(event.line);
      else results++;
    }
    expect(lines).toEqual(Array.from({ length: 50 }, (_, i) => String(i)));
    expect(results).toBe(1);
  });

  it('throws the typed error after the lines printed before the failure', async () => {
    const engine = engineFor([]);
    const lines: string[] = [];
    const error = await rejectionOf((async () => {
      for await (const event of engine.executeStreaming('print("one"); throw new TypeError("two");')) {
        if (event.type === 'output') lines.push(event.line);
      }
    })());
    expect(lines).toEqual(['one']);
    expect(error.code).toBe('ERR_SCRIPT');
  });
});

describe('abort and close', () => {
  it('aborts an execution through its signal, including the in-flight tool call', async () => {
    const inHandler = createGate();
    let handlerSignal: AbortSignal | undefined;
    const engine = engineFor([{ name: 'wait_forever', handler: (_: unknown, ctx: { signal: AbortSignal }) => { handlerSignal = ctx.signal; inHandler.open(); return new Promise(() => {}); } }]);
    const controller = new AbortController();
    const running = engine.execute('print("waiting"); await wait_forever();', { signal: controller.signal });
    expect(await inHandler.wait()).toBe(true);
    controller.abort();
    const error = await rejectionOf(running);
    expect(error).toBeInstanceOf(ExecutionAbortedError);
    expect(error.code).toBe('ERR_EXECUTION_ABORTED');
    expect(error.source).toBe('signal');
    expect(error.output).toEqual(['waiting']);
    expect(handlerSignal?.aborted).toBe(true);
  });

  it('rejects at once for a signal that is already aborted, calling no tool', async () => {
    let called = 0;
    const engine = engineFor([{ name: 'noop', handler: () => { called++; return null; } }]);
    const error = await rejectionOf(engine.execute('await noop();', { signal: AbortSignal.abort() }));
    expect(error.code).toBe('ERR_EXECUTION_ABORTED');
    expect(called).toBe(0);
  });

  it('aborts scripts that are still queued behind a full pool', async () => {
    const release = createGate();
    const engine = engineFor([{ name: 'block', handler: () => release.wait(5_000) }], { threads: 1, scriptsPerThread: 1 });
    const first = engine.execute('await block(); return 1;');
    const controller = new AbortController();
    const queued = engine.execute('return 2;', { signal: controller.signal });
    controller.abort();
    expect((await rejectionOf(queued)).code).toBe('ERR_EXECUTION_ABORTED');
    release.open();
    expect((await first).value).toBe(1);
  });

  it('ends running scripts with ExecutionAbortedError on close({ force: true })', async () => {
    const inHandler = createGate();
    const catalog = catalogOf([{ name: 'wait_forever', handler: () => { inHandler.open(); return new Promise(() => {}); } }]);
    const engine = createEngine({ catalog, threads: 1 });
    const running = rejectionOf(engine.execute('await wait_forever();'));
    expect(await inHandler.wait()).toBe(true);
    await engine.close({ force: true });
    const error = await running;
    expect(error.code).toBe('ERR_EXECUTION_ABORTED');
    expect(error.source).toBe('close');
  });

  it('drains running and queued scripts on close() and refuses new ones', async () => {
    const release = createGate();
    const catalog = catalogOf([{ name: 'block', handler: () => release.wait(5_000) }]);
    const engine = createEngine({ catalog, threads: 1, scriptsPerThread: 1 });
    const running = engine.execute('await block(); return "first";');
    const queued = engine.execute('return "second";');
    const closing = engine.close();
    const refused = await rejectionOf(engine.execute('return "late";'));
    expect(refused).toBeInstanceOf(EngineClosedError);
    expect(refused.code).toBe('ERR_ENGINE_CLOSED');
    release.open();
    await closing;
    expect((await running).value).toBe('first');
    expect((await queued).value).toBe('second');
  });

  it('lets close() be called twice', async () => {
    const engine = createEngine({ catalog: new ToolCatalog(), threads: 1 });
    await Promise.all([engine.close(), engine.close()]);
  });
});

describe('streaming started late', () => {
  it('replays lines printed before the consumer starts iterating', async () => {
    const engine = engineFor([]);
    const stream = engine.executeStreaming('print("early"); print("also early"); return 1;');
    // Let the script finish before anyone reads.
    await engine.execute('return 0');
    await new Promise((resolve) => setTimeout(resolve, 50));
    const events: string[] = [];
    for await (const event of stream) events.push(event.type === 'output' ? event.line : 'result');
    expect(events).toEqual(['early', 'also early', 'result']);
  });
});

describe('streaming nobody reads yet', () => {
  it('does not turn a failure into an unhandled rejection before iteration starts', async () => {
    const engine = engineFor([]);
    const unhandled: unknown[] = [];
    const listener = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', listener);
    try {
      const stream = engine.executeStreaming('throw new Error("boom")');
      await engine.execute('return 0');
      await new Promise((resolve) => setTimeout(resolve, 100));
      const error = await rejectionOf((async () => { for await (const _ of stream) { /* drain */ } })());
      expect(error.code).toBe('ERR_SCRIPT');
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', listener);
    }
  });

  it('ends the execution when the stream is closed before its first read', async () => {
    let signal: AbortSignal | undefined;
    const entered = createGate();
    const engine = engineFor([{ name: 'wait_here', handler: (_: unknown, ctx: { signal: AbortSignal }) => { signal = ctx.signal; entered.open(); return new Promise(() => {}); } }]);
    const stream = engine.executeStreaming('await wait_here();');
    expect(await entered.wait()).toBe(true);
    await stream.return(undefined);
    expect(signal?.aborted).toBe(true);
  });
});
