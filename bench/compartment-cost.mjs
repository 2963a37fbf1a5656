// Per-script sandbox cost inside a locked-down worker thread: a fresh Compartment set up the
// way the engine does it (endowments, removed globals, frozen global object) and one
// evaluate, against `new Function` on the same code. Explains benchmark 1's ceiling.
import { Worker } from 'node:worker_threads';

const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
require(workerData.ses);
lockdown({ errorTrapping: 'none', unhandledRejectionTrapping: 'none', overrideTaming: 'severe', errorTaming: 'safe' });
const REMOVE = ${JSON.stringify(['eval', 'Function', 'Compartment', 'lockdown', 'harden', 'globalThis', 'ArrayBuffer', 'DataView', 'Int8Array', 'Uint8Array', 'Uint8ClampedArray', 'Int16Array', 'Uint16Array', 'Int32Array', 'Uint32Array', 'TextEncoder', 'TextDecoder'])};
const code = '(async function () {\\nconst x = 1; return x * 2;\\n})()';
const N = 20000;
function time(run) {
  for (let i = 0; i < 2000; i++) run();
  const start = performance.now();
  for (let i = 0; i < N; i++) run();
  return ((performance.now() - start) / N) * 1000;
}
const fresh = () => {
  const print = () => {};
  const compartment = new Compartment({ globals: { print: Object.freeze(print), console: Object.freeze({ log: print }), Date, Math }, __options__: true });
  const g = compartment.globalThis;
  for (const name of REMOVE) delete g[name];
  Object.freeze(g);
  compartment.evaluate(code);
};
const plain = () => new Function('return ' + code)();
parentPort.postMessage({ compartmentUs: time(fresh), newFunctionUs: time(plain) });
`;

/** Measures per-script sandbox cost in a fresh locked-down thread. */
export async function runCompartmentCostBench() {
  const ses = new URL('../node_modules/ses/dist/ses.cjs', import.meta.url).pathname;
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { ses } });
  const result = await new Promise((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });
  await worker.terminate();
  return result;
}

if (process.argv[1] === new URL(import.meta.url).pathname) {
  const { compartmentUs, newFunctionUs } = await runCompartmentCostBench();
  console.log(`fresh Compartment + evaluate: ${compartmentUs.toFixed(1)} us; new Function: ${newFunctionUs.toFixed(1)} us; ratio ${(compartmentUs / newFunctionUs).toFixed(1)}x`);
}
