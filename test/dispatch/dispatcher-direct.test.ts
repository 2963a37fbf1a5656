// The dispatcher's direct path (issue 13, W2): a handler with nothing to wait for is called
// at once and answered without promise layers. These pin what must not change on it: every
// call of a frame counts as arrived before any answer, and the limits, approvals, bounds and
// failures of the path that waits.
import { describe, expect, it } from 'vitest';
import type { ToolDefinition } from '../../src/catalog/types.js';
import { createDispatcher, type CallSite, type DispatcherOptions } from '../../src/dispatch/index.js';
import { PayloadTooLargeError, ToolOutputError } from '../../src/errors.js';
import type { CallReply, CallRequest } from '../../src/protocol.js';
import { createGate } from '../helpers.js';
import { catalogOf, fakeCallSite } from './fake-site.js';

const OPTIONS: DispatcherOptions = { validateOutput: true, maxResultChars: 1_000_000, maxArgumentChars: 1_000_000, stubs: { tools: new Set<string>(), seed: '' }, approvalTimeoutMs: 1_000 };

function createSite(maxToolCalls = 100): CallSite & { ended: boolean; limitReached: number; end(): void } {
  const controller = new AbortController();
  const site = Object.assign(fakeCallSite('tw-direct'), {
    maxToolCalls,
    signal: controller.signal,
    limitReached: 0,
    exceedToolCallLimit() {
      site.limitReached++;
    },
    end() {
      site.ended = true;
      controller.abort();
    },
  });
  return site;
}

const call = (callId: number, tool: string, args: unknown[] = []): CallRequest => ({ executionId: 'tw-direct', slot: 1, callId, tool, argsJson: JSON.stringify(args) });

/** Dispatches `calls` in one synchronous loop, as the engine does with one frame; resolves with the replies once all came. */
function dispatchFrame(dispatcher: ReturnType<typeof createDispatcher>, site: CallSite, calls: CallRequest[]): { replies: CallReply[]; all: Promise<CallReply[]> } {
  const replies: CallReply[] = [];
  let done!: (replies: CallReply[]) => void;
  const all = new Promise<CallReply[]>((resolve) => (done = resolve));
  for (const request of calls) {
    dispatcher.dispatch(request, site, (reply) => {
      replies.push(reply);
      if (replies.length === calls.length) done(replies);
    });
  }
  return { replies, all };
}

const ids = (count: number): number[] => Array.from({ length: count }, (_, i) => i + 1);

