// Engine events end to end, through the public API with real workers: execution and tool-call
// events in order (fan-out, a failing tool, a timeout, a re-run after the pool process is
// killed), lifecycle events, the data opt-in, diagnostics channels and a throwing listener.
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { describe, expect, it } from 'vitest';
import { InvalidOptionsError, type Engine, type EngineEventName, ENGINE_EVENT_NAMES } from 'toolweaver';
import { createGate, engineFor, poolProcesses, UNSTOPPABLE_RUNAWAY } from '../helpers.js';

type Recorded = [EngineEventName, any];

/** Records every event of `engine` in order. */
function record(engine: Engine): Recorded[] {
  const seen: Recorded[] = [];
  for (const name of ENGINE_EVENT_NAMES) engine.on(name, (event) => seen.push([name, event]));
  return seen;
}

const names = (seen: Recorded[], prefix: string): string[] => seen.filter(([name]) => name.startsWith(prefix)).map(([name, event]) => (name.startsWith('tool:') ? `${name}#${event.run}.${event.callIndex}` : name));

const TOOLS = [
  { name: 'double', input: { type: 'object', properties: { n: { type: 'number' } }, required: ['n'] }, handler: ({ n }: { n: number }) => n * 2 },
  { name: 'explode', handler: () => { throw new TypeError('kaboom'); } },
];

