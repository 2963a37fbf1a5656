// Benchmark of validateScript() on a realistic 30-line model-written script (the budget is a
// median of 150 us). Imports the build: run `npx tsc -p tsconfig.build.json` first.
// Run directly (`node bench/validation.mjs`) for a one-line summary, or import runValidationBench().

import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { Bench } from 'tinybench';
import { validateScript } from '../dist/validate/index.js';

const FIXTURE_URL = new URL('../fixtures/scripts/validation-30-lines.js', import.meta.url);
const BENCH_TIME_MS = 2000;
const WARMUP_TIME_MS = 500;

/**
 * Measures validateScript() on the 30-line fixture.
 * @returns {Promise<{ medianUs: number, p99Us: number, samples: number }>}
 */
export async function runValidationBench() {
  const source = await readFile(FIXTURE_URL, 'utf8');
  // Fail loudly rather than time the error path if the fixture stops validating.
  validateScript(source);
  const bench = new Bench({
    name: 'validation',
    time: BENCH_TIME_MS,
    warmup: true,
    warmupTime: WARMUP_TIME_MS,
    throws: true,
  });
  bench.add('validateScript (30 lines)', () => {
    validateScript(source);
  });
  await bench.run();
  const result = bench.tasks[0]?.result;
  if (result === undefined || !('latency' in result)) {
    throw new Error(`validation bench did not complete: ${result?.state ?? 'no task'}`);
  }
  return {
    medianUs: result.latency.p50 * 1000,
    p99Us: result.latency.p99 * 1000,
    samples: result.latency.samplesCount,
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { medianUs, p99Us, samples } = await runValidationBench();
  console.log(
    `validation (30-line script): median ${medianUs.toFixed(1)} us, p99 ${p99Us.toFixed(1)} us, ${samples} samples`,
  );
}
