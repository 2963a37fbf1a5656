// Runtime cost of the checkpoints validation puts in every loop and function body: CPU-bound
// scripts run through the engine (1 thread, real SES), timed per execution. Imports the
// build: run `npx tsc -p tsconfig.build.json` first.
// Usage: node bench/checkpoint-overhead.mjs [other-dist-dir]
//   With another build's dist/ directory (a copy of it made before the checkpoints, say),
//   both builds run in this process, alternating round by round, and the table gives the
//   ratio of medians from the same run.
// Usage: node bench/checkpoint-overhead.mjs --w5 [other-dist-dir]
//   Issue 13's W5: the tight loop through the engine in both isolations (and through the
//   other build's, if given) beside the same loop in a plain `new Function` (no sandbox, no
//   checkpoints), interleaved round by round; ratios are against `new Function`.
// Usage: node bench/checkpoint-overhead.mjs --w5-cpu [other-dist-dir]
//   The same in CPU time of this process (in-process engines, so the worker thread's time is
//   in it): steadier than wall time on a busy machine. Includes the host's share of execute().
import { pathToFileURL } from 'node:url';
import { resolve } from 'node:path';

const ROUNDS = 6;
const RUNS_PER_ROUND = 5;

/** CPU-bound scripts: the loop shapes the checkpoints cost most in. */
export const OVERHEAD_SCRIPTS = {
  'sum 1e7 in a for loop': 'let s = 0;\nfor (let i = 0; i < 1e7; i++) s += i;\nreturn s;',
  'sum 1e7 as int32 in a for loop': 'let s = 0;\nfor (let i = 0; i < 1e7; i++) s = (s + i) | 0;\nreturn s;',
  'call a function 1e7 times': 'function add(a, b) { return a + b; }\nlet s = 0;\nfor (let i = 0; i < 1e7; i++) s = add(s, i);\nreturn s;',
  'map/filter/reduce over 1e6 items': 'const a = Array.from({ length: 1e6 }, (_, i) => i);\nreturn a.map((x) => x * 2).filter((x) => x % 3).reduce((p, x) => p + x, 0);',
  'recursive fib(27)': 'const fib = (n) => (n < 2 ? n : fib(n - 1) + fib(n - 2));\nreturn fib(27);',
  // Loops that allocate as they go: the heap meter reads the heap more often in these.
  'build 1e6 objects in a for loop': 'const a = [];\nfor (let i = 0; i < 1e6; i++) a.push({ i, name: "n" + i });\nreturn a.length;',
  'join 2e5 strings of 100 chars': 'const parts = [];\nfor (let i = 0; i < 2e5; i++) parts.push("x".repeat(99) + (i % 10));\nreturn parts.join("").length;',
};

/** Issue 13's W5 workload. */
export const W5_SCRIPT = 'let s = 0;\nfor (let i = 0; i < 1e7; i++) s += i % 7;\nreturn s;';

async function openEngine(distDir, isolation = 'process') {
  const { createEngine, ToolCatalog } = await import(pathToFileURL(resolve(distDir, 'index.js')).href);
  const engine = createEngine({ catalog: new ToolCatalog(), threads: 1, timeoutMs: 60_000, isolation });
  await engine.execute('return 0');
  return engine;
}

async function timeRuns(engine, code) {
  const times = [];
  for (let i = 0; i < RUNS_PER_ROUND; i++) {
    const start = performance.now();
    await engine.execute(code);
    times.push(performance.now() - start);
  }
  return times;
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
};

/**
 * Median ms per execution of each script on `distDir`, and on `otherDir` if given (the two
 * alternate, so machine noise hits both alike).
 */
export async function runCheckpointOverheadBench(distDir, otherDir) {
  const builds = [['this build', await openEngine(distDir)]];
  if (otherDir !== undefined) builds.push(['other build', await openEngine(otherDir)]);
  const samples = new Map();
  for (let round = 0; round < ROUNDS; round++) {
    const order = round % 2 === 0 ? builds : [...builds].reverse();
    for (const [label, code] of Object.entries(OVERHEAD_SCRIPTS)) {
      for (const [build, engine] of order) {
        const key = `${label}|${build}`;
        samples.set(key, [...(samples.get(key) ?? []), ...(await timeRuns(engine, code))]);
      }
    }
  }
  await Promise.all(builds.map(([, engine]) => engine.close()));
  return Object.keys(OVERHEAD_SCRIPTS).map((label) => {
    const mine = median(samples.get(`${label}|this build`));
    const other = otherDir === undefined ? undefined : median(samples.get(`${label}|other build`));
    return { script: label, thisMs: mine, otherMs: other, ratio: other === undefined ? undefined : mine / other };
  });
}

