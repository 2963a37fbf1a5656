// Where W4's time goes (createEngine -> first result): each step of the default isolation's
// cold start, measured alone in a fresh process (or a fresh worker thread), interleaved over
// rounds, medians. Steps on the critical path of `isolation: 'process'` in order: fork and
// boot the pool process, its imports and piscina, boot a worker thread, load ses and the
// worker's modules, lockdown, the first Compartment; on the host meanwhile (off that path,
// but sharing the cores): the first validation (Babel's first use). Also the import of the
// package itself, which happens before createEngine and is not in W4.
// Usage: npm run build && node bench/cold-start-breakdown.mjs [checkout dir, default this one] [rounds=5]
import { execFileSync, fork } from 'node:child_process';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';

const here = fileURLToPath(new URL('..', import.meta.url));
const [, , first, second, third] = process.argv;
const fmt = (n) => n.toFixed(1);

/** Runs in a fresh worker thread: each step of a pool worker's start, timed from inside. */
const WORKER_STEPS = `
const { parentPort, workerData } = require('node:worker_threads');
(async () => {
  const times = {};
  let t = performance.now();
  const lap = (name) => { const now = performance.now(); times[name] = now - t; t = now; };
  await import(workerData.ses); lap('import ses');
  await import(workerData.modules); lap("import the worker's other modules");
  lockdown({ errorTrapping: 'none', unhandledRejectionTrapping: 'none', overrideTaming: 'severe', errorTaming: 'safe', consoleTaming: 'unsafe', localeTaming: 'unsafe' }); lap('lockdown');
  const run = () => { const c = new Compartment({ globals: { print() {} }, __options__: true }); Object.freeze(c.globalThis); return c.evaluate('(async () => { return 1; })()'); };
  await run(); lap('first Compartment + evaluate');
  await run(); lap('second Compartment + evaluate');
  parentPort.postMessage(times);
})();`;

async function part(name, dir) {
  const dist = (path) => new URL(`file://${dir}/dist/${path}`).href;
  switch (name) {
    case 'fork': {
      // An empty ESM child with an IPC channel: the floor of any pool process.
      const start = performance.now();
      const child = fork(fileURLToPath(new URL('./cold-start-empty-child.mjs', import.meta.url)), [], { stdio: ['ignore', 'ignore', 'ignore', 'ipc'], serialization: 'json' });
      await new Promise((done) => child.once('message', done));
      const ms = performance.now() - start;
      child.kill();
      return { 'fork + boot an empty ESM child': ms };
    }
    case 'pool-process': {
      const { forkPoolProcess } = await import(dist('pool/process-pool.js'));
      const start = performance.now();
      const child = forkPoolProcess({ threads: 2, scriptsPerThread: 128 });
      await new Promise((done) => child.once('message', done));
      const ms = performance.now() - start;
      child.kill();
      return { "fork the pool process to its 'ready' (boot, imports, piscina)": ms };
    }
    case 'worker-boot': {
      const start = performance.now();
      const worker = new Worker("require('node:worker_threads').parentPort.postMessage(0)", { eval: true });
      await new Promise((done) => worker.once('message', done));
      const ms = performance.now() - start;
      await worker.terminate();
      return { 'boot a worker thread (empty)': ms };
    }
    case 'worker-steps': {
      const worker = new Worker(WORKER_STEPS, { eval: true, workerData: { ses: new URL(`file://${dir}/node_modules/ses/index.js`).href, modules: dist('worker/run-script.js') } });
      const times = await new Promise((done) => worker.once('message', done));
      await worker.terminate();
      return times;
    }
    case 'validation': {
      const { validateScript } = await import(dist('validate/index.js'));
      const start = performance.now();
      validateScript('return 1;');
      const firstMs = performance.now() - start;
      const again = performance.now();
      validateScript('return 2;');
      return { 'host: first validation (cold Babel)': firstMs, 'host: second validation': performance.now() - again };
    }
    case 'import': {
      const start = performance.now();
      await import(dist('tokens.js'));
      const tokensMs = performance.now() - start;
      const rest = performance.now();
      await import(dist('index.js'));
      return { 'host: import the tokenizer (tokens.js, at import)': tokensMs, 'host: import the rest of the package': performance.now() - rest };
    }
  }
  throw new Error(`unknown part ${name}`);
}

if (first === '--part') {
  console.log(JSON.stringify(await part(second, third)));
} else {
  const dir = resolve(first ?? here);
  const rounds = Number(second ?? 5);
  const samples = new Map();
  for (let round = 0; round < rounds; round++) {
    for (const name of ['fork', 'pool-process', 'worker-boot', 'worker-steps', 'validation', 'import']) {
      const out = JSON.parse(execFileSync(process.execPath, [fileURLToPath(import.meta.url), '--part', name, dir], { encoding: 'utf8' }));
      for (const [step, ms] of Object.entries(out)) (samples.get(step) ?? samples.set(step, []).get(step)).push(ms);
    }
  }
  const median = (values) => values.sort((a, b) => a - b)[values.length >> 1];
  console.log(`${dir}, ${rounds} rounds, medians (each step alone in a fresh process or thread)\n`);
  console.log('| step | ms |');
  console.log('|---|---|');
  for (const [step, values] of samples) console.log(`| ${step} | ${fmt(median(values))} |`);
}
