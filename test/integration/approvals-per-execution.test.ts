// Approvals that belong to one execution (execute option `onApproval`; engine option
// `onApproval: 'per-execution'`), and `engine.toolsNeedingApproval(code)`, through the public API.
import { describe, expect, it } from 'vitest';
import { InvalidOptionsError, ToolCatalog, type ApprovalRequest } from 'toolweaver';
import { createGate, engineFor, rejectionOf } from '../helpers.js';

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