/** The W5 loop with no sandbox: the validator's wrapper shape, compiled fresh each run. */
const unsafeRunner = { execute: async (code) => ({ value: await new Function(`return (async function () {\n${code}\n})()`)() }) };

/**
 * Median ms per W5 execution for `new Function`, this build in both isolations, and the other
 * build in both isolations if given, interleaved; ratios against `new Function`.
 */
export async function runW5Bench(distDir, otherDir, rounds = 8) {
  const runners = [['new Function (unsafe)', unsafeRunner]];
  for (const isolation of ['process', 'in-process']) {
    runners.push([`this build, ${isolation}`, await openEngine(distDir, isolation)]);
    if (otherDir !== undefined) runners.push([`other build, ${isolation}`, await openEngine(otherDir, isolation)]);
  }
  const samples = new Map(runners.map(([label]) => [label, []]));
  for (let round = 0; round < rounds; round++) {
    const order = round % 2 === 0 ? runners : [...runners].reverse();
    for (const [label, runner] of order) samples.get(label).push(...(await timeRuns(runner, W5_SCRIPT)));
  }
  await Promise.all(runners.filter(([, runner]) => runner !== unsafeRunner).map(([, engine]) => engine.close()));
  const base = median(samples.get('new Function (unsafe)'));
  return runners.map(([label]) => ({ runner: label, ms: median(samples.get(label)), ratio: median(samples.get(label)) / base }));
}

/**
 * Median CPU ms of this process per W5 execution for `new Function`, this build in-process and
 * the other build in-process if given, warmed up, interleaved; ratios against `new Function`.
 */
export async function runW5CpuBench(distDir, otherDir, rounds = 20) {
  const runners = [['new Function (unsafe)', unsafeRunner], ['this build, in-process', await openEngine(distDir, 'in-process')]];
  if (otherDir !== undefined) runners.push(['other build, in-process', await openEngine(otherDir, 'in-process')]);
  for (const [, runner] of runners) for (let i = 0; i < 4; i++) await runner.execute(W5_SCRIPT);
  const samples = new Map(runners.map(([label]) => [label, []]));
  for (let round = 0; round < rounds; round++) {
    for (const [label, runner] of round % 2 === 0 ? runners : [...runners].reverse()) {
      const before = process.cpuUsage();
      await runner.execute(W5_SCRIPT);
      const used = process.cpuUsage(before);
      samples.get(label).push((used.user + used.system) / 1000);
    }
  }
  await Promise.all(runners.filter(([, runner]) => runner !== unsafeRunner).map(([, engine]) => engine.close()));
  const base = median(samples.get('new Function (unsafe)'));
  return runners.map(([label]) => ({ runner: label, ms: median(samples.get(label)), ratio: median(samples.get(label)) / base }));
}

if (process.argv[1] === new URL(import.meta.url).pathname && process.argv[2] === '--w5-cpu') {
  const rows = await runW5CpuBench(new URL('../dist', import.meta.url).pathname, process.argv[3]);
  console.log('| W5: `for (i < 1e7) s += i % 7` | CPU ms (median) | ratio to new Function |');
  console.log('|---|---|---|');
  for (const row of rows) console.log(`| ${row.runner} | ${row.ms.toFixed(1)} | ${row.ratio.toFixed(2)} |`);
} else if (process.argv[1] === new URL(import.meta.url).pathname && process.argv[2] === '--w5') {
  const rows = await runW5Bench(new URL('../dist', import.meta.url).pathname, process.argv[3]);
  console.log('| W5: `for (i < 1e7) s += i % 7` | ms (median) | ratio to new Function |');
  console.log('|---|---|---|');
  for (const row of rows) console.log(`| ${row.runner} | ${row.ms.toFixed(1)} | ${row.ratio.toFixed(2)} |`);
} else if (process.argv[1] === new URL(import.meta.url).pathname) {
  const rows = await runCheckpointOverheadBench(new URL('../dist', import.meta.url).pathname, process.argv[2]);
  console.log('| script | this build (ms, median) | other build (ms, median) | ratio |');
  console.log('|---|---|---|---|');
  for (const row of rows) {
    console.log(`| ${row.script} | ${row.thisMs.toFixed(1)} | ${row.otherMs?.toFixed(1) ?? ''} | ${row.ratio?.toFixed(2) ?? ''} |`);
  }
}
