// Batch benchmarks (issue #5): engine.executeMany over 10,000 team-expenses jobs with 5 ms of
// simulated latency per tool call (jobs/s, peak RSS), the compile-once gain, and a stream of
// 300,000 trivial jobs to show memory stays flat. Imports the build.
// Usage: npm run build && node bench/batch.mjs   (prints a markdown table for the README)
// Each case runs in its own child process, so one case's heap cannot inflate the next one's RSS.

import { execFileSync } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { DEFAULT_BATCH_CONCURRENCY, createEngine } from '../dist/index.js';
import { loadScript } from '../fixtures/scenarios.mjs';
import { createFixtureCatalog } from '../fixtures/tools.mjs';

const THIS_FILE = fileURLToPath(import.meta.url);
const RSS_SAMPLE_MS = 10;
const WARMUP_JOBS = 500;

/** The same script `n` times over, each copy a different string (so no cache can share it). */
function variantOf(code, i) {
  return `${code}\n// variant ${i}`;
}

function* jobsOf(code, count, distinct) {
  for (let i = 0; i < count; i++) yield { code: distinct ? variantOf(code, i) : code, context: { job: i } };
}

function trackPeakRss() {
  let peak = process.memoryUsage.rss();
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), RSS_SAMPLE_MS);
  return () => {
    clearInterval(timer);
    return Math.max(peak, process.memoryUsage.rss());
  };
}

async function drain(engine, jobs, concurrency) {
  let failed = 0;
  for await (const outcome of engine.executeMany(jobs, { concurrency })) if (outcome.status === 'rejected') failed++;
  return failed;
}

/**
 * One batch in this process: `jobs` runs of `scenario` (`trivial` or a fixture scenario name),
 * after a warm-up. `distinct` gives every job its own copy of the code (compiled per job).
 * `compileMs` is the main-thread time spent in `engine.compile` during the measured batch.
 * @returns {Promise<{ jobs: number, seconds: number, jobsPerSecond: number, compileMs: number, peakRssMb: number, startRssMb: number, failed: number }>}
 */
export async function measureBatch({ scenario = 'team-expenses', jobs = 10_000, latencyMs = 5, concurrency = DEFAULT_BATCH_CONCURRENCY, distinct = false }) {
  const code = scenario === 'trivial' ? 'return job * 2;' : await loadScript(scenario);
  const engine = createEngine({ catalog: createFixtureCatalog({ latencyMs }), threads: availableParallelism() });
  const compileTime = timeCompiles(engine);
  await drain(engine, jobsOf(code, WARMUP_JOBS, false), concurrency);
  compileTime.reset();
  const startRss = process.memoryUsage.rss();
  const stopRss = trackPeakRss();
  const started = performance.now();
  const failed = await drain(engine, jobsOf(code, jobs, distinct), concurrency);
  const seconds = (performance.now() - started) / 1000;
  const peakRss = stopRss();
  await engine.close();
  const mb = (bytes) => bytes / (1024 * 1024);
  return { jobs, seconds, jobsPerSecond: jobs / seconds, compileMs: compileTime.ms(), peakRssMb: mb(peakRss), startRssMb: mb(startRss), failed };
}

/** Wraps `engine.compile` (the batch calls it through the instance) to add up its time. */
function timeCompiles(engine) {
  const compile = engine.compile.bind(engine);
  let total = 0;
  engine.compile = (code) => {
    const started = performance.now();
    try {
      return compile(code);
    } finally {
      total += performance.now() - started;
    }
  };
  return { reset: () => (total = 0), ms: () => total };
}

/** Runs `measureBatch(options)` in a fresh Node process and returns its result. */
function inChild(options) {
  const out = execFileSync(process.execPath, [THIS_FILE, '--case', JSON.stringify(options)], { encoding: 'utf8', maxBuffer: 1 << 20 });
  return JSON.parse(out);
}

const fmt = (n, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

function printTable(rows) {
  console.log(`Node ${process.version}, ${availableParallelism()} cores, default concurrency ${DEFAULT_BATCH_CONCURRENCY}\n`);
  console.log('| case | jobs | jobs/s | time in \`compile\` | RSS after warm-up -> peak |');
  console.log('|---|---|---|---|---|');
  for (const [label, r] of rows) {
    const failed = r.failed > 0 ? ` (${r.failed} failed)` : '';
    console.log(`| ${label} | ${fmt(r.jobs)}${failed} | ${fmt(r.jobsPerSecond)} | ${fmt(r.compileMs)} ms | ${fmt(r.startRssMb)} -> ${fmt(r.peakRssMb)} MB |`);
  }
}

async function main() {
  const caseArg = process.argv.indexOf('--case');
  if (caseArg > 0) {
    process.stdout.write(JSON.stringify(await measureBatch(JSON.parse(process.argv[caseArg + 1]))));
    return;
  }
  const rows = [
    ['team-expenses, 5 ms latency, same code: compiled once', inChild({})],
    ['team-expenses, 5 ms latency, a distinct copy per job: compiled per job', inChild({ distinct: true })],
    ['team-expenses, 5 ms latency, concurrency 64', inChild({ concurrency: 64 })],
    ['team-expenses, 5 ms latency, concurrency 1,024', inChild({ concurrency: 1024 })],
    ['team-expenses, 100 ms latency, concurrency 64', inChild({ jobs: 2_000, latencyMs: 100, concurrency: 64 })],
    [`team-expenses, 100 ms latency, concurrency ${DEFAULT_BATCH_CONCURRENCY} (default)`, inChild({ jobs: 2_000, latencyMs: 100 })],
    ['trivial script, a stream of 10,000', inChild({ scenario: 'trivial', jobs: 10_000, latencyMs: 0 })],
    ['trivial script, a stream of 300,000', inChild({ scenario: 'trivial', jobs: 300_000, latencyMs: 0 })],
  ];
  printTable(rows);
  const [once, perJob] = [rows[0][1], rows[1][1]];
  console.log(`\nCompile once: ${fmt(once.jobsPerSecond)} vs ${fmt(perJob.jobsPerSecond)} jobs/s ` +
    `(+${fmt((once.jobsPerSecond / perJob.jobsPerSecond - 1) * 100, 1)}%); validation time ${fmt(once.compileMs, 1)} ms vs ` +
    `${fmt(perJob.compileMs)} ms (${fmt((perJob.compileMs * 1000) / perJob.jobs)} us per job) of main-thread time.`);
}

if (process.argv[1] === THIS_FILE) await main();
