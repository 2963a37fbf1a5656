// Tool approvals through the public API: a call of a tool marked `needsApproval` waits for
// the engine's `onApproval`, its time limit paused, and runs only on an explicit yes.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createEngine, InvalidOptionsError, ToolApprovalError, ToolCallError, ToolCatalog, type ApprovalHandler, type ApprovalRequest, type EngineOptions } from 'toolweaver';
import { createGate, engineFor, poolProcesses, rejectionOf } from '../helpers.js';

/** A catalog with `send_email` (needs approval, counts its runs), `lookup` (free) and `wait_here`. */
function createMailTools(needsApproval: boolean | ((input: { to: string }) => boolean) = true) {
  const sent: string[] = [];
  const waiting = createGate();
  const release = createGate();
  const catalog = new ToolCatalog()
    .register({ name: 'send_email', input: { type: 'object', properties: { to: { type: 'string' } }, required: ['to'] }, needsApproval, handler: async ({ to }: { to: string }) => { sent.push(to); return `sent to ${to}`; } })
    .register({ name: 'lookup', handler: async () => 'found' })
    .register({ name: 'wait_here', handler: async () => { waiting.open(); await release.wait(20_000); return 'released'; } });
  return { catalog, sent, waiting, release };
}

function engineWith(catalog: ToolCatalog, onApproval: ApprovalHandler, options: Partial<EngineOptions> = {}) {
  return engineFor(catalog, { threads: 1, onApproval, ...options });
}

