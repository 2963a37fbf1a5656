// Request context, end to end: handlers run in the async context of the `execute` (or
// `executeMany`) call that started them, in both isolations, under p-limit and across a
// re-run after the pool process is killed; `hostContext` reaches handlers, never scripts.
import { AsyncLocalStorage } from 'node:async_hooks';
import { describe, expect, it } from 'vitest';
import type { Isolation, ToolContext } from 'toolweaver';
import { createGate, engineFor, poolProcesses } from '../helpers.js';

const als = new AsyncLocalStorage<string>();

describe.each<Isolation>(['process', 'in-process'])('request context (%s)', (isolation) => {
  it('runs a handler in the AsyncLocalStorage store of the execute call', async () => {
    const engine = engineFor([{ name: 'who', handler: async () => { await Promise.resolve(); return als.getStore() ?? 'none'; } }], { isolation });
    const result = await als.run('request-A', () => engine.execute('return [await who(), await who()]'));
    expect(result.value).toEqual(['request-A', 'request-A']);
  });

  it('gives concurrent executions their own stores, also when p-limit starts the handler later', async () => {
    const started = createGate();
    const release = createGate();
    let calls = 0;
    const tools = [{
      name: 'who',
      concurrency: 1,
      handler: async () => {
        // The first call holds the limiter, so the others start from its release, in its context.
        if (++calls === 1) { started.open(); await release.wait(); }
        return als.getStore() ?? 'none';
      },
    }];
    const engine = engineFor(tools, { isolation });
    const a = als.run('request-A', () => engine.execute('return await who()'));
    expect(await started.wait()).toBe(true);
    const b = als.run('request-B', () => engine.execute('return await who()'));
    const c = als.run('request-C', () => engine.execute('return await who()'));
    await new Promise((resolve) => setTimeout(resolve, 50));
    release.open();
    expect((await Promise.all([a, b, c])).map((result) => result.value)).toEqual(['request-A', 'request-B', 'request-C']);
  });

  it('runs the handlers of executeMany jobs in the context of the executeMany call', async () => {
    const engine = engineFor([{ name: 'who', handler: () => als.getStore() ?? 'none' }], { isolation });
    const outcomes = als.run('batch-1', () => engine.executeMany([{ code: 'return await who()' }, { code: 'return await who()' }]));
    const values: unknown[] = [];
    // Read outside the store: the jobs still see the store of the executeMany call.
    for await (const outcome of als.run('reader', () => outcomes)) values.push(outcome.status === 'fulfilled' ? outcome.result.value : outcome.error.code);
    expect(values).toEqual(['batch-1', 'batch-1']);
  });

  it('hands hostContext to every handler as it is, never cloned', async () => {
    const user = { id: 'u-1', can: (action: string) => action === 'read' };
    const seen: unknown[] = [];
    const engine = engineFor([{ name: 'read_doc', handler: (_input: unknown, ctx: ToolContext) => { seen.push(ctx.hostContext); return (ctx.hostContext as typeof user).can('read'); } }], { isolation });
    const result = await engine.execute('return [await read_doc(), await read_doc()]', { hostContext: user });
    expect(result.value).toEqual([true, true]);
    expect(seen).toEqual([user, user]);
    expect(seen[0]).toBe(user);
  });

  it('gives each executeMany job its own hostContext', async () => {
    const engine = engineFor([{ name: 'who', handler: (_input: unknown, ctx: ToolContext) => ctx.hostContext }], { isolation });
    const values = new Map<unknown, unknown>();
    for await (const outcome of engine.executeMany([{ id: 'a', code: 'return await who()', hostContext: 'user-a' }, { id: 'b', code: 'return await who()', hostContext: 'user-b' }])) {
      values.set(outcome.id, outcome.status === 'fulfilled' ? outcome.result.value : outcome.error.code);
    }
    expect(Object.fromEntries(values)).toEqual({ a: 'user-a', b: 'user-b' });
  });
});

describe('hostContext stays on the host', () => {
  it('is no global of the script and in no tool result unless a handler returns it', async () => {
    const secret = { token: 'host-secret-7f3a' };
    const engine = engineFor([{ name: 'echo', handler: (input: unknown) => input }]);
    const result = await engine.execute(`
      const echoed = await echo();
      console.log(JSON.stringify(echoed));
      return { types: [typeof hostContext, typeof ctx, typeof context, typeof token], echoed };
    `, { hostContext: secret, context: { visible: 1 } });
    expect(result.value).toEqual({ types: ['undefined', 'undefined', 'undefined', 'undefined'], echoed: undefined });
    expect(JSON.stringify(result)).not.toContain('host-secret');
  });
});

describe('request context across a re-run', () => {
  it('runs the re-run\'s new calls in the context of the original execute call', async () => {
    const holding = createGate();
    const release = createGate();
    const tools = [
      { name: 'hold', handler: async () => { holding.open(); await release.wait(20_000); return 'released'; } },
      { name: 'who', handler: () => als.getStore() ?? 'none' },
    ];
    const engine = engineFor(tools, { threads: 1 });
    await engine.execute('return 0');
    const running = als.run('request-A', () => engine.execute('const held = await hold(); return [held, await who()]'));
    expect(await holding.wait()).toBe(true);
    const [pid] = poolProcesses();
    process.kill(pid!, 'SIGKILL');
    release.open();
    const result = await running;
    expect(result.value).toEqual(['released', 'request-A']);
    expect(result.metadata.reruns).toBe(1);
  });
});
