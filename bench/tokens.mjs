// Cost of `metadata.tokensEstimated` (issue #11): the bounded o200k_base count of what the model
// reads back (value JSON + output) for a small result, 8 KB (the exact bound) and 1 MB
// (sampled), against an exact count of the same 1 MB and the old characters/4 rule; plus
// the one-time cost of loading the encoding, measured in a fresh process.
// Usage: npm run build && node bench/tokens.mjs
import { execFileSync } from 'node:child_process';
import { Bench } from 'tinybench';
import { encode } from 'gpt-tokenizer/encoding/o200k_base';
import { countResultTokens } from '../dist/tokens.js';

if (process.argv[2] === '--load') {
  const { countTokens } = await import('../dist/tokens.js');
  const rss = process.memoryUsage().rss;
  const started = performance.now();
  countTokens('x');
  console.log(JSON.stringify({ loadMs: performance.now() - started, rssMb: (process.memoryUsage().rss - rss) / 1e6 }));
  process.exit(0);
}

/** JSON rows of about `chars` characters, like a tool result or a returned list. */
function rowsOf(chars) {
  const rows = [];
  let length = 2;
  for (let i = 0; length < chars; i++) {
    const row = JSON.stringify({ id: `L-${i}`, name: `Person ${(i * 7919) % 1000}`, email: `p${i}@example.com`, score: (i * 37) % 101 });
    rows.push(row);
    length += row.length + 1;
  }
  return `[${rows.join(',')}]`;
}

const small = { value: '{"over":[{"name":"Ada Lovelace","total":12850}],"count":1}', output: ['1 of 12 people spent more than $10,000 in Q3'] };
const medium = rowsOf(8_000);
const large = rowsOf(1_000_000);

export async function runTokensBench() {
  const bench = new Bench({ name: 'tokens', time: 1_000, warmup: true });
  bench
    .add('small: countResultTokens', () => countResultTokens(small.value, small.output))
    .add('small: characters / 4', () => Math.ceil((small.value.length + small.output[0].length + 1) / 4))
    .add('8 KB: countResultTokens (exact)', () => countResultTokens(medium, []))
    .add('1 MB: countResultTokens (sampled)', () => countResultTokens(large, []))
    .add('1 MB: exact encode', () => encode(large).length);
  await bench.run();
  const load = JSON.parse(execFileSync(process.execPath, [new URL(import.meta.url).pathname, '--load'], { encoding: 'utf8' }));
  const exact = encode(large).length;
  const sampled = countResultTokens(large, []);
  return { tasks: bench.tasks.map((task) => ({ name: task.name, meanUs: task.result.latency.mean * 1000, medianUs: task.result.latency.p50 * 1000, p99Us: task.result.latency.p99 * 1000 })), load, largeError: (sampled - exact) / exact };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { tasks, load, largeError } = await runTokensBench();
  console.log('| task | median | mean | p99 |\n|---|---:|---:|---:|');
  for (const task of tasks) console.log(`| ${task.name} | ${task.medianUs.toFixed(1)} us | ${task.meanUs.toFixed(1)} us | ${task.p99Us.toFixed(1)} us |`);
  console.log(`\nencoding load: ${load.loadMs.toFixed(0)} ms once per process, +${load.rssMb.toFixed(0)} MB RSS; 1 MB sampled estimate off the exact count by ${(largeError * 100).toFixed(2)}%`);
}
