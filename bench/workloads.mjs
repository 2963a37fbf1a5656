// The five workloads of issue 13 and the three setups they run on: the engine with
// `isolation: 'process'` (the default), the engine with `isolation: 'in-process'`, and the
// unsafe pool (bench/unsafe-pool.mjs, the design's floor). Shared by bench/run.mjs (the table)
// and bench/compare.mjs (A/B of two builds): the engine comes from the build at `distDir`,
// tools from fixtures/tool-definitions.mjs (no toolweaver import), so one copy of this file
// can drive any build. W4 (cold start) runs in fresh processes: see bench/cold-start.mjs.
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { createFixtureToolDefinitions } from '../fixtures/tool-definitions.mjs';
import { createUnsafePool } from './unsafe-pool.mjs';

export const THREADS = availableParallelism();
export const SETUPS = ['process', 'in-process', 'unsafe'];
const TEAM_EXPENSES = readFileSync(new URL('../fixtures/scripts/team-expenses.js', import.meta.url), 'utf8');
const COLD_START_URL = new URL('./cold-start.mjs', import.meta.url);

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

/** Runs `count` scripts with at most `inFlight` at once; scripts per second. */
async function throughput(run, code, count, inFlight, check) {
  let started = 0;
  const start = performance.now();
  const lane = async () => {
    while (started < count) {
      started++;
      check(await run(code));
    }
  };
  await Promise.all(Array.from({ length: inFlight }, lane));
  return count / ((performance.now() - start) / 1000);
}

/** Median wall time of `times` runs of `code`, one after the other, in ms. */
async function latency(run, code, times, check) {
  const samples = [];
  for (let i = 0; i < times; i++) {
    const start = performance.now();
    check(await run(code));
    samples.push(performance.now() - start);
  }
  return median(samples);
}

function expect(what, expected) {
  return (value) => {
    const actual = typeof expected === 'function' ? expected(value) : value === expected;
    if (!actual) throw new Error(`${what} returned ${JSON.stringify(value)?.slice(0, 200)}`);
  };
}

/**
 * The workloads. `measure(run)` gets a function that runs one script and resolves with its
 * value; it resolves with the workload's figure in `unit`. `higherIsBetter` says which way.
 */
export const WORKLOADS = {
  W1: {
    label: 'W1: 2,000 × `return 1;`, 32 in flight',
    unit: '/s', higherIsBetter: true, latencyMs: 0,
    measure: (run) => throughput(run, 'return 1;', 2_000, 32, expect('W1', 1)),
  },
  W2: {
    label: 'W2: `Promise.all` of 1,000 no-op calls',
    unit: 'calls/s', higherIsBetter: true, latencyMs: 0,
    // Median of 10 scripts, as calls per second.
    measure: async (run) => 1_000 / ((await latency(run, 'const r = await Promise.all(Array.from({ length: 1000 }, () => noop())); return r.length;', 10, expect('W2', 1_000))) / 1000),
  },
  W3: {
    label: 'W3: team expenses, 500 scripts, 21 calls of 5 ms, 64 in flight',
    unit: '/s', higherIsBetter: true, latencyMs: 5,
    measure: (run) => throughput(run, TEAM_EXPENSES, 500, 64, expect('W3', (value) => Array.isArray(value) && value.length > 0)),
  },
  W4: {
    label: 'W4: cold start, `createEngine` → first result',
    unit: 'ms', higherIsBetter: false,
    // Each sample is a fresh Node process (see cold-start.mjs).
    measure: undefined,
  },
  W5: {
    label: 'W5: `for (i < 1e7) s += i % 7`',
    unit: 'ms', higherIsBetter: false, latencyMs: 0,
    measure: (run) => latency(run, 'let s = 0; for (let i = 0; i < 1e7; i++) s += i % 7; return s;', 3, expect('W5', 29_999_994)),
  },
};

/** The fixture catalog of the build at `distDir`, with `latencyMs` before every tool. */
function catalogOf(toolweaver, latencyMs) {
  const catalog = new toolweaver.ToolCatalog();
  for (const definition of createFixtureToolDefinitions({ latencyMs }).definitions) catalog.register(definition);
  return catalog;
}

/**
 * One setup: `run(workloadName)` measures one workload once; `close()` ends it. Engines (and
 * the unsafe pool) are created once per setup and reused across rounds: one for tools without
 * latency (W1, W2, W5), one with 5 ms (W3). Each is warmed up by one pass of its workloads.
 */
export async function createSetup(kind, distDir) {
  const runners = new Map();
  const closers = [];
  for (const latencyMs of [0, 5]) {
    if (kind === 'unsafe') {
      const pool = createUnsafePool({ definitions: createFixtureToolDefinitions({ latencyMs }).definitions, threads: THREADS });
      runners.set(latencyMs, async (code) => (await pool.run(code)).value);
      closers.push(() => pool.destroy());
    } else {
      const toolweaver = await import(`${distDir}/dist/index.js`);
      const engine = toolweaver.createEngine({ catalog: catalogOf(toolweaver, latencyMs), threads: THREADS, isolation: kind });
      runners.set(latencyMs, async (code) => (await engine.execute(code)).value);
      closers.push(() => engine.close());
    }
  }
  const run = (name) => WORKLOADS[name].measure(runners.get(WORKLOADS[name].latencyMs));
  for (const name of ['W1', 'W2', 'W3', 'W5']) await run(name);
  return { kind, run, close: () => Promise.all(closers.map((close) => close())) };
}

/** W4 once: a fresh Node process creates `kind` and awaits its first result. */
export function measureColdStart(kind, distDir) {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [fileURLToPath(COLD_START_URL), kind, distDir], { encoding: 'utf8' }, (error, stdout) => {
      if (error !== null) return reject(error);
      resolve(JSON.parse(stdout));
    });
  });
}

export { median };
