// Queue benchmarks (issue 14): jobs/s of toolweaver/queue with 1 and 2 `toolweaver worker`
// processes, the overhead per job against engine.executeMany on the same engine, and what
// each job costs Redis (memory per 10,000 queued jobs, commands and Redis CPU per job).
// Starts its own redis-server (no persistence) on a free port. Imports the build.
// Usage: npm run build && node bench/queue.mjs [jobs=10000] [latencyMs=2]

import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { createEngine } from '../dist/index.js';
import { createJobQueue, createQueueWorker } from '../dist/queue/index.js';
import { createQueueCatalog, QUEUE_SCRIPT } from '../fixtures/queue-tools.mjs';

const JOBS = Number(process.argv[2] ?? 10_000);
const LATENCY_MS = Number(process.argv[3] ?? 2);
const CLI = fileURLToPath(new URL('../dist/cli/main.js', import.meta.url));
const TOOLS = fileURLToPath(new URL('../fixtures/queue-tools.mjs', import.meta.url));
const TEAMS = ['t-eng', 't-sales', 't-mkt', 't-ops', 't-sup'];
const fmt = (n, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

const jobs = (prefix) => Array.from({ length: JOBS }, (_, i) => ({ code: QUEUE_SCRIPT, context: { teamId: TEAMS[i % 5], jobKey: `${prefix}-${i}` }, id: `${prefix}-${i}` }));

async function startRedis() {
  const port = await new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port: free } = server.address();
      server.close(() => resolve(free));
    });
  });
  const dir = mkdtempSync(join(tmpdir(), 'tw-bench-redis-'));
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir], { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise((resolve) => child.stdout.on('data', (chunk) => chunk.toString().includes('Ready to accept') && resolve()));
  return { url: `redis://127.0.0.1:${port}`, stop: () => (child.kill('SIGKILL'), rmSync(dir, { recursive: true, force: true })) };
}

/** INFO fields as numbers: used_memory, total commands, Redis CPU seconds, calls per command. */
function redisStats(url) {
  const info = execFileSync('redis-cli', ['-u', url, 'INFO', 'all'], { encoding: 'utf8' });
  const calls = Object.fromEntries([...info.matchAll(/^cmdstat_([\w|]+):calls=(\d+)/gm)].map((m) => [m[1], Number(m[2])]));
  const field = (name) => Number(new RegExp(`^${name}:([\\d.]+)`, 'm').exec(info)?.[1] ?? NaN);
  return { memory: field('used_memory'), commands: field('total_commands_processed'), cpu: field('used_cpu_sys') + field('used_cpu_user'), calls };
}

async function runWorkerProcesses(url, name, count) {
  const children = [];
  for (let i = 0; i < count; i++) {
    const child = spawn(process.execPath, [CLI, 'worker', '--queue', name, '--redis', url, '--tools', TOOLS], { env: { ...process.env, TW_QUEUE_LATENCY_MS: String(LATENCY_MS) }, stdio: ['ignore', 'ignore', 'pipe'] });
    await new Promise((resolve) => child.stderr.on('data', (chunk) => chunk.toString().includes('taking jobs') && resolve()));
    children.push(child);
  }
  return children;
}

async function queueRun(url, name, workerCount) {
  const queue = createJobQueue({ connection: url, name });
  await queue.addMany(jobs(name));
  const children = await runWorkerProcesses(url, name, workerCount);
  const startedAt = performance.now();
  await queue.drain();
  const seconds = (performance.now() - startedAt) / 1000;
  for (const child of children) child.kill('SIGINT');
  await queue.close();
  return JOBS / seconds;
}

const redis = await startRedis();
try {
  // Memory and commands per job: 10,000 jobs added, none taken; then run in-process.
  const engine = createEngine({ catalog: createQueueCatalog({ latencyMs: LATENCY_MS }) });
  const probe = createJobQueue({ connection: redis.url, name: 'cost' });
  const before = redisStats(redis.url);
  const addStart = performance.now();
  await probe.addMany(jobs('cost'));
  const addSeconds = (performance.now() - addStart) / 1000;
  const queued = redisStats(redis.url);

  // executeMany on the same engine: the baseline.
  for await (const _ of engine.executeMany(jobs('warm').slice(0, 500))) void _;
  let started = performance.now();
  for await (const _ of engine.executeMany(jobs('direct'))) void _;
  const directRate = JOBS / ((performance.now() - started) / 1000);

  // The queued jobs, on one in-process worker on that engine.
  const worker = createQueueWorker({ connection: redis.url, name: 'cost', engine });
  started = performance.now();
  await probe.drain();
  const inProcessRate = JOBS / ((performance.now() - started) / 1000);
  const ran = redisStats(redis.url);
  await worker.close();
  await probe.close();
  await engine.close();

  const one = await queueRun(redis.url, 'one', 1);
  const two = await queueRun(redis.url, 'two', 2);

  console.log(`Node ${process.version}, ${availableParallelism()} cores, ${JOBS} team-expenses jobs (one team each, ${LATENCY_MS} ms per read tool, one report filed), Redis 7 without persistence\n`);
  console.log('| measure | result |');
  console.log('|---|---|');
  console.log(`| executeMany, one engine (baseline) | ${fmt(directRate)} jobs/s |`);
  console.log(`| queue, one in-process worker on that engine | ${fmt(inProcessRate)} jobs/s: ${fmt((1 / inProcessRate - 1 / directRate) * 1000, 2)} ms more per job |`);
  console.log(`| queue, 1 worker process | ${fmt(one)} jobs/s |`);
  console.log(`| queue, 2 worker processes | ${fmt(two)} jobs/s |`);
  console.log(`| adding (addMany, checked) | ${fmt(JOBS / addSeconds)} jobs/s |`);
  console.log(`| Redis memory per 10,000 queued jobs | ${fmt(((queued.memory - before.memory) / JOBS) * 10_000 / 1024 / 1024, 2)} MiB (${fmt((queued.memory - before.memory) / JOBS)} bytes/job) |`);
  console.log(`| Redis memory per 10,000 stored outcomes (jobs removed) | ${fmt(((ran.memory - before.memory) / JOBS) * 10_000 / 1024 / 1024, 2)} MiB |`);
  console.log(`| Redis commands per job (add to outcome) | ${fmt((ran.commands - before.commands) / JOBS, 1)} |`);
  console.log(`| Redis CPU per job (add to outcome) | ${fmt(((ran.cpu - before.cpu) / JOBS) * 1e6)} us |`);
  const perJob = Object.entries(ran.calls).map(([name, calls]) => [name, (calls - (before.calls[name] ?? 0)) / JOBS]).filter(([, n]) => n >= 0.5).sort((a, b) => b[1] - a[1]);
  console.log(`\nCommands per job (Lua scripts' own calls included): ${perJob.map(([name, n]) => `${name} ${fmt(n, 1)}`).join(', ')}`);
} finally {
  redis.stop();
}
