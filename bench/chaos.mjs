// The chaos run as a measurement (issue #4): 2,000 scripts at once, ~90% benign. Reports
// wall time, outcomes by kind, and RSS before, at peak, and after close (host and pool process).
// Usage: npm run build && node --expose-gc bench/chaos.mjs
import { execFileSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { createEngine } from '../dist/index.js';
import { CHAOS_ENGINE_OPTIONS, checkChaosOutcome, checkChaosTallies, createChaosCatalog, createChaosJobs, killPoolProcesses, runChaos } from '../fixtures/chaos.mjs';

const mb = (bytes) => Math.round(bytes / 1024 / 1024);
/** Resident memory of the pool processes this process forked, in bytes. */
const poolRss = () => {
  const out = execFileSync('ps', ['-o', 'rss=,args=', '--ppid', String(process.pid)], { encoding: 'utf8' });
  return out.split('\n').filter((line) => line.includes('pool-process.js')).reduce((sum, line) => sum + Number.parseInt(line.trim(), 10) * 1024, 0);
};
const settle = async () => {
  globalThis.gc?.();
  await new Promise((resolve) => setTimeout(resolve, 200));
  globalThis.gc?.();
};

/** One chaos run; returns the numbers. */
export async function runChaosBench(total = 2000) {
  await settle();
  const rssBefore = process.memoryUsage().rss;
  let rssPeak = rssBefore;
  let poolRssPeak = 0;
  const sampler = setInterval(() => (rssPeak = Math.max(rssPeak, process.memoryUsage().rss)), 20);
  const poolSampler = setInterval(() => (poolRssPeak = Math.max(poolRssPeak, poolRss())), 100);
  const tallies = new Map();
  const engine = createEngine({ catalog: createChaosCatalog(tallies), ...CHAOS_ENGINE_OPTIONS });
  const jobs = createChaosJobs({ total });
  const started = performance.now();
  const outcomes = await runChaos(engine, jobs, { crash: killPoolProcesses });
  const elapsedMs = performance.now() - started;
  await engine.close({ force: true });
  clearInterval(sampler);
  clearInterval(poolSampler);
  await settle();
  const poolRssAfter = poolRss();
  const rssAfter = process.memoryUsage().rss;
  const tally = {};
  outcomes.forEach((outcome, index) => {
    const key = `${jobs[index].kind}: ${'value' in outcome ? 'value' : outcome.code}`;
    tally[key] = (tally[key] ?? 0) + 1;
  });
  const problems = outcomes.filter((outcome, index) => checkChaosOutcome(jobs[index], outcome) !== undefined).length;
  const repeatedEffects = checkChaosTallies(jobs, tallies).length;
  const reruns = outcomes.filter((outcome) => outcome.reruns > 0).length;
  return { total, elapsedMs, problems, repeatedEffects, reruns, tally, rssBeforeMb: mb(rssBefore), rssPeakMb: mb(rssPeak), rssAfterMb: mb(rssAfter), poolRssPeakMb: mb(poolRssPeak), poolRssAfterMb: mb(poolRssAfter) };
}

if (process.argv[1] === new URL(import.meta.url).pathname) {
  const result = await runChaosBench();
  console.log(`chaos run: ${result.total} scripts in ${Math.round(result.elapsedMs)} ms, ${result.problems} wrong outcomes, ${result.repeatedEffects} side-effecting calls not run exactly once, ${result.reruns} scripts re-run`);
  console.log(`host RSS: ${result.rssBeforeMb} MB before, ${result.rssPeakMb} MB peak, ${result.rssAfterMb} MB after close`);
  console.log(`pool process RSS: ${result.poolRssPeakMb} MB peak (sampled every 100 ms), ${result.poolRssAfterMb} MB after close`);
  for (const [key, count] of Object.entries(result.tally).sort()) console.log(`  ${key}: ${count}`);
}
