// Worker of the unsafe pool (bench/unsafe-pool.mjs): the design's floor, NOT a sandbox. Runs
// each script as a plain AsyncFunction with the tools, `print` and `console` as parameters;
// tool calls go over one persistent MessagePort per thread, every call made in one microtask
// turn in one message. No validation, no SES, no limits. Used by bench/ only.
import { MessageChannel, parentPort } from 'node:worker_threads';

const AsyncFunction = (async () => {}).constructor;
/** Compiled functions by source and tool list: a real unsafe pool would not recompile. */
const compiled = new Map();
const COMPILED_MAX = 256;
/** Pending calls of every script on this thread, by call id. */
const pending = new Map();
/** Tool functions by name, shared by every script on the thread (they carry no script state). */
const toolFunctions = new Map();
let nextCallId = 0;
let outgoing = [];

// piscina treats whatever arrives on parentPort as its own; the port goes up, as in the engine.
const { port1, port2 } = new MessageChannel();
parentPort.postMessage({ type: 'unsafe-hello', port: port2 }, [port2]);

const flush = () => {
  const calls = outgoing;
  outgoing = [];
  port1.postMessage(calls);
};

port1.on('message', (replies) => {
  for (const { id, ok, value, message } of replies) {
    const call = pending.get(id);
    pending.delete(id);
    if (ok) call.resolve(value);
    else call.reject(new Error(message));
  }
});
// Idle threads must not keep the pool alive; running tasks do, through piscina.
port1.unref();

function toolFunction(name) {
  let tool = toolFunctions.get(name);
  if (tool === undefined) {
    tool = (...args) => new Promise((resolve, reject) => {
      const id = nextCallId++;
      pending.set(id, { resolve, reject });
      if (outgoing.push({ id, name, args }) === 1) queueMicrotask(flush);
    });
    toolFunctions.set(name, tool);
  }
  return tool;
}

function compile(code, tools) {
  const key = `${tools.join(',')}\n${code}`;
  let run = compiled.get(key);
  if (run === undefined) {
    run = new AsyncFunction(...tools, 'print', 'console', code);
    if (compiled.size >= COMPILED_MAX) compiled.delete(compiled.keys().next().value);
    compiled.set(key, run);
  }
  return run;
}

/** Runs one script; resolves with its value and printed lines. */
export default async function runUnsafe({ code, tools }) {
  const output = [];
  const print = (...args) => void output.push(args.map(String).join(' '));
  const value = await compile(code, tools)(...tools.map(toolFunction), print, { log: print });
  return { value, output };
}
