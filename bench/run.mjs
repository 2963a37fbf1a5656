// Runs every benchmark in one process and prints a markdown table for the README. Engine
// rows show the default (pool in a child process) first, then `isolation: 'in-process'`.
// Usage: npm run bench   (builds first; needs a quiet machine for stable numbers)
import { availableParallelism } from 'node:os';
import { runFanOutBench, runIoBoundBench, runTrivialBench } from './engine.mjs';
import { runValidationBench } from './validation.mjs';
import { runCompartmentCostBench } from './compartment-cost.mjs';

const fmt = (n, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

const trivial = await runTrivialBench();
const fanOut = await runFanOutBench();
const io = await runIoBoundBench();
const validation = await runValidationBench();
const sandbox = await runCompartmentCostBench();

console.log(`Node ${process.version}, ${availableParallelism()} cores\n`);
console.log('| benchmark | result | target |');
console.log('|---|---|---|');
const modes = (rates, unit, digits = 0) =>
  `${fmt(rates.process, digits)} ${unit} (in-process: ${fmt(rates['in-process'], digits)}; boundary ${fmt(rates.process / rates['in-process'], 2)}x)`;
console.log(`| 1. trivial scripts, unsafe \`new Function\` floor (same pool shape, in-process) | ${fmt(trivial.floor)} scripts/s | |`);
console.log(`| 1. trivial scripts through \`execute\`, same code (validated once) | ${modes(trivial.same, 'scripts/s')} = ${fmt(trivial.same.process / trivial.floor, 2)}x floor | >= 0.8x |`);
console.log(`| 1. trivial scripts through \`execute\`, distinct code (validated each) | ${modes(trivial.different, 'scripts/s')} = ${fmt(trivial.different.process / trivial.floor, 2)}x floor | >= 0.8x |`);
console.log(`| 2. \`Promise.all\` of 1,000 no-op tool calls | ${modes(fanOut.callsPerSecond, 'calls/s')} | >= 250,000 |`);
console.log(`| 3. 400 scripts x 10 sequential 10 ms calls | ${modes(io.scriptsPerSecond, 'scripts/s')} | >= 900 |`);
console.log(`| 4. validation of a 30-line script | median ${fmt(validation.medianUs, 1)} us, p99 ${fmt(validation.p99Us, 1)} us | median <= 150 us |`);
for (const [name, { medianUs, p99Us }] of Object.entries(validation.variants)) {
  console.log(`| 4. validation, ${name} | median ${fmt(medianUs, 1)} us, p99 ${fmt(p99Us, 1)} us | |`);
}
console.log(`| per-script sandbox cost in a locked-down thread | fresh Compartment + evaluate ${fmt(sandbox.compartmentUs, 1)} us vs \`new Function\` ${fmt(sandbox.newFunctionUs, 1)} us | (explains 1) |`);
