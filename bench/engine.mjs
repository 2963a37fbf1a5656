// Engine benchmarks (issue #2): trivial throughput against the unsafe floor, a 1,000-call
// fan-out, and I/O-bound scripts, each with the pool in its child process (the default) and
// in-process, in one run so the two compare as a ratio (issue #4: what the boundary costs).
// Imports the build; `npm run bench` builds first.
// Each tinybench task is one round (a whole batch); rates are batch size / mean round time.

import { availableParallelism } from 'node:os';
import { Bench } from 'tinybench';
import { createEngine, ToolCatalog } from '../dist/index.js';
import { createScriptPool } from '../dist/pool/index.js';
import { createFixtureCatalog } from '../fixtures/tools.mjs';
import { sleep } from '../fixtures/latency.mjs';

const THREADS = availableParallelism();
const TRIVIAL_BATCH = 2_000;
const FAN_OUT_CALLS = 1_000;
const IO_SCRIPTS = 400;
const ISOLATIONS = ['process', 'in-process'];
const LIMITS = { maxOutputLines: 1_000, maxOutputChars: 100_000, maxArgumentChars: 1_048_576, maxArgumentCharsPerExecution: 16_777_216, maxValueChars: 1_048_576, maxToolCalls: 10_000 };

function benchOf(name) {
  return new Bench({ name, time: 1_500, iterations: 5, warmup: true, warmupTime: 500, warmupIterations: 3, throws: true });
}

function perSecond(task, unitsPerRound) {
  const meanMs = task.result.latency.mean;
  return unitsPerRound / (meanMs / 1000);
}

/** One engine per isolation mode, closed together. */
function enginesFor(catalog) {
  const engines = ISOLATIONS.map((isolation) => createEngine({ catalog, threads: THREADS, isolation }));
  return { engines, close: () => Promise.all(engines.map((engine) => engine.close())) };
}

/** Rates of `tasks` (in `ISOLATIONS` order), keyed by isolation mode. */
function byIsolation(tasks, unitsPerRound) {
  return Object.fromEntries(ISOLATIONS.map((isolation, i) => [isolation, perSecond(tasks[i], unitsPerRound)]));
}

/** 1: trivial scripts through execute() next to the same scripts on an unsafe baseline pool. */
export async function runTrivialBench() {
  const { engines, close } = enginesFor(new ToolCatalog());
  // The floor: an in-process pool with the same worker file, threads and scripts per thread,
  // whose handler runs the prepared code with plain `new Function` (no validation, no Compartment).
  const baseline = createScriptPool({ threads: THREADS, scriptsPerThread: 128, handler: 'unsafeRunBaseline' }, () => {});
  const distinct = Array.from({ length: TRIVIAL_BATCH }, (_, i) => `const x = ${i}; return x * 2;`);
  const prepared = distinct.map((code, i) => ({ executionId: `b-${i}`, slot: i + 1, code: `(async () => {\n${code}\n})()`, contextJson: undefined, tools: [], timeoutMs: 60_000, streamOutput: false, limits: LIMITS }));
  const bench = benchOf('trivial throughput');
  bench.add('unsafe new Function, same pool shape', async () => {
    await Promise.all(prepared.map((task) => baseline.run(task)));
  });
  for (const [i, engine] of engines.entries()) {
    bench.add(`execute(), same script each time (${ISOLATIONS[i]})`, async () => {
      await Promise.all(distinct.map(() => engine.execute('const x = 1; return x * 2;')));
    });
  }
  for (const [i, engine] of engines.entries()) {
    bench.add(`execute(), a different script each time (${ISOLATIONS[i]})`, async () => {
      await Promise.all(distinct.map((code) => engine.execute(code)));
    });
  }
  await bench.run();
  await close();
  await baseline.destroy();
  const [floorTask, ...rest] = bench.tasks;
  const floor = perSecond(floorTask, TRIVIAL_BATCH);
  const same = byIsolation(rest.slice(0, ISOLATIONS.length), TRIVIAL_BATCH);
  const different = byIsolation(rest.slice(ISOLATIONS.length), TRIVIAL_BATCH);
  return { floor, same, different };
}

/** 2: one script, Promise.all of 1,000 no-op tool calls. */
export async function runFanOutBench() {
  const { engines, close } = enginesFor(createFixtureCatalog());
  const code = `const r = await Promise.all(Array.from({ length: ${FAN_OUT_CALLS} }, () => noop())); return r.length;`;
  const bench = benchOf('fan-out');
  for (const [i, engine] of engines.entries()) {
    bench.add(`Promise.all of ${FAN_OUT_CALLS} no-op calls (${ISOLATIONS[i]})`, async () => {
      const result = await engine.execute(code);
      if (result.value !== FAN_OUT_CALLS) throw new Error('fan-out returned the wrong count');
    });
  }
  await bench.run();
  await close();
  return { callsPerSecond: byIsolation(bench.tasks, FAN_OUT_CALLS) };
}

/** 3: 400 scripts, each making 10 sequential tool calls of 10 ms. */
export async function runIoBoundBench() {
  const catalog = new ToolCatalog().register({
    name: 'fetch_page',
    input: { type: 'object', properties: { page: { type: 'number' } } },
    handler: async ({ page }, ctx) => {
      await sleep(10, ctx.signal);
      return { page, items: [page, page + 1] };
    },
  });
  const { engines, close } = enginesFor(catalog);
  const code = 'let total = 0; for (let page = 0; page < 10; page++) total += (await fetch_page(page)).items.length; return total;';
  const bench = benchOf('I/O-bound');
  for (const [i, engine] of engines.entries()) {
    bench.add(`${IO_SCRIPTS} scripts x 10 sequential 10 ms calls (${ISOLATIONS[i]})`, async () => {
      await Promise.all(Array.from({ length: IO_SCRIPTS }, () => engine.execute(code)));
    });
  }
  await bench.run();
  await close();
  return { scriptsPerSecond: byIsolation(bench.tasks, IO_SCRIPTS) };
}
