// CPU time per script of one workload in the default isolation, split by where it is spent:
// the host process, the pool process's main thread (the relay), and the pool process's other
// threads (the worker threads, and V8's and libuv's helpers). Linux only (/proc). One build
// per run: alternate two builds yourself, in both orders (the side run second was measured
// dearer on a shared machine). Imports the build at <checkout>/dist.
// Usage: npm run build && node bench/cpu-by-process.mjs <checkout> [W1|W2|W3] [scripts]
import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { createFixtureToolDefinitions } from '../fixtures/tool-definitions.mjs';
import { childPids, statCpuMs } from './proc-cpu.mjs';

const [dir = '.', workload = 'W3', countArg] = process.argv.slice(2);
const SHAPES = {
  W1: { code: 'return 1;', inFlight: 32, latencyMs: 0, count: 10_000 },
  W2: { code: 'const r = await Promise.all(Array.from({ length: 1000 }, () => noop())); return r.length;', inFlight: 1, latencyMs: 0, count: 100 },
  W3: { code: readFileSync(new URL('../fixtures/scripts/team-expenses.js', import.meta.url), 'utf8'), inFlight: 64, latencyMs: 5, count: 1_500 },
};
const shape = SHAPES[workload];
const count = Number(countArg ?? shape.count);
const toolweaver = await import(`${resolve(dir)}/dist/index.js`);
const catalog = new toolweaver.ToolCatalog();
for (const definition of createFixtureToolDefinitions({ latencyMs: shape.latencyMs }).definitions) catalog.register(definition);
const engine = toolweaver.createEngine({ catalog, threads: 2 });

function sample() {
  const { user, system } = process.cpuUsage();
  const cpu = { host: (user + system) / 1000, poolMain: 0, poolOther: 0 };
  for (const pid of childPids()) {
    for (const tid of readdirSync(`/proc/${pid}/task`)) cpu[tid === pid ? 'poolMain' : 'poolOther'] += statCpuMs(`/proc/${pid}/task/${tid}/stat`);
  }
  return cpu;
}
async function run(scripts) {
  let started = 0;
  const begin = performance.now();
  await Promise.all(Array.from({ length: shape.inFlight }, async () => {
    while (started < scripts) {
      started++;
      await engine.execute(shape.code);
    }
  }));
  return scripts / ((performance.now() - begin) / 1000);
}

await run(Math.min(count, 1_000));
const before = sample();
const perSecond = await run(count);
const after = sample();
const us = (key) => ((after[key] - before[key]) * 1000) / count;
const total = us('host') + us('poolMain') + us('poolOther');
console.log(JSON.stringify({ workload, scripts: count, perSecond: Math.round(perSecond), usPerScript: { host: Math.round(us('host')), poolMain: Math.round(us('poolMain')), poolOther: Math.round(us('poolOther')), total: Math.round(total) } }));
await engine.close();
