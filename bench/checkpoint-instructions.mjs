// Instructions per loop iteration of a checkpointed script, on the worker's own path (lockdown
// as the worker does it, the thread's shared Compartment, the compile cache, the real
// checkpoint), counted by callgrind: two runs that differ only in the loop's trip count, so
// everything but the loop cancels out. Repeatable on a busy machine, unlike wall time.
// Usage: node bench/checkpoint-instructions.mjs [dist-dir=./dist] [--meter] [--unsafe] [--runs=2] [--script=w5|w5-closure|nested|call]
//   --meter   runs with a heap meter (as in the pool process); --unsafe runs the same loop in a
//   plain `new Function` instead (no sandbox, no checkpoints). Needs valgrind; each count takes
//   a minute or two (two runs of node under callgrind).
// Child mode (used by the above under valgrind): ... --child <file with the prepared code>
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';

const SMALL = 1e6;
const LARGE = 4e6;


/** Loops to count: each takes its trip count as `N`. */
const SCRIPTS = {
  w5: (n) => `let s = 0;\nfor (let i = 0; i < ${n}; i++) s += i % 7;\nreturn s;`,
  // A short inner loop entered over and over: the per-entry cost of a checkpoint shape.
  nested: (n) => `let s = 0;\nfor (let i = 0; i < ${n / 4}; i++) { for (let j = 0; j < 4; j++) s += j; }\nreturn s;`,
  // W5 in a script that also has a function: the counter is then in the wrapper's context.
  'w5-closure': (n) => `const twice = (x) => x * 2;\nlet s = 0;\nfor (let i = 0; i < ${n}; i++) s += i % 7;\nreturn twice(s) / 2;`,
  // A function call per iteration: the cost of a checkpoint at every function entry.
  call: (n) => `function add(a, b) { return a + b; }\nlet s = 0;\nfor (let i = 0; i < ${n}; i++) s = add(s, i % 7);\nreturn s;`,
};

const args = process.argv.slice(2);
const flag = (name) => args.includes(name);
const option = (name, fallback) => args.find((arg) => arg.startsWith(`${name}=`))?.slice(name.length + 1) ?? fallback;
const positional = args.filter((arg) => !arg.startsWith('--'));
/** Runs of the script per count (`--runs=N`): later runs show what a thread's steady state costs. */
const RUNS = Number(option('--runs', 2));

async function child(distDir, codeFile) {
  const dist = (path) => pathToFileURL(resolve(distDir, path)).href;
  const code = readFileSync(codeFile, 'utf8');
  await import('ses');
  const { createCompileCache } = await import(dist('worker/compile-cache.js'));
  const { createEndowments } = await import(dist('worker/endowments.js'));
  const { sharedCompartment } = await import(dist('worker/shared-compartment.js'));
  const { createCheckpoint } = await import(dist('worker/checkpoint.js'));
  const { createHeapMeter } = await import(dist('worker/heap-meter.js'));
  const { getHeapStatistics } = await import('node:v8');
  lockdown({ errorTrapping: 'none', unhandledRejectionTrapping: 'none', overrideTaming: 'severe', errorTaming: 'safe', consoleTaming: 'unsafe', localeTaming: 'unsafe' });
  if (flag('--unsafe')) {
    for (let run = 0; run < RUNS; run++) await new Function(`return ${code}`)();
    return;
  }
  const meter = flag('--meter') ? createHeapMeter({ readUsedBytes: () => getHeapStatistics().used_heap_size, collect: () => {} }) : undefined;
  meter?.configure(2 ** 30);
  const cache = createCompileCache((text) => sharedCompartment().evaluate(text));
  for (let run = 0; run < RUNS; run++) {
    const checkpoint = createCheckpoint({ deadline: performance.now() + 600_000, ...(meter === undefined ? {} : { readHeap: () => meter.check(0) }) });
    // The worker's own endowments (a task with no tools and no context): the checkpoint as scripts get it.
    const endowments = createEndowments(undefined, [], undefined, undefined, checkpoint);
    const script = cache.get(code, endowments.names);
    await script.run(script.names.map((name) => endowments.valueOf(name)));
  }
}

/** The code the child runs: the validator's prepared code, or the bare wrapper for --unsafe. */
async function preparedCode(distDir, iterations) {
  const source = SCRIPTS[option('--script', 'w5')](iterations);
  if (flag('--unsafe')) return `(async function () {\n${source}\n})()`;
  const { validateScript } = await import(pathToFileURL(resolve(distDir, 'validate/index.js')).href);
  return validateScript(source).code;
}

async function countInstructions(distDir, iterations) {
  const dir = mkdtempSync(join(tmpdir(), 'tw-callgrind-'));
  try {
    const self = fileURLToPath(import.meta.url);
    const codeFile = join(dir, 'code.js');
    writeFileSync(codeFile, await preparedCode(distDir, iterations));
    await promisify(execFile)('valgrind', ['--tool=callgrind', `--callgrind-out-file=${join(dir, 'out')}`, process.execPath, '--single-threaded', self, distDir, ...args.filter((arg) => arg.startsWith('--')), '--child', codeFile], { maxBuffer: 64 * 2 ** 20 });
    const file = readdirSync(dir).find((name) => name.startsWith('out'));
    const summary = /^summary: (\d+)/m.exec(readFileSync(join(dir, file), 'utf8'));
    return Number(summary[1]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const distDir = resolve(positional[0] ?? fileURLToPath(new URL('../dist', import.meta.url)));
if (flag('--child')) {
  await child(distDir, positional[positional.length - 1]);
} else {
  const [small, large] = await Promise.all([countInstructions(distDir, SMALL), countInstructions(distDir, LARGE)]);
  const perIteration = (large - small) / (RUNS * (LARGE - SMALL));
  console.log(`${option('--script', 'w5')}${flag('--unsafe') ? ' (new Function)' : ''}${flag('--meter') ? ' (heap meter)' : ''}: ${perIteration.toFixed(1)} instructions per iteration (${distDir})`);
}
