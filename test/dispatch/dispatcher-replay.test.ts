// The dispatcher's side of "A re-run never repeats a tool call", without workers: a fake
// execution that is re-run by hand.
import { describe, expect, it } from 'vitest';
import { createDispatcher, type CallSite } from '../../src/dispatch/index.js';
import { Journal, ReplayBudget } from '../../src/dispatch/journal.js';
import type { CallReply, CallRequest } from '../../src/protocol.js';
import { createGate } from '../helpers.js';
import { catalogOf, fakeCallSite } from './fake-site.js';

function createSite(): CallSite & { run: number; diverged: string[]; rerun(): void } {
  const journal = new Journal(new ReplayBudget(1_000_000));
  const site = Object.assign(fakeCallSite('tw-test', journal), {
    diverged: [] as string[],
    replayDiverged(detail: string) {
      site.diverged.push(detail);
    },
    rerun() {
      site.run++;
      site.toolCalls = 0;
      site.bytesFromTools = 0;
      site.failedCalls.clear();
      journal.rerun();
    },
  });
  return site;
}

const call = (callId: number, tool: string, args: unknown[]): CallRequest => ({ executionId: 'tw-test', slot: 1, callId, tool, argsJson: JSON.stringify(args) });

/** Dispatches and resolves with the reply. */
function ask(dispatcher: ReturnType<typeof createDispatcher>, request: CallRequest, site: CallSite): Promise<CallReply> {
  return new Promise((resolve) => dispatcher.dispatch(request, site, resolve));
}

const OPTIONS = { validateOutput: true, maxResultChars: 1_000_000, maxArgumentChars: 1_000_000, stubs: { tools: new Set<string>(), seed: '' }, approvalTimeoutMs: 1_000 };

describe('claim: a re-run never repeats a tool call (dispatcher)', () => {
  it('answers a re-run call from the journal without calling the handler again', async () => {
    let writes = 0;
    const dispatcher = createDispatcher(catalogOf([{ name: 'write', handler: ({ n }: { n: number }) => `wrote ${n} (${++writes})` }]), OPTIONS);
    const site = createSite();
    expect(await ask(dispatcher, call(1, 'write', [{ n: 1 }]), site)).toMatchObject({ callId: 1, ok: true, resultJson: '"wrote 1 (1)"' });
    site.rerun();
    expect(await ask(dispatcher, call(7, 'write', [{ n: 1 }]), site)).toMatchObject({ callId: 7, ok: true, resultJson: '"wrote 1 (1)"' });
    expect(writes).toBe(1);
    expect(site.toolCalls).toBe(1);
    expect(site.bytesFromTools).toBe('"wrote 1 (1)"'.length);
    // A call past those of the lost run reaches the handler.
    expect(await ask(dispatcher, call(8, 'write', [{ n: 2 }]), site)).toMatchObject({ callId: 8, resultJson: '"wrote 2 (2)"' });
  });

  it('hands the re-run the answer of a call still running when its run was lost, and counts it once', async () => {
    const release = createGate();
    let writes = 0;
    const dispatcher = createDispatcher(catalogOf([{ name: 'slow_write', handler: async () => { writes++; await release.wait(); return 'done'; } }]), OPTIONS);
    const site = createSite();
    const toLostRun: CallReply[] = [];
    dispatcher.dispatch(call(1, 'slow_write', []), site, (reply) => toLostRun.push(reply));
    site.rerun();
    const replayed = ask(dispatcher, call(1, 'slow_write', []), site);
    release.open();
    expect(await replayed).toMatchObject({ ok: true, resultJson: '"done"' });
    expect(writes).toBe(1);
    // The lost run's late answer is recorded, not counted again for the re-run, and not sent
    // (call ids restart with each run: it could answer another call of the re-run).
    expect(site.bytesFromTools).toBe('"done"'.length);
    expect(toLostRun).toEqual([]);
  });

  it('replays a failed call with its host error as the cause, under the re-run call id', async () => {
    let attempts = 0;
    const failure = new Error('card declined');
    const dispatcher = createDispatcher(catalogOf([{ name: 'charge', handler: () => { attempts++; throw failure; } }]), OPTIONS);
    const site = createSite();
    await ask(dispatcher, call(2, 'charge', [{ first: true }]), site);
    await ask(dispatcher, call(3, 'charge', []), site);
    site.rerun();
    expect(site.failedCalls.size).toBe(0);
    // The re-run makes the calls in the other order: its failure is numbered as its own call.
    expect(await ask(dispatcher, call(5, 'charge', []), site)).toMatchObject({ callId: 5, ok: false });
    expect(site.failedCalls.get(5)).toMatchObject({ error: failure, callIndex: 1 });
    expect(attempts).toBe(2);
  });

  it('refuses a re-run call with other arguments to a tool that still owes calls, and reports the divergence', async () => {
    let writes = 0;
    const dispatcher = createDispatcher(catalogOf([{ name: 'log', handler: () => ++writes }]), OPTIONS);
    const site = createSite();
    await ask(dispatcher, call(1, 'log', [{ at: 1 }]), site);
    site.rerun();
    expect(await ask(dispatcher, call(1, 'log', [{ at: 2 }]), site)).toMatchObject({ ok: false });
    expect(site.diverged).toHaveLength(1);
    expect(site.diverged[0]).toContain('`log`');
    expect(writes).toBe(1);
  });

  it('records a call whose routing threw as the refusal it got, so its re-run gets the same one', async () => {
    let echoes = 0;
    const dispatcher = createDispatcher(catalogOf([{ name: 'echo', handler: (value: unknown) => (echoes++, value) }]), OPTIONS);
    const site = createSite();
    // Only a broken worker posts arguments that are not JSON: parsing them throws.
    const broken = { ...call(1, 'echo', []), argsJson: '[1,' };
    const first = await ask(dispatcher, broken, site);
    expect(first).toMatchObject({ ok: false, message: 'echo: the call could not be processed' });
    site.rerun();
    expect(await ask(dispatcher, { ...broken, callId: 2 }, site)).toMatchObject({ callId: 2, ok: false, message: 'echo: the call could not be processed' });
    expect(site.journal!.owed).toBe(0);
    expect(echoes).toBe(0);
  });
});
