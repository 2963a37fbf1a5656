import { describe, expect, it } from 'vitest';
import { countTokens } from 'toolweaver';
// @ts-expect-error: plain-JS fixtures shared with the demo and benches.
import { createFixtureCatalog, createFixtureTools } from '../../fixtures/tools.mjs';
// @ts-expect-error: plain-JS fixtures shared with the demo and benches.
import { getScenario, loadScript } from '../../fixtures/scenarios.mjs';
import { createGate, engineFor } from '../helpers.js';

const exampleOf = (prompt: string): string => /```js\n([\s\S]*?)\n```/.exec(prompt)![1]!;

describe('engine.instructions()', () => {
  it('has an example that runs against the catalog it declares', async () => {
    const engine = engineFor(createFixtureCatalog(), { stubs: true });
    const result = await engine.execute(exampleOf(engine.instructions()));
    expect(result.metadata.toolCalls).toBe(2);
    expect(Array.isArray(result.value)).toBe(true);
  });

  it('states the limits of its engine', () => {
    const engine = engineFor(createFixtureCatalog(), { timeoutMs: 5_000, maxToolCalls: 50, maxOutputLines: 20 });
    expect(engine.instructions()).toContain('- Limits: 5 s per script, 50 tool calls, 20 printed lines.');
    expect(engine.instructions({ outputs: false })).toContain('Promise<unknown>');
  });
});

describe('engine.report()', () => {
  const counter = (name: string, seen: number[]) => ({ name, handler: ({ n }: { n: number }) => (seen.push(n), { n, echo: `value ${n}` }), input: { type: 'object', properties: { n: { type: 'number' } }, required: ['n'] } });

  it('counts sequential levels: calls in flight together share one', async () => {
    const engine = engineFor([counter('t', [])]);
    const report = await engine.report('const a = await t(1); const [b, c] = await Promise.all([t(2), t(3)]); const d = await t(4); return d.n;');
    expect(report.result.value).toBe(4);
    expect(report.calls.map((call) => call.level)).toEqual([1, 2, 2, 3]);
    expect(report.levels).toBe(3);
    expect(report.traditional.llmCalls).toBe(4);
    expect(report.programmatic.llmCalls).toBe(1);
  });

  it('gives a call the level after every call answered before it was made, even one started earlier', async () => {
    const gate = createGate();
    const engine = engineFor([
      { name: 'slow', handler: async () => (await gate.wait(10_000), 'slow') },
      { name: 'fast', handler: () => 'fast' },
      { name: 'release', handler: () => (gate.open(), 'released') },
    ]);
    const report = await engine.report('const s = slow(); await fast(); await release(); await s; await fast(); return 1;');
    expect(report.calls.map((call) => [call.tool, call.level])).toEqual([['fast', 1], ['release', 2], ['slow', 1], ['fast', 3]]);
    expect(report.levels).toBe(3);
  });

  it('measures every result a tool-calling model would read, refused ones included', async () => {
    const engine = engineFor([counter('t', []), { name: 'broken', handler: () => { throw new Error('down'); } }]);
    const report = await engine.report('const a = await t(1); try { await broken(); } catch {} print("done"); return [a.n];');
    const ok = JSON.stringify({ n: 1, echo: 'value 1' });
    expect(report.calls.map((call) => [call.tool, call.ok, call.bytes, call.tokens])).toEqual([
      ['t', true, ok.length, countTokens(ok)],
      ['broken', false, 'broken failed: down'.length, countTokens('broken failed: down')],
    ]);
    expect(report.traditional).toEqual({ llmCalls: 3, bytes: ok.length + 'broken failed: down'.length, tokens: countTokens(ok) + countTokens('broken failed: down') });
    expect(report.programmatic).toEqual({ llmCalls: 1, bytes: report.result.metadata.bytesReturned, tokens: countTokens('[1]\ndone') });
    expect(report.result.metadata.tokensEstimated).toBe(countTokens('[1]\ndone'));
  });

  it('reports one round trip and nothing read for a script without tool calls', async () => {
    const report = await engineFor([]).report('return "hello ".repeat(20);');
    expect(report).toMatchObject({ levels: 0, calls: [], traditional: { llmCalls: 1, bytes: 0, tokens: 0 }, programmatic: { llmCalls: 1, tokens: countTokens(JSON.stringify('hello '.repeat(20))) } });
  });

  it('reproduces the seeds\' three round trips for team expenses', async () => {
    const scenario = getScenario('team-expenses');
    const engine = engineFor(createFixtureTools().catalog);
    const report = await engine.report(await loadScript('team-expenses'));
    expect(report.result.value).toEqual(scenario.expected);
    expect(report.calls).toHaveLength(scenario.expectedToolCalls);
    expect(report.traditional.llmCalls).toBe(3);
    expect(report.traditional.bytes).toBe(report.result.metadata.bytesFromTools);
  });

  it('rejects like execute when the script fails', async () => {
    await expect(engineFor([]).report('throw new Error("no")')).rejects.toMatchObject({ code: 'ERR_SCRIPT' });
  });
});
