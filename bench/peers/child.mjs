// One engine of the peer harness in its own process (so each peer gets its own flags and
// heap, and an idle engine costs the others nothing): answers `{ workload }` from run.mjs
// with the wall-clock and CPU milliseconds of one round, after checking every script's result and the number of
// calls that reached the handlers. Never reports a round whose check failed.

import { treeCpuMs } from './cpu-time.mjs';
import { createCountedTools } from './host-tools.mjs';
import { getWorkload, measureRound } from './workloads.mjs';

const engineId = process.argv[2];

async function createRunner(tools) {
  switch (engineId) {
    case 'toolweaver':
    case 'toolweaver-in-process': {
      const { createToolweaverRunner } = await import('./engines/toolweaver.mjs');
      return createToolweaverRunner(tools, engineId === 'toolweaver' ? 'process' : 'in-process');
    }
    case 'isolated-vm': return (await import('./engines/isolated-vm.mjs')).createIsolatedVmRunner(tools);
    case 'quickjs': return (await import('./engines/quickjs.mjs')).createQuickjsRunner(tools);
    case 'node-vm': return (await import('./engines/node-vm.mjs')).createNodeVmRunner(tools);
    default: throw new Error(`Unknown engine \`${engineId}\``);
  }
}

/** One runner per tool latency, made on first use and kept for the run. */
const runners = new Map();

async function runnerFor(latencyMs) {
  if (!runners.has(latencyMs)) {
    const tools = createCountedTools(latencyMs);
    runners.set(latencyMs, { tools, runner: await createRunner(tools) });
  }
  return runners.get(latencyMs);
}

async function runRound(workloadId) {
  const workload = getWorkload(workloadId);
  const { tools, runner } = await runnerFor(workload.latencyMs);
  const cpuBefore = treeCpuMs();
  const ms = await measureRound(workload, engineId, runner, tools.calls);
  const cpuAfter = treeCpuMs();
  return { ms, cpuMs: cpuBefore === undefined || cpuAfter === undefined ? undefined : cpuAfter - cpuBefore };
}

process.on('message', async (message) => {
  if (message.type === 'close') {
    await Promise.all([...runners.values()].map(({ runner }) => runner.close()));
    process.send({ type: 'closed' }, () => process.exit(0));
    return;
  }
  try {
    process.send({ type: 'round', ...(await runRound(message.workload)) });
  } catch (error) {
    process.send({ type: 'error', error: String(error?.stack ?? error) });
  }
});
process.send({ type: 'ready' });