describe('the direct path of a tool call', () => {
  it('answers a frame of synchronous handlers after the whole frame arrived: one dependency level', async () => {
    let runs = 0;
    const dispatcher = createDispatcher(catalogOf([{ name: 'now', handler: () => ++runs }]), OPTIONS);
    const site = createSite();
    const frame = dispatchFrame(dispatcher, site, ids(5).map((id) => call(id, 'now')));
    // Every handler ran while the frame was dispatched; no answer went out before its end.
    expect(runs).toBe(5);
    expect(frame.replies).toEqual([]);
    const replies = await frame.all;
    expect(replies.map((reply) => [reply.callId, reply.ok && reply.resultJson])).toEqual([[1, '1'], [2, '2'], [3, '3'], [4, '4'], [5, '5']]);
    expect(site.levels).toBe(1);
    expect(site.bytesFromTools).toBe(5);
    // The next frame, sent after those answers, is the next level.
    await dispatchFrame(dispatcher, site, [call(6, 'now')]).all;
    expect(site.levels).toBe(2);
  });

  it('holds a limited tool to its concurrency', async () => {
    const gate = createGate();
    let running = 0;
    let most = 0;
    const handler = async (): Promise<string> => {
      most = Math.max(most, ++running);
      await gate.wait();
      running--;
      return 'ok';
    };
    const dispatcher = createDispatcher(catalogOf([{ name: 'limited', concurrency: 2, handler }]), OPTIONS);
    const frame = dispatchFrame(dispatcher, createSite(), ids(6).map((id) => call(id, 'limited')));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(running).toBe(2);
    gate.open();
    expect((await frame.all).every((reply) => reply.ok)).toBe(true);
    expect(most).toBe(2);
  });

  it('never calls a handler marked for approval unasked, nor one that was denied', async () => {
    let runs = 0;
    const asked: string[] = [];
    const tools: ToolDefinition[] = [
      { name: 'always', needsApproval: true, handler: () => ++runs },
      { name: 'sometimes', needsApproval: () => true, handler: () => ++runs },
    ];
    const denying = createDispatcher(catalogOf(tools), { ...OPTIONS, onApproval: (request) => (asked.push(request.toolName), false) });
    const replies = await dispatchFrame(denying, createSite(), [call(1, 'always'), call(2, 'sometimes')]).all;
    expect(replies.map((reply) => reply.ok)).toEqual([false, false]);
    expect(asked.sort()).toEqual(['always', 'sometimes']);
    const unasked = createDispatcher(catalogOf(tools), OPTIONS);
    expect((await dispatchFrame(unasked, createSite(), [call(1, 'always')]).all)[0]!.ok).toBe(false);
    expect(runs).toBe(0);
  });

  it('refuses the call past maxToolCalls before its handler', async () => {
    let runs = 0;
    const dispatcher = createDispatcher(catalogOf([{ name: 'now', handler: () => ++runs }]), OPTIONS);
    const site = createSite(3);
    const replies = await dispatchFrame(dispatcher, site, ids(4).map((id) => call(id, 'now'))).all;
    expect(replies.sort((a, b) => a.callId - b.callId).map((reply) => reply.ok)).toEqual([true, true, true, false]);
    expect(runs).toBe(3);
    expect(site.limitReached).toBe(1);
  });

  it('fails only the call whose handler threw, rejected, or gave a thenable that cannot be read, with the host error as the cause', async () => {
    const thrown = new Error('thrown');
    const rejected = new Error('rejected');
    const unreadable = new Error('then getter');
    const dispatcher = createDispatcher(
      catalogOf([
        { name: 'throws', handler: () => { throw thrown; } },
        { name: 'rejects', handler: () => Promise.reject(rejected) },
        { name: 'unreadable', handler: () => ({ get then(): never { throw unreadable; } }) },
        { name: 'fine', handler: () => 'fine' },
      ]),
      OPTIONS,
    );
    const site = createSite();
    const replies = await dispatchFrame(dispatcher, site, [call(1, 'throws'), call(2, 'rejects'), call(3, 'unreadable'), call(4, 'fine')]).all;
    const byId = new Map(replies.map((reply) => [reply.callId, reply]));
    expect(byId.get(1)).toMatchObject({ ok: false, message: 'throws failed: thrown' });
    expect(byId.get(2)).toMatchObject({ ok: false, message: 'rejects failed: rejected' });
    expect(byId.get(3)).toMatchObject({ ok: false, message: 'unreadable failed: then getter' });
    expect(byId.get(4)).toMatchObject({ ok: true, resultJson: '"fine"' });
    expect([1, 2, 3].map((id) => site.failedCalls.get(id)?.error)).toEqual([thrown, rejected, unreadable]);
    expect(site.failedCalls.get(1)).toMatchObject({ tool: 'throws', callIndex: 1 });
  });

  it('adopts a thenable that is not a native promise', async () => {
    const dispatcher = createDispatcher(catalogOf([{ name: 'thenable', handler: () => ({ then: (resolve: (value: unknown) => void) => resolve({ n: 42 }) }) }]), OPTIONS);
    const [reply] = await dispatchFrame(dispatcher, createSite(), [call(1, 'thenable')]).all;
    expect(reply).toMatchObject({ ok: true, resultJson: '{"n":42}' });
  });

  it('keeps the result bound and the output check on synchronous results', async () => {
    const dispatcher = createDispatcher(
      catalogOf([
        { name: 'big', handler: () => 'x'.repeat(100) },
        { name: 'typed', output: { type: 'number' }, handler: () => 'not a number' },
      ]),
      { ...OPTIONS, maxResultChars: 50 },
    );
    const site = createSite();
    const replies = await dispatchFrame(dispatcher, site, [call(1, 'big'), call(2, 'typed')]).all;
    expect(replies.map((reply) => reply.ok)).toEqual([false, false]);
    expect(site.failedCalls.get(1)?.error).toBeInstanceOf(PayloadTooLargeError);
    expect((site.failedCalls.get(1)?.error as PayloadTooLargeError).code).toBe('ERR_PAYLOAD_TOO_LARGE');
    expect((site.failedCalls.get(2)?.error as ToolOutputError).code).toBe('ERR_TOOL_OUTPUT');
    expect(site.bytesFromTools).toBe(0);
  });

  it('does not run a queued handler of an execution that ended while it waited', async () => {
    const gate = createGate();
    let runs = 0;
    const dispatcher = createDispatcher(catalogOf([{ name: 'serial', concurrency: 1, handler: async () => { runs++; await gate.wait(); return runs; } }]), OPTIONS);
    const site = createSite();
    const frame = dispatchFrame(dispatcher, site, [call(1, 'serial'), call(2, 'serial')]);
    await new Promise((resolve) => setTimeout(resolve, 10));
    site.end();
    gate.open();
    const replies = await frame.all;
    expect(runs).toBe(1);
    expect(replies.find((reply) => reply.callId === 2)).toMatchObject({ ok: false, message: 'serial failed: the execution has ended' });
  });
});
