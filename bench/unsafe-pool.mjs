// The unsafe pool: the design's floor, the same shape as the engine without any of its
// safety. A piscina pool (threads, many scripts per thread), scripts run as plain
// AsyncFunctions with the tools as parameters (bench/unsafe-worker.mjs), tool calls over ONE
// persistent MessagePort per thread to a main-thread dispatcher that calls the same fixture
// handlers the engine does; calls of one microtask turn travel in one message, replies of one
// turn in one message. No validation, no SES, no limits, no JSON boundary. Not in src/: never
// ship it.
import { availableParallelism } from 'node:os';
import { Piscina } from 'piscina';

const WORKER_URL = new URL('./unsafe-worker.mjs', import.meta.url);

/** The named-arguments object of a call, positional or named, as the engine maps it. */
function namedArguments(parameters, args) {
  const [only] = args;
  if (args.length === 1 && typeof only === 'object' && only !== null && !Array.isArray(only) && Object.keys(only).every((key) => parameters.includes(key))) return only;
  return Object.fromEntries(args.map((value, i) => [parameters[i], value]));
}

/** Answers one port's calls with the handlers; one reply message per turn. */
function attachDispatcher(port, tools) {
  let replies = [];
  const flush = () => {
    const batch = replies;
    replies = [];
    port.postMessage(batch);
  };
  const reply = (message) => {
    if (replies.push(message) === 1) queueMicrotask(flush);
  };
  port.on('message', (calls) => {
    for (const { id, name, args } of calls) {
      const tool = tools.get(name);
      if (tool === undefined) {
        reply({ id, ok: false, message: `unknown tool ${name}` });
        continue;
      }
      Promise.resolve()
        .then(() => tool.handler(namedArguments(tool.parameters, args)))
        .then((value) => reply({ id, ok: true, value }), (error) => reply({ id, ok: false, message: String(error?.message ?? error) }));
    }
  });
  port.unref();
}

/**
 * Creates the pool. `definitions`: fixture tool definitions ({ name, input, handler }).
 * @param {{ definitions?: object[], threads?: number, scriptsPerThread?: number }} [options]
 *   `threads` defaults to availableParallelism(), `scriptsPerThread` to 128 (the engine's).
 * @returns {{ run(code: string): Promise<{ value: unknown, output: string[] }>, ready(): Promise<void>, destroy(): Promise<void> }}
 */
export function createUnsafePool({ definitions = [], threads = availableParallelism(), scriptsPerThread = 128 } = {}) {
  const tools = new Map(definitions.map((def) => [def.name, { handler: def.handler, parameters: Object.keys(def.input?.properties ?? {}) }]));
  const names = [...tools.keys()];
  const piscina = new Piscina({
    filename: WORKER_URL.href,
    minThreads: threads,
    maxThreads: threads,
    concurrentTasksPerWorker: scriptsPerThread,
    atomics: 'disabled',
    idleTimeout: Number.MAX_SAFE_INTEGER,
  });
  let hellos = 0;
  let onAllReady;
  const allReady = new Promise((resolve) => (onAllReady = resolve));
  piscina.on('message', (message) => {
    if (message?.type !== 'unsafe-hello') return;
    attachDispatcher(message.port, tools);
    if (++hellos === threads) onAllReady();
  });
  return {
    run: (code) => piscina.run({ code, tools: names }),
    /** Resolves when every thread has started. */
    ready: () => allReady,
    destroy: () => piscina.destroy(),
  };
}
