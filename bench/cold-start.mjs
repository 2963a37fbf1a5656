// W4, one sample: in this fresh Node process, create `kind` ('process', 'in-process',
// 'unsafe', or 'prewarmed': 'process' after `prewarmPool()` was called right after the
// import, PREWARM_LEAD_MS before the clock) and await the first result of `return 1;`.
// Prints one JSON line:
// `startMs` from `createEngine` (or the unsafe pool's constructor) to the first result, after
// every import and the catalog are ready (the W4); `processMs` from this process's
// start to the same point (node boot and imports included); `closeMs` for `close()`;
// `cpuMs`, CPU time spent from `createEngine` to the first result by this process's threads
// and the pool process's (Linux, from /proc; robust to a loaded machine where wall time is not).
// Usage: node bench/cold-start.mjs <kind> [checkout dir, default this one]
import { readFileSync, readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createFixtureToolDefinitions } from '../fixtures/tool-definitions.mjs';
import { createUnsafePool } from './unsafe-pool.mjs';

const kind = process.argv[2] ?? 'process';
/** How long before the clock the 'prewarmed' kind calls prewarmPool: enough for a cold start on a loaded machine. */
const PREWARM_LEAD_MS = 2_000;
const distDir = resolve(process.argv[3] ?? fileURLToPath(new URL('..', import.meta.url)));
const { definitions } = createFixtureToolDefinitions();

/** On-CPU ms of every thread of process `pid` so far (Linux); undefined elsewhere. */
function threadsCpuMs(pid) {
  try {
    return readdirSync(`/proc/${pid}/task`).reduce((sum, task) => sum + Number(readFileSync(`/proc/${pid}/task/${task}/schedstat`, 'utf8').split(' ')[0]) / 1e6, 0);
  } catch {
    return undefined;
  }
}

let start;
let cpuStart;
let poolPid;
let poolCpuStart = 0;
let value;
let close;
if (kind === 'unsafe') {
  cpuStart = threadsCpuMs(process.pid);
  start = performance.now();
  const pool = createUnsafePool({ definitions });
  value = (await pool.run('return 1;')).value;
  close = () => pool.destroy();
} else {
  const { createEngine, prewarmPool, ToolCatalog } = await import(`${distDir}/dist/index.js`);
  // A server that prewarms at startup and takes its first request a while later; its CPU
  // (the prewarmed process's boot) is not counted, being spent before the clock.
  const warm = kind === 'prewarmed' ? prewarmPool() : undefined;
  const catalog = new ToolCatalog();
  for (const definition of definitions) catalog.register(definition);
  if (kind === 'prewarmed') await new Promise((resolve) => setTimeout(resolve, PREWARM_LEAD_MS));
  poolCpuStart = warm === undefined ? 0 : threadsCpuMs(warm.pid);
  cpuStart = threadsCpuMs(process.pid);
  start = performance.now();
  const engine = createEngine({ catalog, isolation: kind === 'prewarmed' ? 'process' : kind });
  engine.on('pool:process-started', (event) => (poolPid = event.pid));
  value = (await engine.execute('return 1;')).value;
  close = () => engine.close();
}
const end = performance.now();
const cpuMs = threadsCpuMs(process.pid) - cpuStart + (poolPid === undefined ? 0 : threadsCpuMs(poolPid) - poolCpuStart);
if (value !== 1) throw new Error(`cold start returned ${JSON.stringify(value)}`);
await close();
console.log(JSON.stringify({ kind, startMs: end - start, processMs: end, closeMs: performance.now() - end, cpuMs }));
