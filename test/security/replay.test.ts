// "A re-run never repeats a tool call", end to end: the pool process is killed under scripts
// in the middle of side-effecting tool sequences; each is re-run on the new pool process with
// its recorded answers, and every handler ran once per call the script made.
import { describe, expect, it } from 'vitest';
import { WorkerCrashedError, type EngineOptions } from 'toolweaver';
import { checkHostHealthAfterEach, createGate, engineFor, poolProcesses, rejectionOf } from '../helpers.js';

checkHostHealthAfterEach();

const SCRIPTS = 30;

/** Side-effecting tools: `append` pushes onto a named list; `hold` waits for the test. */
function createLedger() {
  const lists = new Map<string, number[]>();
  const release = createGate();
  const allHolding = createGate();
  let holds = 0;
  const tools = [
    { name: 'append', input: { type: 'object', properties: { list: { type: 'string' }, item: { type: 'number' } }, required: ['list', 'item'] }, handler: ({ list, item }: { list: string; item: number }) => { const items = lists.get(list) ?? []; lists.set(list, items); return items.push(item); } },
    { name: 'hold', handler: async () => { if (++holds === SCRIPTS) allHolding.open(); await release.wait(20_000); return 'released'; } },
    { name: 'log', input: { type: 'object', properties: { nonce: { type: 'number' } }, required: ['nonce'] }, handler: ({ nonce }: { nonce: number }) => { const items = lists.get('log') ?? []; lists.set('log', items); return items.push(nonce); } },
  ];
  return { tools, lists, release, allHolding, holds: () => holds };
}

/** Runs SCRIPTS copies of `codeFor(i)`, kills the pool process once all hold, and settles them. */
async function killUnderHolds(ledger: ReturnType<typeof createLedger>, options: Partial<EngineOptions>, codeFor: (i: number) => string): Promise<any[]> {
  const engine = engineFor(ledger.tools, { threads: 2, ...options });
  await engine.execute('return 0');
  const scripts = Array.from({ length: SCRIPTS }, (_, i) => engine.execute(codeFor(i)).then((result) => result, (error: unknown) => error));
  expect(await ledger.allHolding.wait()).toBe(true);
  const [pid] = poolProcesses();
  process.kill(pid!, 'SIGKILL');
  ledger.release.open();
  const outcomes = await Promise.all(scripts);
  expect(poolProcesses()).not.toContain(pid);
  expect((await engine.execute('return await append("after", 1)')).value).toBe(1);
  return outcomes;
}

/** Every outcome is WorkerCrashedError with side effects possible. */
function expectReported(outcomes: any[]): void {
  for (const error of outcomes) {
    expect(error).toBeInstanceOf(WorkerCrashedError);
    expect(error.sideEffectsPossible).toBe(true);
  }
}

describe('claim: a re-run never repeats a tool call', () => {
  it('re-runs the scripts of a killed pool process with their recorded answers: each call reached its handler once', async () => {
    const ledger = createLedger();
    const results = await killUnderHolds(ledger, {}, (i) => `
      const a = await append("L${i}", 1);
      const b = await append("L${i}", 2);
      const held = await hold();
      const c = await append("L${i}", 3);
      return [a, b, held, c];
    `);
    expect(results.map((result) => result.value)).toEqual(Array.from({ length: SCRIPTS }, () => [1, 2, 'released', 3]));
    for (let i = 0; i < SCRIPTS; i++) expect(ledger.lists.get(`L${i}`)).toEqual([1, 2, 3]);
    expect(ledger.holds()).toBe(SCRIPTS);
    expect(results.map(({ metadata }) => [metadata.reruns, metadata.replayedCalls, metadata.toolCalls])).toEqual(Array.from({ length: SCRIPTS }, () => [1, 3, 4]));
  });

  it('ends a re-run that calls a tool with other arguments than its lost run did, before that call reaches the handler', async () => {
    const ledger = createLedger();
    // Random arguments: the re-run's call cannot be the one the lost run made.
    expectReported(await killUnderHolds(ledger, {}, () => 'await log(Math.random()); await hold(); return "done";'));
    expect(ledger.lists.get('log')).toHaveLength(SCRIPTS);
  });

  it('with replayToolCalls off, reports every script of the killed pool process that had called tools', async () => {
    const ledger = createLedger();
    expectReported(await killUnderHolds(ledger, { replayToolCalls: false }, (i) => `await append("L${i}", 1); await hold(); return "done";`));
    for (let i = 0; i < SCRIPTS; i++) expect(ledger.lists.get(`L${i}`)).toEqual([1]);
  });

  it('reports instead of re-running a script whose calls did not fit maxReplayChars', async () => {
    const ledger = createLedger();
    // Each script's arguments alone are past the engine-wide budget of 8 characters.
    expectReported(await killUnderHolds(ledger, { maxReplayChars: 8 }, (i) => `await append("L${i}", 1); await hold(); return "done";`));
    for (let i = 0; i < SCRIPTS; i++) expect(ledger.lists.get(`L${i}`)).toEqual([1]);
  });
});
