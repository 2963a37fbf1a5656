// Owns quickjs-emscripten's setup in the peer harness: the release-sync WebAssembly build
// (`getQuickJS()`), a fresh runtime and context per script (64 MB memory limit, a 10 s
// interrupt deadline), on the main thread. Async tools are bridged with promises, not with the
// asyncify build: asyncify suspends the whole module on each call, so a `Promise.all` of calls
// runs one at a time and every call costs more; a deferred promise per call lets calls overlap.
// Arguments and results cross as JSON strings; settled calls run in one `executePendingJobs` per batch.

import { getQuickJS, shouldInterruptAfterDeadline } from 'quickjs-emscripten';
import { createHostDispatcher } from '../host-tools.mjs';

const MEMORY_LIMIT_BYTES = 64 * 1024 * 1024;
const TIMEOUT_MS = 10_000;

function hostError(vm, result) {
  const error = vm.dump(result.error);
  result.error.dispose();
  return new Error(`quickjs: ${JSON.stringify(error).slice(0, 300)}`);
}

/** @param {{ definitions: object[] }} tools */
export async function createQuickjsRunner(tools) {
  const quickjs = await getQuickJS();
  const { names, call } = createHostDispatcher(tools.definitions);
  const prelude = `{
  const call = globalThis.__call; delete globalThis.__call;
  for (const name of ${JSON.stringify(names)}) globalThis[name] = (...args) => call(name, JSON.stringify(args)).then(JSON.parse);
}\n`;
  return {
    async run(code) {
      const runtime = quickjs.newRuntime();
      runtime.setMemoryLimit(MEMORY_LIMIT_BYTES);
      runtime.setInterruptHandler(shouldInterruptAfterDeadline(Date.now() + TIMEOUT_MS));
      const vm = runtime.newContext();
      const controller = new AbortController();
      const output = [];
      // Settled calls are pumped into the runtime once per microtask batch, not once per call.
      let pumpQueued = false;
      const pump = () => {
        if (pumpQueued) return;
        pumpQueued = true;
        queueMicrotask(() => {
          pumpQueued = false;
          if (runtime.alive) runtime.executePendingJobs();
        });
      };
      try {
        vm.newFunction('print', (...handles) => {
          output.push(handles.map((h) => String(vm.dump(h))).join(' '));
        }).consume((print) => vm.setProp(vm.global, 'print', print));
        vm.newFunction('__call', (nameHandle, argsHandle) => {
          const deferred = vm.newPromise();
          const settle = (make, how) => {
            if (!vm.alive) return; // the script ended without awaiting this call
            make().consume((h) => deferred[how](h));
            deferred.dispose();
            pump();
          };
          call(vm.getString(nameHandle), JSON.parse(vm.getString(argsHandle)), controller.signal).then(
            (result) => settle(() => vm.newString(JSON.stringify(result ?? null)), 'resolve'),
            (error) => settle(() => vm.newError(String(error?.message ?? error)), 'reject'),
          );
          return deferred.handle;
        }).consume((bridge) => vm.setProp(vm.global, '__call', bridge));
        const evaluated = vm.evalCode(`${prelude}(async () => {\n${code}\n})()`, 'script.js');
        if (evaluated.error) throw hostError(vm, evaluated);
        const settled = vm.resolvePromise(evaluated.value);
        evaluated.value.dispose();
        runtime.executePendingJobs();
        const result = await settled;
        if (result.error) throw hostError(vm, result);
        const value = result.value.consume((h) => vm.dump(h));
        return { value, output };
      } finally {
        controller.abort();
        vm.dispose();
        runtime.dispose();
      }
    },
    close: async () => {},
  };
}
