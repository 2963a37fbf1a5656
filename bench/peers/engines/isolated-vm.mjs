// Owns isolated-vm's setup in the peer harness: a fresh Isolate (128 MB limit) and Context per
// script, the async API throughout so isolates run on isolated-vm's own threads, and the tools
// bridged as one host Reference that the script's tool globals call with the async
// `Reference.apply` and `result: { promise: true, copy: true }`: calls in one script overlap,
// arguments and results cross as structured-clone copies. Needs `node --no-node-snapshot` (Node 20+).

import ivm from 'isolated-vm';
import { createHostDispatcher } from '../host-tools.mjs';

const MEMORY_LIMIT_MB = 128;
const TIMEOUT_MS = 10_000;

/** @param {{ definitions: object[] }} tools */
export function createIsolatedVmRunner(tools) {
  const { names, call } = createHostDispatcher(tools.definitions);
  // The bridge and the tool globals, evaluated in front of each script; `$call` leaves the global.
  const prelude = `{
  const call = globalThis.$call; delete globalThis.$call;
  const options = { arguments: { copy: true }, result: { promise: true, copy: true } };
  for (const name of ${JSON.stringify(names)}) globalThis[name] = (...args) => call.apply(undefined, [name, args], options);
}\n`;
  return {
    async run(code) {
      const isolate = new ivm.Isolate({ memoryLimit: MEMORY_LIMIT_MB });
      const controller = new AbortController();
      const output = [];
      try {
        const context = await isolate.createContext();
        const jail = context.global;
        jail.setSync('$call', new ivm.Reference((name, args) => call(name, args, controller.signal)));
        jail.setSync('print', new ivm.Callback((...args) => { output.push(args.map(String).join(' ')); }));
        const value = await context.eval(`${prelude}(async () => {\n${code}\n})()`, { promise: true, copy: true, timeout: TIMEOUT_MS });
        return { value, output };
      } finally {
        controller.abort();
        isolate.dispose();
      }
    },
    close: async () => {},
  };
}
