// Where W4's time goes (createEngine -> first result): each step of the default isolation's
// cold start, measured alone in a fresh process (or a fresh worker thread), interleaved over
// rounds, medians. Steps on the critical path of `isolation: 'process'` in order: fork and
// boot the pool process, its imports and piscina, boot a worker thread, load ses and the
// worker's modules, lockdown, the first Compartment; on the host meanwhile (off that path,
// but sharing the cores): the first validation (Babel's first use), the first token count.
// Also the import of the package itself, which happens before createEngine and is not in
// W4. CPU time (Linux, from /proc) is the thread's or child's own, steadier than wall time
// on a busy machine.
// Usage: npm run build && node bench/cold-start-breakdown.mjs [checkout dir, default this one] [rounds=5]
import { execFileSync, fork } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';

const here = fileURLToPath(new URL('..', import.meta.url));

/** On-CPU ms of the calling thread, or of every thread of process `pid` (Linux; NaN elsewhere). */
function cpuMs(pid) {
  try {
    if (pid === undefined) return Number(readFileSync('/proc/thread-self/schedstat', 'utf8').split(' ')[0]) / 1e6;
    return readdirSync(`/proc/${pid}/task`).reduce((sum, task) => sum + Number(readFileSync(`/proc/${pid}/task/${task}/schedstat`, 'utf8').split(' ')[0]) / 1e6, 0);
  } catch {
    return Number.NaN;
  }
}

/** [wall ms, CPU ms of this thread] of `step`. */
async function timed(step) {
  const [start, cpu] = [performance.now(), cpuMs()];
  await step();
  return [performance.now() - start, cpuMs() - cpu];
}
const [, , first, second, third] = process.argv;
const fmt = (n) => n.toFixed(1);

