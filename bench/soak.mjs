// The soak (issue #15): 100,000 mixed scripts, benign and hostile, through one long-lived
// engine, in rounds of the chaos jobs (fixtures/chaos.mjs: loops, regexps, memory bombs that
// abort the pool process, failing and hanging tools, aborts, throws). After each round the
// host (after a gc) and the pool process are sampled; the report gives the RSS slope after
// warm-up (the first fifth of the rounds), in MB per 10,000 scripts, and every wrong outcome.
// Usage: npm run build && node --expose-gc bench/soak.mjs [total=100000] [perRound=5000]
import { execFileSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { createEngine } from '../dist/index.js';
import { CHAOS_ENGINE_OPTIONS, checkChaosOutcome, checkChaosTallies, createChaosCatalog, createChaosJobs, runChaos } from '../fixtures/chaos.mjs';

const mb = (bytes) => bytes / 1024 / 1024;
const poolRss = () => {
  const out = execFileSync('ps', ['-o', 'rss=,args=', '--ppid', String(process.pid)], { encoding: 'utf8' });
  return out.split('\n').filter((line) => line.includes('pool-process.js')).reduce((sum, line) => sum + Number.parseInt(line.trim(), 10) * 1024, 0);
};

/** Least-squares slope of `ys` over `xs`. */
function slope(xs, ys) {
  const n = xs.length;
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let num = 0;
  let den = 0;
  for (let i = 0; i < n; i++) {
    num += (xs[i] - mx) * (ys[i] - my);
    den += (xs[i] - mx) ** 2;
  }
  return den === 0 ? 0 : num / den;
}

export async function runSoak(total = 100_000, perRound = 5_000) {
  const tallies = new Map();
  const engine = createEngine({ catalog: createChaosCatalog(tallies), ...CHAOS_ENGINE_OPTIONS });
  const samples = [];
  let wrong = 0;
  let repeated = 0;
  let done = 0;
  const started = performance.now();
  try {
    while (done < total) {
      tallies.clear();
      const jobs = createChaosJobs({ total: Math.min(perRound, total - done) });
      const outcomes = await runChaos(engine, jobs);
      wrong += outcomes.filter((outcome, index) => checkChaosOutcome(jobs[index], outcome) !== undefined).length;
      repeated += checkChaosTallies(jobs, tallies).length;
      done += jobs.length;
      globalThis.gc?.();
      samples.push({ done, hostMb: mb(process.memoryUsage().rss), poolMb: mb(poolRss()) });
      console.error(`  ${done} scripts, host ${samples.at(-1).hostMb.toFixed(0)} MB, pool process ${samples.at(-1).poolMb.toFixed(0)} MB`);
    }
  } finally {
    await engine.close({ force: true });
  }
  const steady = samples.slice(Math.floor(samples.length / 5));
  const per10k = (key) => slope(steady.map((s) => s.done / 10_000), steady.map((s) => s[key]));
  return { total: done, elapsedMs: performance.now() - started, wrong, repeated, samples, hostSlopeMbPer10k: per10k('hostMb'), poolSlopeMbPer10k: per10k('poolMb') };
}

if (process.argv[1] === new URL(import.meta.url).pathname) {
  const result = await runSoak(Number(process.argv[2] ?? 100_000), Number(process.argv[3] ?? 5_000));
  const range = (key) => `${Math.min(...result.samples.map((s) => s[key])).toFixed(0)}-${Math.max(...result.samples.map((s) => s[key])).toFixed(0)} MB`;
  console.log(`soak: ${result.total} scripts in ${(result.elapsedMs / 1000).toFixed(0)} s, ${result.wrong} wrong outcomes, ${result.repeated} side-effecting calls not run exactly once`);
  console.log(`host RSS after each round ${range('hostMb')}, slope after warm-up ${result.hostSlopeMbPer10k.toFixed(2)} MB per 10,000 scripts`);
  console.log(`pool process RSS after each round ${range('poolMb')}, slope after warm-up ${result.poolSlopeMbPer10k.toFixed(2)} MB per 10,000 scripts`);
}
