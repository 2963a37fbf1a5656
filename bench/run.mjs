// `npm run bench`: issue 13's table. Five workloads (bench/workloads.mjs) on three setups: the
// engine in its default `isolation: 'process'`, the engine `'in-process'`, and the unsafe pool
// (bench/unsafe-pool.mjs, the design's floor), in interleaved rounds in one run: each round runs
// every setup on every workload in turn (the setups' order rotates per round), W4 in fresh
// processes. Figures are medians over rounds; ratios come from those medians. Then a second
// table: validation and the per-script sandbox cost.
// Usage: npm run bench   or   npm run build && node bench/run.mjs [rounds=5]
import { availableParallelism, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { SETUPS, THREADS, WORKLOADS, createSetup, measureColdStart, median } from './workloads.mjs';
import { runValidationBench } from './validation.mjs';
import { runCompartmentCostBench } from './compartment-cost.mjs';

const ROUNDS = Number(process.argv[2] ?? 5);
const here = fileURLToPath(new URL('..', import.meta.url));
/** Issue 13's goals: a throughput ratio (process / unsafe) at least, or a time multiple at most. */
const GOALS = {
  W1: { ratio: 0.4 }, W2: { ratio: 0.8 }, W3: { ratio: 0.9 }, W4: { ratio: 3, ms: 100 }, W5: { ratio: 1.3 },
};

const fmt = (n, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

const samples = Object.fromEntries(Object.keys(WORKLOADS).map((name) => [name, Object.fromEntries(SETUPS.map((kind) => [kind, []]))]));
const load = [loadavg()[0]];
const started = performance.now();
const setups = [];
for (const kind of SETUPS) setups.push(await createSetup(kind, here));
for (let round = 0; round < ROUNDS; round++) {
  const order = setups.map((_, i) => setups[(i + round) % setups.length]);
  for (const name of ['W1', 'W2', 'W3', 'W5']) {
    for (const setup of order) samples[name][setup.kind].push(await setup.run(name));
  }
  for (const setup of order) samples.W4[setup.kind].push((await measureColdStart(setup.kind, here)).startMs);
  load.push(loadavg()[0]);
}
await Promise.all(setups.map((setup) => setup.close()));
const roundsSeconds = (performance.now() - started) / 1000;

const validation = await runValidationBench();
const sandbox = await runCompartmentCostBench();

function cell(name, kind) {
  const value = median(samples[name][kind]);
  const { unit } = WORKLOADS[name];
  return unit === 'ms' ? `${fmt(value, 1)} ms` : `${fmt(value)} ${unit}`;
}

function row(name) {
  const { label, higherIsBetter } = WORKLOADS[name];
  const [processed, inProcess, unsafe] = SETUPS.map((kind) => median(samples[name][kind]));
  const goal = GOALS[name];
  const ratio = higherIsBetter ? processed / unsafe : processed / unsafe;
  const meets = higherIsBetter ? ratio >= goal.ratio : ratio <= goal.ratio && (goal.ms === undefined || processed <= goal.ms);
  const goalText = `${higherIsBetter ? '≥' : '≤'} ${goal.ratio}×${goal.ms === undefined ? '' : ` (≤ ${goal.ms} ms)`}`;
  const inProcessSlower = higherIsBetter ? inProcess < processed : inProcess > processed;
  const holds = `${meets ? 'yes' : 'no'}${inProcessSlower ? '; in-process slower' : ''}`;
  return `| ${label} | ${cell(name, 'process')} | ${cell(name, 'in-process')} | ${cell(name, 'unsafe')} | ${fmt(ratio, 2)}× | ${goalText} | ${holds} |`;
}

console.log(`Node ${process.version}, ${availableParallelism()} cores, ${THREADS} threads per setup; ${ROUNDS} interleaved rounds in ${fmt(roundsSeconds)} s, medians; load average ${fmt(Math.min(...load), 1)}-${fmt(Math.max(...load), 1)}\n`);
console.log('| workload | toolweaver (process) | in-process | unsafe pool | ratio (process / unsafe) | goal | holds |');
console.log('|---|---|---|---|---|---|---|');
for (const name of Object.keys(WORKLOADS)) console.log(row(name));
console.log('\n| benchmark | result |');
console.log('|---|---|');
console.log(`| validation of a 30-line script | median ${fmt(validation.medianUs, 1)} us, p99 ${fmt(validation.p99Us, 1)} us (goal: median ≤ 150 us) |`);
for (const [name, { medianUs, p99Us }] of Object.entries(validation.variants)) {
  console.log(`| validation, ${name} | median ${fmt(medianUs, 1)} us, p99 ${fmt(p99Us, 1)} us |`);
}
console.log(`| per-script sandbox cost in a locked-down thread | fresh Compartment + evaluate ${fmt(sandbox.compartmentUs, 1)} us vs \`new Function\` ${fmt(sandbox.newFunctionUs, 1)} us |`);
