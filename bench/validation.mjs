// Benchmark of validateScript() on realistic 30-line model-written scripts (the budget is a
// median of 150 us): the plain JavaScript fixture with normalization on (the default) and
// off, and a markdown reply holding the same script as TypeScript in a fence (fence taken,
// TypeScript blanked, last expression returned), and under it Babel's TypeScript parse of
// that fence alone, the floor of that variant. Imports the build: run
// `npx tsc -p tsconfig.build.json` first. Run directly (`node bench/validation.mjs`) for a
// summary, or import runValidationBench(). `node bench/validation.mjs --against <checkout>`
// times the same variants of another built checkout in the same run, interleaved (A/B);
// `--cpu-rounds N` adds N rounds of CPU time per call (process.cpuUsage(), which a shared
// machine's load moves less than wall time), each round running every task in turn.

import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { Bench } from 'tinybench';
import { blankOutsideFence, chooseFence, findFences } from '../dist/validate/extract-fence.js';
import { validateScript } from '../dist/validate/index.js';
import { parseScript } from '../dist/validate/parse.js';

const PLAIN_URL = new URL('../fixtures/scripts/validation-30-lines.js', import.meta.url);
const REPLY_URL = new URL('../fixtures/scripts/model-reply-typescript.md', import.meta.url);
const BENCH_TIME_MS = 2000;
const WARMUP_TIME_MS = 500;

/**
 * The variants, timing a build's validateScript (`validate`), and the floor under the
 * TypeScript one: Babel's parse of the fence's code with the `typescript` plugin alone
 * (`parse`, a build's parseScript), which any validation of that reply includes.
 */
function variantsOf({ validate, parse }, plain, reply, fenceCode) {
  return {
    'plain JavaScript, normalization on': () => validate(plain),
    'plain JavaScript, normalization off': () => validate(plain, { normalize: false }),
    'TypeScript in a markdown fence': () => validate(reply),
    "TypeScript fence, Babel's parse alone (no validation)": () => parse(fenceCode, { typescript: true, recover: false }),
  };
}

/**
 * Measures validateScript() on the fixtures; with `against` (a built checkout's directory),
 * that build's validateScript too, in the same run (its tasks' names end in ` [against]`).
 * @param {{ against?: string }} [options]
 * @returns {Promise<{ medianUs: number, p99Us: number, samples: number, variants: Record<string, { medianUs: number, p99Us: number, samples: number }> }>}
 *   The top-level fields are the plain script with normalization on (the default path).
 */
export async function runValidationBench(options = {}) {
  const tasks = await loadTasks(options);
  const bench = new Bench({ name: 'validation', time: BENCH_TIME_MS, warmup: true, warmupTime: WARMUP_TIME_MS, throws: true });
  for (const [name, run] of Object.entries(tasks)) bench.add(name, run);
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

/**
 * CPU time per call of each task (median over `rounds` rounds of `calls` calls), the tasks
 * taken in turn within each round, their order reversed every other round.
 * @param {{ against?: string, rounds: number, calls?: number }} options
 * @returns {Promise<Record<string, number>>} microseconds of CPU time per call, by task name
 */
export async function runCpuRounds(options) {
  const entries = Object.entries(await loadTasks(options));
  const calls = options.calls ?? 200;
  const samples = entries.map(() => []);
  for (let round = 0; round < options.rounds; round++) {
    const order = round % 2 === 0 ? entries.keys() : [...entries.keys()].reverse();
    for (const i of order) {
      const run = entries[i][1];
      const before = process.cpuUsage();
      for (let call = 0; call < calls; call++) run();
      const { user, system } = process.cpuUsage(before);
      samples[i].push((user + system) / calls);
    }
  }
  const median = (values) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)];
  return Object.fromEntries(entries.map(([name], i) => [name, median(samples[i])]));
}

/** The tasks to time, by name, each run once (and warmed up by that). */
async function loadTasks(options) {
  const plain = await readFile(PLAIN_URL, 'utf8');
  const reply = await readFile(REPLY_URL, 'utf8');
  // Fail loudly rather than time an error path if a fixture stops validating as expected.
  const normalized = validateScript(reply).normalized.join(',');
  if (normalized !== 'fence,typescript,last-expression') throw new Error(`the reply fixture normalized as [${normalized}]`);
  const fenceCode = blankOutsideFence(reply, chooseFence(findFences(reply)));
  const builds = [['', { validate: validateScript, parse: parseScript }]];
  if (options.against !== undefined) {
    const other = await import(pathToFileURL(resolve(options.against, 'dist/validate/index.js')).href);
    const otherParse = await import(pathToFileURL(resolve(options.against, 'dist/validate/parse.js')).href);
    builds.push([' [against]', { validate: other.validateScript, parse: otherParse.parseScript }]);
  }
  // Interleaved by variant, so both builds of one variant run close together in time.
  const tasks = {};
  for (const name of Object.keys(variantsOf(builds[0][1], plain, reply, fenceCode))) {
    for (const [suffix, build] of builds) {
      const run = variantsOf(build, plain, reply, fenceCode)[name];
      run();
      tasks[name + suffix] = run;
    }
  }
  return tasks;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({ options: { against: { type: 'string' }, 'cpu-rounds': { type: 'string' } } });
  const { variants } = await runValidationBench({ against: values.against });
  for (const [name, { medianUs, p99Us, samples }] of Object.entries(variants)) {
    console.log(`validation (30 lines, ${name}): median ${medianUs.toFixed(1)} us, p99 ${p99Us.toFixed(1)} us, ${samples} samples`);
  }
  if (values['cpu-rounds'] !== undefined) {
    const rounds = Number(values['cpu-rounds']);
    if (!Number.isInteger(rounds) || rounds < 1) throw new Error(`Expected \`--cpu-rounds\` to be a positive integer, got ${values['cpu-rounds']}`);
    for (const [name, cpuUs] of Object.entries(await runCpuRounds({ against: values.against, rounds }))) {
      console.log(`validation CPU time (30 lines, ${name}): median ${cpuUs.toFixed(1)} us per call over ${rounds} rounds`);
    }
  }
}
