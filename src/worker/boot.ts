// The worker's boot, imported once by the entry (main.ts) in the thread's boot turn, after it
// has loaded SES (ses-loader.ts): opens the persistent port to the main side, locks the realm
// down, says hello, and exports the piscina handler. Every import happens before lockdown():
// afterwards the worker's own Function/eval reject any source text containing `import(`.

/// <reference types="ses" />
import { types } from 'node:util';
import { getHeapStatistics } from 'node:v8';
import { MessageChannel, parentPort, threadId } from 'node:worker_threads';
import { HELLO_TYPE, type HelloMessage, type RunOutcome, type RunTask } from '../protocol.js';
import { installArrayGuards } from './array-guards.js';
import { installGrouping } from './grouping.js';
import { createHeapMeter, type HeapMeter } from './heap-meter.js';
import { installNativeLook } from './native-look.js';
import { createPortHub } from './port-hub.js';
import { runScript } from './run-script.js';

if (parentPort === null) throw new Error('toolweaver worker must run in a worker thread');

// piscina's parentPort handler treats every incoming message as its startup message, so
// the main side never posts there: each worker opens its own channel and hands one end up.
const { port1, port2 } = new MessageChannel();
const culprit = new SharedArrayBuffer(4);

// The pool process runs with --expose-gc, so this thread has a gc(): the heap meter collects
// before it blames. Without one (the in-process pool of a host without the flag) there is no
// meter, and the thread's heap limit alone bounds memory. Taken before lockdown. It stays on
// this thread's global object (V8 makes it non-configurable); scripts run in Compartments,
// whose global objects never have it.
const unsafeCollect = (globalThis as { gc?: () => void }).gc;
const meter: HeapMeter | undefined = unsafeCollect === undefined ? undefined : createHeapMeter({ readUsedBytes: () => getHeapStatistics().used_heap_size, collect: unsafeCollect });
const hub = createPortHub(port1, new Int32Array(culprit), meter === undefined ? undefined : (slot) => meter.enter(slot));

// SECURITY: "A script cannot kill its thread or the host with a stray rejection": with SES's
// trapping off, a fire-and-forget rejection would otherwise end the thread and every
// script on it. The rejection is the script's own business; nothing is reported.
process.on('unhandledRejection', () => {});

// SECURITY: "A script cannot kill its thread or the host with a stray rejection or a
// throwing promise job": an exception nothing can catch (a promise job whose resolving
// function throws: a Symbol.species constructor, a custom `this` for Promise.all) would
// otherwise end the thread. It fails the script the current macrotask entered (see
// port-hub.ts). One that no script's entry covers is not attributable: rethrown, it ends
// the thread as before, so its scripts are re-run rather than one of them blamed.
process.on('uncaughtException', (thrown) => {
  if (!hub.blameUncaught(thrown)) throw thrown;
});

installArrayGuards((value) => types.isProxy(value));
installNativeLook();
installGrouping();

lockdown({
  // The default installs an uncaughtException handler that calls process.exit().
  errorTrapping: 'none',
  unhandledRejectionTrapping: 'none',
  // 'moderate' makes `counts[word] = 1` throw for word "constructor" or "hasOwnProperty".
  overrideTaming: 'severe',
  errorTaming: 'safe',
  consoleTaming: 'unsafe',
  // Scripts get the real Intl (hardened, see run-script.ts), so the locale methods keep
  // theirs too: `(1234.5).toLocaleString('en-US')` is "1,234.5", not SES's "1234.5".
  localeTaming: 'unsafe',
});

// Said once locked down: the pool treats a thread that said hello as ready (script-pool.ts
// places scripts on ready threads first), and relays nothing to it before.
const hello: HelloMessage = { type: HELLO_TYPE, threadId, port: port2, culprit };
parentPort.postMessage(hello, [port2]);

/** The piscina handler: runs one script to a plain-data outcome. */
export default function run(task: RunTask): Promise<RunOutcome> {
  return runScript(task, hub, meter);
}
