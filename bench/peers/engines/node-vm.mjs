// Owns node:vm's setup in the peer harness. NOT a security boundary (Node's own docs say so:
// host functions put in a context lead back to the host realm); it is here as the cost of a
// new V8 context with no isolation work. A new context per script (code generation from
// strings and wasm off), the compiled `vm.Script` cached per code string (scripts are
// context-free), tools as host functions, a 10 s timeout on the synchronous part, and the
// result structured-cloned out of the context's realm.

import vm from 'node:vm';
import { createHostDispatcher } from '../host-tools.mjs';

const TIMEOUT_MS = 10_000;

/** @param {{ definitions: object[] }} tools */
export function createNodeVmRunner(tools) {
  const { names, call } = createHostDispatcher(tools.definitions);
  const compiled = new Map();
  return {
    async run(code) {
      const controller = new AbortController();
      const output = [];
      const globals = { print: (...args) => { output.push(args.map(String).join(' ')); } };
      for (const name of names) globals[name] = (...args) => call(name, args, controller.signal);
      const context = vm.createContext(globals, { codeGeneration: { strings: false, wasm: false } });
      let script = compiled.get(code);
      if (script === undefined) {
        script = new vm.Script(`(async () => {\n${code}\n})()`, { filename: 'script.js' });
        compiled.set(code, script);
      }
      try {
        const value = structuredClone(await script.runInContext(context, { timeout: TIMEOUT_MS }));
        return { value, output };
      } finally {
        controller.abort();
      }
    },
    close: async () => {},
  };
}