/** Runs in a fresh worker thread: each step of a pool worker's start, timed from inside. */
const WORKER_STEPS = `
const { parentPort, workerData } = require('node:worker_threads');
const { readFileSync } = require('node:fs');
const cpu = () => { try { return Number(readFileSync('/proc/thread-self/schedstat', 'utf8').split(' ')[0]) / 1e6; } catch { return NaN; } };
(async () => {
  const times = {};
  let t = performance.now();
  let c = cpu();
  const lap = (name) => { const now = performance.now(); const nowCpu = cpu(); times[name] = [now - t, nowCpu - c]; t = now; c = nowCpu; };
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
    case 'fork':
    case 'fork-no-extra-certs': {
      // An empty ESM child with an IPC channel: the floor of any pool process. With this
      // process's environment, and without NODE_EXTRA_CA_CERTS (as the pool process starts):
      // Node 20 builds the whole root certificate store at startup when it is set.
      const env = { ...process.env };
      if (name === 'fork-no-extra-certs') delete env.NODE_EXTRA_CA_CERTS;
      const start = performance.now();
      const child = fork(fileURLToPath(new URL('./cold-start-empty-child.mjs', import.meta.url)), [], { env, stdio: ['ignore', 'ignore', 'ignore', 'ipc'], serialization: 'json' });
      await new Promise((done) => child.once('message', done));
      const result = [performance.now() - start, cpuMs(child.pid)];
      child.kill();
      const label = name === 'fork' ? `fork + boot an empty ESM child, this environment (NODE_EXTRA_CA_CERTS ${process.env.NODE_EXTRA_CA_CERTS === undefined ? 'unset' : 'set'}) (CPU: the child)` : 'fork + boot an empty ESM child without NODE_EXTRA_CA_CERTS (CPU: the child)';
      return { [label]: result };
    }
    case 'pool-process': {
      const { forkPoolProcess } = await import(dist('pool/process-pool.js'));
      const start = performance.now();
      const child = forkPoolProcess({ threads: 2, scriptsPerThread: 128 });
      await new Promise((done) => child.once('message', done));
      const result = [performance.now() - start, cpuMs(child.pid)];
      child.kill();
      return { "fork the pool process to its 'ready' (boot, imports, piscina, threads created) (CPU: the child)": result };
    }
    case 'worker-boot': {
      const start = performance.now();
      const worker = new Worker("const { readFileSync } = require('node:fs'); require('node:worker_threads').parentPort.postMessage(Number(readFileSync('/proc/thread-self/schedstat', 'utf8').split(' ')[0]) / 1e6)", { eval: true });
      const threadCpu = await new Promise((done) => worker.once('message', done));
      const ms = performance.now() - start;
      await worker.terminate();
      return { 'boot a worker thread (empty) (CPU: the thread)': [ms, threadCpu] };
    }
    case 'worker-steps': {
      const worker = new Worker(WORKER_STEPS, { eval: true, workerData: { ses: new URL(`file://${dir}/node_modules/ses/index.js`).href, modules: dist('worker/run-script.js') } });
      const times = await new Promise((done) => worker.once('message', done));
      await worker.terminate();
      return times;
    }
    case 'worker-entry': {
      // The real entry, as piscina loads it: its imports, ses, the port, lockdown.
      const source = `const { parentPort, workerData } = require('node:worker_threads'); const { readFileSync } = require('node:fs');
const cpu = () => Number(readFileSync('/proc/thread-self/schedstat', 'utf8').split(' ')[0]) / 1e6;
const [t, c] = [performance.now(), cpu()];
import(workerData).then(() => parentPort.postMessage({ done: [performance.now() - t, cpu() - c] }));`;
      const worker = new Worker(source, { eval: true, workerData: dist('worker/main.js') });
      const { done } = await new Promise((resolve) => worker.on('message', (message) => message.done !== undefined && resolve(message)));
      await worker.terminate();
      return { 'the whole worker entry (dist/worker/main.js: imports, ses, lockdown) (CPU: the thread)': done };
    }
    case 'first-compartment':
    case 'first-compartment-icu-loaded': {
      // The thread's shared Compartment, made before its first script: its Intl.Segmenter
      // loads ICU's break data, once per process, unless the process loaded it already (the
      // pool process does, while its threads boot: pool/warm-up.ts).
      if (name === 'first-compartment-icu-loaded') new Intl.Segmenter('en').segment('');
      const source = `const { parentPort, workerData } = require('node:worker_threads'); const { readFileSync } = require('node:fs');
const cpu = () => Number(readFileSync('/proc/thread-self/schedstat', 'utf8').split(' ')[0]) / 1e6;
(async () => { await import(workerData.main); const { sharedCompartment } = await import(workerData.compartment);
const [t, c] = [performance.now(), cpu()]; sharedCompartment(); parentPort.postMessage({ done: [performance.now() - t, cpu() - c] }); })();`;
      const worker = new Worker(source, { eval: true, workerData: { main: dist('worker/main.js'), compartment: dist('worker/shared-compartment.js') } });
      const { done } = await new Promise((resolve) => worker.on('message', (message) => message.done !== undefined && resolve(message)));
      await worker.terminate();
      const label = name === 'first-compartment' ? "the thread's shared Compartment, first thread of a process (CPU: the thread)" : "the same, ICU's segmenter data loaded by the process before (CPU: the thread)";
      return { [label]: done };
    }
    case 'first-token-count': {
      const { countTokens } = await import(dist('tokens.js'));
      return { 'host: first token count of a result (cold tokenizer)': await timed(() => countTokens('1')), 'host: second token count': await timed(() => countTokens('2')) };
    }
    case 'validation': {
      const { validateScript } = await import(dist('validate/index.js'));
      return { 'host: first validation (cold Babel)': await timed(() => validateScript('return 1;')), 'host: second validation': await timed(() => validateScript('return 2;')) };
    }
    case 'import': {
      return { 'host: import the tokenizer (tokens.js, at import)': await timed(() => import(dist('tokens.js'))), 'host: import the rest of the package': await timed(() => import(dist('index.js'))) };
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
    for (const name of ['fork', 'fork-no-extra-certs', 'pool-process', 'worker-boot', 'worker-steps', 'worker-entry', 'first-compartment', 'first-compartment-icu-loaded', 'validation', 'first-token-count', 'import']) {
      const out = JSON.parse(execFileSync(process.execPath, [fileURLToPath(import.meta.url), '--part', name, dir], { encoding: 'utf8' }));
      for (const [step, pair] of Object.entries(out)) (samples.get(step) ?? samples.set(step, []).get(step)).push(pair);
    }
  }
  const median = (values) => values.sort((a, b) => a - b)[values.length >> 1];
  console.log(`${dir}, ${rounds} rounds, medians (each step alone in a fresh process or thread)\n`);
  console.log('| step | wall ms | CPU ms |');
  console.log('|---|---|---|');
  for (const [step, pairs] of samples) console.log(`| ${step} | ${fmt(median(pairs.map((pair) => pair[0])))} | ${fmt(median(pairs.map((pair) => pair[1])))} |`);
}
