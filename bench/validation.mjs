// Benchmark of validateScript() on realistic 30-line model-written scripts (the budget is a
// median of 150 us): the plain JavaScript fixture with normalization on (the default) and
// off, and a markdown reply holding the same script as TypeScript in a fence (fence taken,
// TypeScript blanked, last expression returned). Imports the build: run
// `npx tsc -p tsconfig.build.json` first. Run directly (`node bench/validation.mjs`) for a
// summary, or import runValidationBench().

import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { Bench } from 'tinybench';
import { validateScript } from '../dist/validate/index.js';

const PLAIN_URL = new URL('../fixtures/scripts/validation-30-lines.js', import.meta.url);
const REPLY_URL = new URL('../fixtures/scripts/model-reply-typescript.md', import.meta.url);
const BENCH_TIME_MS = 2000;
const WARMUP_TIME_MS = 500;

/**
 * Measures validateScript() on the fixtures.
 * @returns {Promise<{ medianUs: number, p99Us: number, samples: number, variants: Record<string, { medianUs: number, p99Us: number, samples: number }> }>}
 *   The top-level fields are the plain script with normalization on (the default path).
 */
export async function runValidationBench() {
  const plain = await readFile(PLAIN_URL, 'utf8');
  const reply = await readFile(REPLY_URL, 'utf8');
  const variants = {
    'plain JavaScript, normalization on': () => validateScript(plain),
    'plain JavaScript, normalization off': () => validateScript(plain, { normalize: false }),
    'TypeScript in a markdown fence': () => validateScript(reply),
  };
  // Fail loudly rather than time an error path if a fixture stops validating as expected.
  const normalized = validateScript(reply).normalized.join(',');
  if (normalized !== 'fence,typescript,last-expression') throw new Error(`the reply fixture normalized as [${normalized}]`);
  const bench = new Bench({ name: 'validation', time: BENCH_TIME_MS, warmup: true, warmupTime: WARMUP_TIME_MS, throws: true });
  for (const [name, run] of Object.entries(variants)) {
    run();
    bench.add(name, run);
  }
  await bench.run();
  const results = {};
  for (const task of bench.tasks) {
    const { result } = task;
    if (result === undefined || !('latency' in result)) {
      throw new Error(`validation bench did not complete: ${result?.state ?? 'no task'}`);
    }
    results[task.name] = { medianUs: result.latency.p50 * 1000, p99Us: result.latency.p99 * 1000, samples: result.latency.samplesCount };
  }
  return { ...results['plain JavaScript, normalization on'], variants: results };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { variants } = await runValidationBench();
  for (const [name, { medianUs, p99Us, samples }] of Object.entries(variants)) {
    console.log(`validation (30 lines, ${name}): median ${medianUs.toFixed(1)} us, p99 ${p99Us.toFixed(1)} us, ${samples} samples`);
  }
}
