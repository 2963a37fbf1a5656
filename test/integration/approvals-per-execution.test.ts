// Approvals that belong to one execution (execute option `onApproval`; engine option
// `onApproval: 'per-execution'`), and `engine.toolsNeedingApproval(code)`, through the public API.
import { describe, expect, it } from 'vitest';
import { InvalidOptionsError, ToolCatalog, type ApprovalRequest } from 'toolweaver';
import { createGate, engineFor, poolProcesses, rejectionOf } from '../helpers.js';

function createTools() {
  const sent: string[] = [];
  const catalog = new ToolCatalog()
    .register({ name: 'mail.send', input: { type: 'object', properties: { to: { type: 'string' } }, required: ['to'] }, needsApproval: true, handler: async ({ to }: { to: string }) => (sent.push(to), `sent to ${to}`) })
    .register({ name: 'lookup', handler: async () => 'found' });
  return { catalog, sent };
}

describe('claim 15: a tool marked for approval never runs unasked (per-execution approvals)', () => {
  it('lets an execution\'s own onApproval decide its calls instead of the engine\'s', async () => {
    const { catalog, sent } = createTools();
    const engineAsked: ApprovalRequest[] = [];
    const ownAsked: ApprovalRequest[] = [];
    const engine = engineFor(catalog, { threads: 1, onApproval: (request) => (engineAsked.push(request), false) });
    const result = await engine.execute('return await mail.send("a@b.c")', { onApproval: (request) => (ownAsked.push(request), true), hostContext: { user: 'ada' } });
    expect(result.value).toBe('sent to a@b.c');
    expect(engineAsked).toEqual([]);
    expect(ownAsked).toHaveLength(1);
    expect(ownAsked[0]).toMatchObject({ toolName: 'mail.send', calledAs: 'mail.send', input: { to: 'a@b.c' }, hostContext: { user: 'ada' }, callIndex: 1 });
    const denied = await rejectionOf(engine.execute('await mail.send("x@y.z")'));
    expect(denied.cause).toMatchObject({ code: 'ERR_TOOL_APPROVAL', outcome: 'denied' });
    expect(engineAsked).toHaveLength(1);
    expect(sent).toEqual(['a@b.c']);
  });

  it('starts an engine with onApproval "per-execution", and denies the calls of an execution without one (no-handler)', async () => {
    const { catalog, sent } = createTools();
    const engine = engineFor(catalog, { threads: 1, onApproval: 'per-execution' });
    const error = await rejectionOf(engine.execute('await mail.send("a@b.c")'));
    expect(error.cause).toMatchObject({ code: 'ERR_TOOL_APPROVAL', outcome: 'no-handler' });
    expect((await engine.execute('return await mail.send("a@b.c")', { onApproval: () => true })).value).toBe('sent to a@b.c');
    expect(sent).toEqual(['a@b.c']);
    expect(engine.hasApprovalHandler).toBe(false);
  });

  it('asks each of two concurrent executions only about its own calls', async () => {
    const { catalog, sent } = createTools();
    const engine = engineFor(catalog, { threads: 1, onApproval: 'per-execution' });
    const asked: Record<string, unknown[]> = { a: [], b: [] };
    const bothAsked = createGate();
    const pending: Array<() => void> = [];
    const handler = (name: 'a' | 'b', verdict: boolean) => ({ input }: ApprovalRequest) => new Promise<boolean>((resolve) => {
      asked[name]!.push(input);
      pending.push(() => resolve(verdict));
      if (pending.length === 2) bothAsked.open();
    });
    const a = engine.execute('return await mail.send("a@x.y")', { onApproval: handler('a', true) });
    const b = rejectionOf(engine.execute('await mail.send("b@x.y")', { onApproval: handler('b', false) }));
    expect(await bothAsked.wait()).toBe(true);
    for (const decide of pending) decide();
    expect((await a).value).toBe('sent to a@x.y');
    expect((await b).cause).toMatchObject({ outcome: 'denied' });
    expect(asked).toEqual({ a: [{ to: 'a@x.y' }], b: [{ to: 'b@x.y' }] });
    expect(sent).toEqual(['a@x.y']);
  });

  it('never asks an execution\'s handler twice for a call a re-run replays after the pool process died', async () => {
    const { catalog, sent } = createTools();
    const waiting = createGate();
    const release = createGate();
    catalog.register({ name: 'wait_here', handler: async () => (waiting.open(), await release.wait(20_000), 'released') });
    const engine = engineFor(catalog, { threads: 1, onApproval: 'per-execution' });
    await engine.execute('return 0');
    let asked = 0;
    const running = engine.execute('const sent = await mail.send("a@b.c"); return [sent, await wait_here()];', { onApproval: () => (asked++, true) });
    expect(await waiting.wait()).toBe(true);
    process.kill(poolProcesses()[0]!, 'SIGKILL');
    release.open();
    const result = await running;
    expect(result.value).toEqual(['sent to a@b.c', 'released']);
    expect(result.metadata.reruns).toBe(1);
    expect(asked).toBe(1);
    expect(sent).toEqual(['a@b.c']);
  });

  it('aborts the request of an execution\'s handler when the engine is closed while it waits', async () => {
    const { catalog, sent } = createTools();
    const engine = engineFor(catalog, { threads: 1, onApproval: 'per-execution' });
    const asked = createGate();
    let requestSignal: AbortSignal | undefined;
    const running = rejectionOf(engine.execute('await mail.send("a@b.c")', { onApproval: ({ signal }) => ((requestSignal = signal), asked.open(), new Promise(() => {})) }));
    expect(await asked.wait()).toBe(true);
    await engine.close({ force: true });
    expect((await running).code).toBe('ERR_EXECUTION_ABORTED');
    expect(requestSignal?.aborted).toBe(true);
    expect(sent).toEqual([]);
  });

  it('rejects an onApproval that is neither a function nor "per-execution"', async () => {
    const { catalog } = createTools();
    expect(() => engineFor(catalog, { onApproval: 'always' as never })).toThrow(InvalidOptionsError);
    const engine = engineFor(catalog, { threads: 1, onApproval: 'per-execution' });
    expect((await rejectionOf(engine.execute('return 1', { onApproval: true as never }))).code).toBe('ERR_INVALID_OPTIONS');
  });
});

describe('engine.toolsNeedingApproval', () => {
  it('names the marked tools a script may call, and none for a script that would not run', () => {
    const { catalog } = createTools();
    const engine = engineFor(catalog, { threads: 1, onApproval: 'per-execution' });
    expect(engine.toolsNeedingApproval('return await lookup()')).toEqual([]);
    expect(engine.toolsNeedingApproval('const m = mail; return await m["se" + "nd"]("a@b.c")')).toEqual(['mail.send']);
    expect(engine.toolsNeedingApproval('return await mail.send(')).toEqual([]);
    expect(engine.toolsNeedingApproval('return await mail.sned("a")')).toEqual([]);
  });
});
