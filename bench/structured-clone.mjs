// Cost of the sandbox's structuredClone (docs/sandbox-globals.md) against the platform's,
// outside the engine, with tinybench: the same values, the same process. Imports the build.
// Usage: npm run build && node bench/structured-clone.mjs   (prints a markdown table)
import { Bench } from 'tinybench';
import { createStructuredClone } from '../dist/worker/structured-clone.js';
import { createCheckpoint } from '../dist/worker/checkpoint.js';

// A real checkpoint, with no deadline in reach: what a script's copy pays per unit.
const sandboxClone = createStructuredClone(createCheckpoint({ deadline: Infinity }).fn);

const VALUES = {
  '1e6 numbers': Array.from({ length: 1e6 }, (_, i) => i),
  '1e5 small objects': Array.from({ length: 1e5 }, (_, i) => ({ id: i, name: `n${i}`, tags: ['a', 'b'] })),
  'Map of 1e5 entries': new Map(Array.from({ length: 1e5 }, (_, i) => [`k${i}`, { v: i }])),
  'sparse array, 1e6 holes': (() => { const a = []; a[1e6 - 1] = 1; return a; })(),
};

const bench = new Bench({ iterations: 10, warmupIterations: 2 });
for (const [label, value] of Object.entries(VALUES)) {
  bench.add(`sandbox: ${label}`, () => void sandboxClone(value));
  bench.add(`platform: ${label}`, () => void structuredClone(value));
}
await bench.run();
console.log('| value | sandbox median (ms) | platform median (ms) |\n|---|---|---|');
for (const label of Object.keys(VALUES)) {
  const median = (name) => bench.tasks.find((task) => task.name === name).result.latency.p50.toFixed(1);
  console.log(`| ${label} | ${median(`sandbox: ${label}`)} | ${median(`platform: ${label}`)} |`);
}
