// Per-script sandbox cost inside a locked-down worker thread: a fresh Compartment set up the
// way the engine did it before issue 13 (endowments, removed globals, frozen global object)
// and one evaluate; the thread's shared Compartment evaluating a per-script wrapper; the
// engine's compiled function (dist/worker/compile-cache.js) called per script, with and
// without endowments; against `new Function` on the same code. Needs `npm run build`.
import { Worker } from 'node:worker_threads';

const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
require(workerData.ses);
(async () => {
const { sharedCompartment } = await import(workerData.dist + '/worker/shared-compartment.js');
const { createCompileCache } = await import(workerData.dist + '/worker/compile-cache.js');
const { endowFunction, installNativeLook } = await import(workerData.dist + '/worker/native-look.js');
const { COMPARTMENT_GLOBALS_TO_REMOVE: REMOVE } = await import(workerData.dist + '/globals.js');
installNativeLook();
lockdown({ errorTrapping: 'none', unhandledRejectionTrapping: 'none', overrideTaming: 'severe', errorTaming: 'safe', consoleTaming: 'unsafe', localeTaming: 'unsafe' });
const code = '(async function () {\\nconst x = 1; return x * 2;\\n})()';
const printing = '(async function () {\\nprint(1); console.log(2); return 3;\\n})()';
const N = 20000;
function time(run) {
  for (let i = 0; i < 2000; i++) run(i);
  const start = performance.now();
  for (let i = 0; i < N; i++) run(i);
  return ((performance.now() - start) / N) * 1000;
}
const endowed = () => {
  const print = endowFunction(() => {}, 'print');
  return { print, console: Object.freeze({ log: endowFunction(() => {}, 'log') }) };
};
const fresh = () => {
  const compartment = new Compartment({ globals: { ...endowed(), Date, Math }, __options__: true });
  const g = compartment.globalThis;
  for (const name of REMOVE) delete g[name];
  Object.freeze(g);
  compartment.evaluate(code);
};
const shared = sharedCompartment();
// A distinct script each time: the shared Compartment evaluates its wrapper (no reuse).
const sharedEvaluate = (i) => shared.evaluate('((e) => { const print = e[0]; return (async function () {\\nconst x = ' + i + '; return x * 2;\\n})(); })')([endowed().print]);
const cache = createCompileCache((source) => shared.evaluate(source));
const NAMES = ['print', 'console', 'structuredClone', '__tw_checkpoint'];
const cachedBare = () => {
  const script = cache.get(code, NAMES);
  script.run(script.names.map(() => undefined));
};
const cachedPrinting = () => {
  const script = cache.get(printing, NAMES);
  const values = endowed();
  script.run(script.names.map((name) => values[name]));
};
const plain = () => new Function('return ' + code)();
parentPort.postMessage({
  compartmentUs: time(fresh),
  sharedEvaluateUs: time(sharedEvaluate),
  cachedUs: time(cachedBare),
  cachedPrintingUs: time(cachedPrinting),
  newFunctionUs: time(plain),
});
})();
`;

/** Measures per-script sandbox cost in a fresh locked-down thread. */
export async function runCompartmentCostBench() {
  const ses = new URL('../node_modules/ses/dist/ses.cjs', import.meta.url).pathname;
  const dist = new URL('../dist', import.meta.url).href;
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { ses, dist } });
  const result = await new Promise((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });
  await worker.terminate();
  return result;
}

if (process.argv[1] === new URL(import.meta.url).pathname) {
  const r = await runCompartmentCostBench();
  const us = (value) => `${value.toFixed(1)} us`;
  console.log(`fresh Compartment + evaluate (before issue 13): ${us(r.compartmentUs)}`);
  console.log(`shared Compartment, evaluate per script:        ${us(r.sharedEvaluateUs)}`);
  console.log(`compiled function, same code (no endowment):   ${us(r.cachedUs)}`);
  console.log(`compiled function, print + console endowed:    ${us(r.cachedPrintingUs)}`);
  console.log(`new Function:                                  ${us(r.newFunctionUs)}`);
  console.log(`fresh / compiled: ${(r.compartmentUs / r.cachedUs).toFixed(1)}x; compiled / new Function: ${(r.cachedUs / r.newFunctionUs).toFixed(2)}x`);
}