describe('claim: a tool marked for approval never runs unasked', () => {
  it('runs an approved call, after asking with the tool, the arguments and the execution', async () => {
    const { catalog, sent } = createMailTools();
    const requests: ApprovalRequest[] = [];
    const engine = engineWith(catalog, (request) => (requests.push(request), true));
    const result = await engine.execute('return await send_email("ada@example.com");');
    expect(result.value).toBe('sent to ada@example.com');
    expect(sent).toEqual(['ada@example.com']);
    expect(requests).toHaveLength(1);
    expect(requests[0]).toMatchObject({ toolName: 'send_email', calledAs: 'send_email', input: { to: 'ada@example.com' }, executionId: result.metadata.executionId, callIndex: 1 });
  });

  it('throws a catchable error into the script for a denied call, and never calls the handler', async () => {
    const { catalog, sent } = createMailTools();
    const engine = engineWith(catalog, () => ({ approved: false, reason: 'external recipients need a manager' }));
    const result = await engine.execute('try { await send_email("x@other.com"); } catch (e) { return e.message; }');
    expect(result.value).toBe('send_email was not approved: external recipients need a manager');
    expect(sent).toEqual([]);
  });

  it('fails an uncaught denial with ToolCallError caused by ToolApprovalError', async () => {
    const { catalog, sent } = createMailTools();
    const engine = engineWith(catalog, () => false);
    const error = await rejectionOf(engine.execute('await send_email("x@other.com");'));
    expect(error).toBeInstanceOf(ToolCallError);
    expect(error.cause).toBeInstanceOf(ToolApprovalError);
    expect(error.cause).toMatchObject({ code: 'ERR_TOOL_APPROVAL', outcome: 'denied', toolName: 'send_email' });
    expect(sent).toEqual([]);
  });

  it.each([
    ['undefined', undefined],
    ['a truthy string', 'yes'],
    ['{ approved: "true" }', { approved: 'true' }],
  ])('denies on a decision that is not an explicit yes: %s', async (_label, decision) => {
    const { catalog, sent } = createMailTools();
    const engine = engineWith(catalog, () => decision as never);
    const error = await rejectionOf(engine.execute('await send_email("a@b.c");'));
    expect(error.cause).toMatchObject({ outcome: 'denied' });
    expect(sent).toEqual([]);
  });

  it('denies when onApproval throws, keeping its error as the cause', async () => {
    const { catalog, sent } = createMailTools();
    const failure = new Error('approval service down');
    const engine = engineWith(catalog, () => { throw failure; });
    const error = await rejectionOf(engine.execute('await send_email("a@b.c");'));
    expect(error.cause).toMatchObject({ outcome: 'failed' });
    expect(error.cause.cause).toBe(failure);
    expect(sent).toEqual([]);
  });

  it('asks only for the calls a needsApproval function picks', async () => {
    const { catalog, sent } = createMailTools(({ to }) => !to.endsWith('@example.com'));
    const asked: unknown[] = [];
    const engine = engineWith(catalog, ({ input }) => (asked.push(input), false));
    const result = await engine.execute('const inside = await send_email("ada@example.com"); let outside; try { await send_email("x@other.com"); } catch (e) { outside = "denied"; } return [inside, outside];');
    expect(result.value).toEqual(['sent to ada@example.com', 'denied']);
    expect(asked).toEqual([{ to: 'x@other.com' }]);
    expect(sent).toEqual(['ada@example.com']);
  });

  it('pauses the time limit while a call waits: a wait longer than the limit is not script time', async () => {
    const { catalog } = createMailTools();
    const engine = engineWith(catalog, () => new Promise((resolve) => setTimeout(() => resolve(true), 1_500)));
    await engine.execute('return 0');
    const result = await engine.execute('const sent = await send_email("a@b.c"); const found = await lookup(); return [sent, found];', { timeoutMs: 500 });
    expect(result.value).toEqual(['sent to a@b.c', 'found']);
  });

  it('still stops a script that runs past its limit after a paused wait', async () => {
    const { catalog } = createMailTools();
    const engine = engineWith(catalog, () => new Promise((resolve) => setTimeout(() => resolve(true), 300)));
    const error = await rejectionOf(engine.execute('await send_email("a@b.c"); while (true) {}', { timeoutMs: 500 }));
    expect(error.code).toBe('ERR_EXECUTION_TIMEOUT');
  });

  it('denies a call whose approval takes longer than approvalTimeoutMs, and aborts the request', async () => {
    const { catalog, sent } = createMailTools();
    let requestSignal: AbortSignal | undefined;
    const engine = engineWith(catalog, ({ signal }) => ((requestSignal = signal), new Promise(() => {})), { approvalTimeoutMs: 200 });
    const error = await rejectionOf(engine.execute('await send_email("a@b.c");'));
    expect(error.cause).toMatchObject({ code: 'ERR_TOOL_APPROVAL', outcome: 'timed-out' });
    expect(requestSignal?.aborted).toBe(true);
    expect(sent).toEqual([]);
  });

  it('ends a call that waits when its execution is aborted: the request is aborted and the handler never runs', async () => {
    const { catalog, sent } = createMailTools();
    const asked = createGate();
    let requestSignal: AbortSignal | undefined;
    const engine = engineWith(catalog, ({ signal }) => {
      requestSignal = signal;
      asked.open();
      return new Promise((resolve) => signal.addEventListener('abort', () => resolve(true)));
    });
    const controller = new AbortController();
    const running = rejectionOf(engine.execute('await send_email("a@b.c");', { signal: controller.signal }));
    expect(await asked.wait()).toBe(true);
    controller.abort();
    expect((await running).code).toBe('ERR_EXECUTION_ABORTED');
    expect(requestSignal?.aborted).toBe(true);
    expect(sent).toEqual([]);
  });

  it('handles many approvals at once, decided in reverse order', async () => {
    const { catalog, sent } = createMailTools();
    const pending: Array<() => void> = [];
    const allAsked = createGate();
    const engine = engineWith(catalog, () => new Promise<boolean>((resolve) => {
      pending.push(() => resolve(true));
      if (pending.length === 50) allAsked.open();
    }));
    const running = engine.execute('const sent = await Promise.all(Array.from({ length: 50 }, (_, i) => send_email(`u${i}@b.c`))); return sent.length;');
    expect(await allAsked.wait()).toBe(true);
    for (const approve of pending.reverse()) approve();
    expect((await running).value).toBe(50);
    expect(new Set(sent).size).toBe(50);
  });

  it('never asks twice for a call a re-run replays after the pool process died', async () => {
    const { catalog, sent, waiting, release } = createMailTools();
    let asked = 0;
    const engine = engineWith(catalog, () => (asked++, true));
    await engine.execute('return 0');
    const running = engine.execute('const sent = await send_email("a@b.c"); const waited = await wait_here(); return [sent, waited];');
    expect(await waiting.wait()).toBe(true);
    const [pid] = poolProcesses();
    process.kill(pid!, 'SIGKILL');
    release.open();
    const result = await running;
    expect(result.value).toEqual(['sent to a@b.c', 'released']);
    expect(result.metadata.reruns).toBe(1);
    expect(asked).toBe(1);
    expect(sent).toEqual(['a@b.c']);
  });

  it('refuses an engine whose catalog needs approvals but that has no onApproval', () => {
    const { catalog } = createMailTools();
    expect(() => createEngine({ catalog })).toThrow(InvalidOptionsError);
  });

  it('denies a call of a tool marked after the engine was created without onApproval', async () => {
    const catalog = new ToolCatalog().register({ name: 'lookup', handler: async () => 'found' });
    const engine = engineFor(catalog, { threads: 1 });
    let ran = false;
    catalog.register({ name: 'wire_money', needsApproval: true, handler: async () => { ran = true; } });
    const error = await rejectionOf(engine.execute('await wire_money();'));
    expect(error.cause).toMatchObject({ code: 'ERR_TOOL_APPROVAL', outcome: 'no-handler' });
    expect(ran).toBe(false);
  });
  it('behaves as the docs/api.md snippet says: internal recipients approved, others denied with the reason', async () => {
    const doc = readFileSync(new URL('../../docs/api.md', import.meta.url), 'utf8');
    const section = doc.slice(doc.indexOf('### Tool approvals'));
    const snippet = /```js\n([\s\S]*?)```/.exec(section)![1]!;
    const { catalog, sent } = createMailTools();
    const make = new Function('createEngine', 'catalog', `${snippet}\nreturn engine;`) as (create: typeof createEngine, tools: ToolCatalog) => ReturnType<typeof createEngine>;
    const engine = make((options) => engineFor(options.catalog, { ...options, threads: 1 }), catalog);
    const result = await engine.execute('const a = await send_email("ada@example.com"); let b; try { await send_email("x@other.com"); } catch (e) { b = e.message; } return [a, b];');
    expect(result.value).toEqual(['sent to ada@example.com', 'send_email was not approved: external recipients need a manager']);
    expect(sent).toEqual(['ada@example.com']);
  });
  it('tells event listeners how each approval ended and how long the call waited', async () => {
    const { catalog } = createMailTools(({ to }) => !to.endsWith('@example.com'));
    const engine = engineWith(catalog, ({ input }) => (input as { to: string }).to === 'boss@other.com');
    const seen: Array<{ toolName: string; outcome: string; waitedMs: number }> = [];
    engine.on('tool:approval', ({ toolName, outcome, waitedMs }) => seen.push({ toolName, outcome, waitedMs }));
    await engine.execute('await send_email("ada@example.com"); await send_email("boss@other.com"); try { await send_email("x@other.com"); } catch {}');
    expect(seen.map(({ toolName, outcome }) => [toolName, outcome])).toEqual([['send_email', 'approved'], ['send_email', 'denied']]);
    for (const event of seen) expect(event.waitedMs).toBeGreaterThanOrEqual(0);
  });
  it('ends the wait as soon as its execution is aborted, even when onApproval ignores its signal', async () => {
    const { catalog, sent } = createMailTools();
    const asked = createGate();
    const decided = createGate();
    const engine = engineWith(catalog, () => (asked.open(), new Promise(() => {})));
    const outcomes: string[] = [];
    engine.on('tool:approval', ({ outcome }) => (outcomes.push(outcome), decided.open()));
    const controller = new AbortController();
    const running = rejectionOf(engine.execute('await send_email("a@b.c");', { signal: controller.signal }));
    expect(await asked.wait()).toBe(true);
    controller.abort();
    expect((await running).code).toBe('ERR_EXECUTION_ABORTED');
    // Not after approvalTimeoutMs (10 minutes): the wait ended with the execution.
    expect(await decided.wait(5_000)).toBe(true);
    expect(outcomes).toEqual(['denied']);
    expect(sent).toEqual([]);
  });
});
