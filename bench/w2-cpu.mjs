// Issue 13's W2 (`Promise.all` of 1,000 no-op calls) through the public API, A/B against another
// built checkout: CPU microseconds per call of the host (process.cpuUsage) and of the pool
// process with its threads (/proc, Linux; 10 ms ticks), and wall time per call. Each sample is
// a fresh process running 100 scripts after 20 to warm up, the two sides alternating; more
// calls per sample than bench/compare.mjs (10 scripts), so steadier on a busy machine.
// Usage: npm run build && node bench/w2-cpu.mjs <other checkout, built> [rounds=6] [isolation=process]
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createFixtureToolDefinitions } from '../fixtures/tool-definitions.mjs';
import { childrenCpuMs } from './proc-cpu.mjs';
import { median } from './workloads.mjs';

const SCRIPTS = 100;
const CODE = 'const r = await Promise.all(Array.from({ length: 1000 }, () => noop())); return r.length;';

async function sample(dir, isolation) {
  const toolweaver = await import(`${dir}/dist/index.js`);
  const catalog = new toolweaver.ToolCatalog();
  for (const definition of createFixtureToolDefinitions({ latencyMs: 0 }).definitions) catalog.register(definition);
  const engine = toolweaver.createEngine({ catalog, threads: 2, isolation });
  for (let i = 0; i < 20; i++) await engine.execute(CODE);
  const childBefore = childrenCpuMs();
  const before = process.cpuUsage();
  const start = performance.now();
  for (let i = 0; i < SCRIPTS; i++) {
    if ((await engine.execute(CODE)).value !== 1_000) throw new Error('W2 returned another value');
  }
  const wall = performance.now() - start;
  const { user, system } = process.cpuUsage(before);
  const calls = SCRIPTS * 1_000;
  const result = { hostUs: (user + system) / calls, poolUs: ((childrenCpuMs() - childBefore) * 1000) / calls, wallUs: (wall * 1000) / calls };
  await engine.close();
  return result;
}

if (process.argv[2] === '--child') {
  console.log(JSON.stringify(await sample(process.argv[3], process.argv[4])));
} else {
  const here = resolve(fileURLToPath(new URL('..', import.meta.url)));
  const other = resolve(process.argv[2] ?? '');
  const rounds = Number(process.argv[3] ?? 6);
  const isolation = process.argv[4] ?? 'process';
  const runs = { other: [], this: [] };
  for (let round = 0; round < rounds; round++) {
    for (const [side, dir] of [['other', other], ['this', here]]) {
      const result = JSON.parse(execFileSync(process.execPath, [fileURLToPath(import.meta.url), '--child', dir, isolation], { encoding: 'utf8' }));
      runs[side].push(result);
      console.log(side, JSON.stringify(result));
    }
  }
  // In-process, the threads are the host's: there is no pool process.
  for (const key of isolation === 'process' ? ['hostUs', 'poolUs', 'wallUs'] : ['hostUs', 'wallUs']) {
    const [mine, theirs] = [median(runs.this.map((run) => run[key])), median(runs.other.map((run) => run[key]))];
    console.log(`${key} per call (${isolation}): this ${mine.toFixed(2)}, other ${theirs.toFixed(2)}, this is ${(theirs / mine).toFixed(2)}x as cheap`);
  }
}
