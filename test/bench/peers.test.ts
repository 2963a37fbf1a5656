// The peer harness (bench/peers/) must not time a wrong answer: every round checks each
// script's value and output and the number of calls that reached the fixture handlers. These
// tests run its checks on node:vm and toolweaver (no peer package needed) and on broken runners.
import { describe, expect, it } from 'vitest';
// @ts-expect-error: plain-JS bench modules.
import { WORKLOADS, getWorkload, measureRound } from '../../bench/peers/workloads.mjs';
// @ts-expect-error: plain-JS bench modules.
import { createCountedTools, createHostDispatcher } from '../../bench/peers/host-tools.mjs';
// @ts-expect-error: plain-JS bench modules.
import { createNodeVmRunner } from '../../bench/peers/engines/node-vm.mjs';
// @ts-expect-error: plain-JS bench modules.
import { createToolweaverRunner } from '../../bench/peers/engines/toolweaver.mjs';

type Result = { value: unknown; output: string[] };
type Runner = { run: (code: string) => Promise<Result>; close: () => Promise<void> };
type Workload = { id: string; code: string; scripts: number; latencyMs: number; expected: Result };

/** The workload `id` with only `scripts` scripts per round, so a test stays short. */
const small = (id: string, scripts = 4): Workload => ({ ...getWorkload(id), scripts });

describe('bench/peers workloads', () => {
  it('covers W1, W2, W3 and W5', () => {
    expect(WORKLOADS.map((w: Workload) => w.id)).toEqual(['W1', 'W2', 'W3', 'W5']);
  });

  it.each(['W1', 'W2', 'W3', 'W5'])('passes its own checks on node:vm with the fixture handlers (%s)', async (id) => {
    const workload = small(id, id === 'W5' ? 1 : 4);
    const tools = createCountedTools(workload.latencyMs);
    const ms = await measureRound(workload, 'node-vm', createNodeVmRunner(tools), tools.calls);
    expect(ms).toBeGreaterThan(0);
  });

  it.each(['W2', 'W3'])('passes its own checks on toolweaver in-process (%s)', async (id) => {
    const workload = small(id);
    const tools = createCountedTools(workload.latencyMs);
    const runner: Runner = createToolweaverRunner(tools, 'in-process');
    try {
      await expect(measureRound(workload, 'toolweaver', runner, tools.calls)).resolves.toBeGreaterThan(0);
    } finally {
      await runner.close();
    }
  });

  it('rejects a round with a wrong value, a missing line of output, or calls that never reached a handler', async () => {
    const workload = small('W3');
    const tools = createCountedTools(0);
    const { expected } = workload;
    const wrongValue: Runner = { run: async () => ({ value: [], output: expected.output }), close: async () => {} };
    const noOutput: Runner = { run: async () => ({ value: expected.value, output: [] }), close: async () => {} };
    // The right answer, hard-coded: the call count gives it away.
    const noCalls: Runner = { run: async () => structuredClone(expected), close: async () => {} };
    for (const runner of [wrongValue, noOutput, noCalls]) {
      await expect(measureRound(workload, 'broken', runner, tools.calls)).rejects.toThrow();
    }
  });
});

describe('bench/peers host dispatcher', () => {
  it('maps positional and named arguments onto the handler as toolweaver does', async () => {
    const { definitions } = createCountedTools(0);
    const { call } = createHostDispatcher(definitions);
    const positional = await call('get_expenses', ['m-01', 'Q3']);
    const named = await call('get_expenses', [{ memberId: 'm-01', quarter: 'Q3' }]);
    expect(positional.length).toBeGreaterThan(0);
    expect(named).toEqual(positional);
    await expect(call('no_such_tool', [])).rejects.toThrow();
  });
});