describe('engine events', () => {
  it('emits a fan-out script\'s events in order, with ids, counts and no script data', async () => {
    const engine = engineFor(TOOLS);
    const seen = record(engine);
    // Arguments and results no id, count or duration could spell by chance (an execution id
    // is a random UUID: "11" or "44" turn up in about one in five).
    const result = await engine.execute('const rs = await Promise.all([4817293, 22, 33].map((n) => double(n))); console.log("secret-line"); return rs');
    expect(result.value).toEqual([9634586, 44, 66]);
    const ids = new Set(seen.filter(([name]) => !name.startsWith('pool:')).map(([, event]) => event.executionId));
    expect([...ids]).toEqual([result.metadata.executionId]);
    const flow = names(seen, '').filter((name) => !name.startsWith('pool:'));
    expect(flow[0]).toBe('execution:start');
    expect(flow.slice(-2)).toEqual(['output', 'execution:end']);
    expect([...flow.slice(1, -2)].sort()).toEqual(['tool:end#0.1', 'tool:end#0.2', 'tool:end#0.3', 'tool:start#0.1', 'tool:start#0.2', 'tool:start#0.3']);
    for (const index of [1, 2, 3]) expect(flow.indexOf(`tool:start#0.${index}`)).toBeLessThan(flow.indexOf(`tool:end#0.${index}`));
    const ends = seen.filter(([name]) => name === 'tool:end').map(([, event]) => event);
    expect(ends.map((event) => [event.toolName, event.ok, event.bytes, event.replayed, event.run]).sort()).toEqual([['double', true, 2, false, 0], ['double', true, 2, false, 0], ['double', true, 7, false, 0]]);
    expect(ends.every((event) => typeof event.durationMs === 'number' && event.durationMs >= 0)).toBe(true);
    const end = seen.find(([name]) => name === 'execution:end')![1];
    expect(end).toMatchObject({ status: 'fulfilled', code: undefined, toolCalls: 3, reruns: 0, bytesFromTools: 11, bytesReturned: result.metadata.bytesReturned });
    expect(seen.find(([name]) => name === 'output')![1]).toEqual({ executionId: result.metadata.executionId, lineCount: 1, bytes: 12, truncated: false });
    const text = JSON.stringify(seen);
    for (const data of ['4817293', '9634586', 'secret-line']) expect(text).not.toContain(data);
  });

  it('carries arguments, results and printed lines with eventData: true', async () => {
    const engine = engineFor(TOOLS, { eventData: true });
    const seen = record(engine);
    await engine.execute('console.log("hello"); return await double(21)');
    expect(seen.find(([name]) => name === 'tool:start')![1].argumentsJson).toBe('[21]');
    expect(seen.find(([name]) => name === 'tool:end')![1].resultJson).toBe('42');
    expect(seen.find(([name]) => name === 'output')![1].lines).toEqual(['hello']);
  });

  it('reports a failing tool and a refused call with their codes, then the execution\'s code', async () => {
    const engine = engineFor(TOOLS);
    const seen = record(engine);
    await expect(engine.execute('try { await double("x"); } catch {} await explode();')).rejects.toMatchObject({ code: 'ERR_TOOL_CALL' });
    const ends = seen.filter(([name]) => name === 'tool:end').map(([, event]) => event);
    expect(ends.map((event) => [event.callIndex, event.toolName, event.ok, event.code, event.errorName])).toEqual([
      [1, 'double', false, 'ERR_TOOL_INPUT', 'ToolInputError'],
      [2, 'explode', false, undefined, 'TypeError'],
    ]);
    expect(JSON.stringify(seen)).not.toContain('kaboom');
    expect(names(seen, '').filter((name) => !name.startsWith('pool:'))).toEqual(['execution:start', 'tool:start#0.1', 'tool:end#0.1', 'tool:start#0.2', 'tool:end#0.2', 'output', 'execution:end']);
    expect(seen.at(-1)![1]).toMatchObject({ status: 'rejected', code: 'ERR_TOOL_CALL', toolCalls: 2 });
  });

  it('reports a timeout, the runaway\'s thread terminated and replaced', async () => {
    const engine = engineFor(TOOLS, { threads: 1, killGraceMs: 100 });
    await engine.execute('return 1');
    const seen = record(engine);
    const replaced = createGate();
    engine.on('pool:thread-replaced', () => replaced.open());
    const error = await engine.execute(UNSTOPPABLE_RUNAWAY, { timeoutMs: 300 }).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'ERR_EXECUTION_TIMEOUT' });
    expect(await replaced.wait()).toBe(true);
    const executionId = (error as { metadata: { executionId: string } }).metadata.executionId;
    const runaway = seen.find(([name]) => name === 'pool:runaway-terminated')![1];
    expect(runaway.executionId).toBe(executionId);
    expect(seen.find(([name]) => name === 'pool:thread-replaced')![1]).toMatchObject({ previousThreadId: runaway.threadId, cause: 'terminated' });
    expect(seen.find(([name]) => name === 'execution:end')![1]).toMatchObject({ executionId, status: 'rejected', code: 'ERR_EXECUTION_TIMEOUT' });
    expect((await engine.execute('return 2')).value).toBe(2);
  });

  it('reports a killed pool process, its replacement, and the re-run\'s replayed and new calls', async () => {
    const holding = createGate();
    const release = createGate();
    const tools = [...TOOLS, { name: 'hold', handler: async () => { holding.open(); await release.wait(20_000); return 'released'; } }];
    const engine = engineFor(tools, { threads: 1 });
    await engine.execute('return 0');
    const seen = record(engine);
    const started = createGate();
    engine.on('pool:process-replaced', () => started.open());
    const running = engine.execute('const held = await hold(); return [held, await double(2)]');
    expect(await holding.wait()).toBe(true);
    const [pid] = poolProcesses();
    process.kill(pid!, 'SIGKILL');
    expect(await started.wait()).toBe(true);
    release.open();
    const result = await running;
    expect(result.value).toEqual(['released', 4]);
    expect(seen.find(([name]) => name === 'pool:process-died')![1]).toEqual({ pid, cause: 'signal', signal: 'SIGKILL', exitCode: undefined, lostTasks: 1 });
    const newPid = seen.find(([name]) => name === 'pool:process-started')![1].pid;
    expect(seen.find(([name]) => name === 'pool:process-replaced')![1]).toEqual({ pid: newPid, previousPid: pid });
    expect(newPid).not.toBe(pid);
    const toolFlow = names(seen, 'tool:');
    expect([...toolFlow].sort()).toEqual(['tool:end#0.1', 'tool:end#1.1', 'tool:end#1.2', 'tool:start#0.1', 'tool:start#1.1', 'tool:start#1.2']);
    // The re-run's replayed call ends only once the lost run's handler answered; its next call follows.
    const at = (name: string): number => toolFlow.indexOf(name);
    expect(at('tool:start#0.1')).toBe(0);
    expect(at('tool:end#0.1')).toBeLessThan(at('tool:end#1.1'));
    expect(at('tool:start#1.1')).toBeLessThan(at('tool:end#1.1'));
    expect(at('tool:end#1.1')).toBeLessThan(at('tool:start#1.2'));
    const ends = seen.filter(([name]) => name === 'tool:end').map(([, event]) => [event.run, event.toolName, event.replayed]);
    expect(ends.sort()).toEqual([[0, 'hold', false], [1, 'double', false], [1, 'hold', true]]);
    expect(seen.at(-1)).toEqual(['execution:end', expect.objectContaining({ status: 'fulfilled', reruns: 1, replayedCalls: 1, toolCalls: 2 })]);
  });

  it('publishes on diagnostics channels only to subscribers, and survives a throwing listener', async () => {
    const engine = engineFor(TOOLS);
    const published: unknown[] = [];
    const onEnd = (message: unknown): void => void published.push(message);
    engine.on('tool:start', () => { throw new Error('listener bug'); });
    subscribe('toolweaver:tool:end', onEnd);
    try {
      expect((await engine.execute('return await double(1)')).value).toBe(2);
    } finally {
      unsubscribe('toolweaver:tool:end', onEnd);
    }
    expect(published).toEqual([expect.objectContaining({ toolName: 'double', ok: true, callIndex: 1 })]);
    await engine.execute('return await double(1)');
    expect(published).toHaveLength(1);
  });

  it('stops calling a listener removed with off, and rejects an unknown event name', async () => {
    const engine = engineFor(TOOLS);
    const seen: string[] = [];
    const listener = (event: { executionId: string }): void => void seen.push(event.executionId);
    engine.on('execution:start', listener);
    await engine.execute('return 1');
    engine.off('execution:start', listener);
    await engine.execute('return 1');
    expect(seen).toHaveLength(1);
    expect(() => engine.on('execution:begin' as never, () => {})).toThrow(InvalidOptionsError);
  });
});
