// Owns one script run inside the worker: a fresh Compartment whose only globals are the
// tools, print/console, Date, Math and the context; evaluation; and the plain-data outcome.
// Must never let a host object reach the script or a non-cloneable value reach piscina.

import type { RunOutcome, RunTask } from '../protocol.js';
import { COMPARTMENT_GLOBALS_TO_REMOVE } from '../globals.js';
import { toJsonText } from '../json-data.js';
import { describeThrown, SCRIPT_SOURCE_URL } from './describe-thrown.js';
import { createOutputCapture, type OutputCapture } from './output-capture.js';
import type { PortHub } from './port-hub.js';
import { createToolProxy, type ToolProxy } from './tool-proxy.js';

const SOURCE_URL_SUFFIX = `\n//# sourceURL=${SCRIPT_SOURCE_URL}\n`;

function createGlobals(task: RunTask, proxy: ToolProxy, output: OutputCapture): Record<string, unknown> {
  // SECURITY: "No script can change anything another script sees". Per-script functions
  // are frozen (their prototypes are intrinsics lockdown already hardened, so a shallow
  // freeze is as strong as harden here and skips its traversal); context values are deeply
  // hardened; Date and Math are the worker's real ones, frozen by lockdown. The
  // Compartment's own Date and Math throw on now()/random(), and LLM code uses both.
  const globals: Record<string, unknown> = { print: Object.freeze(output.print), console: Object.freeze(output.console), Date, Math };
  const namespaces: object[] = [];
  for (const { path, fn } of proxy.functions) placeAt(globals, path, Object.freeze(fn), namespaces);
  for (const namespace of namespaces) Object.freeze(namespace);
  if (task.contextJson !== undefined) {
    for (const [key, value] of Object.entries(JSON.parse(task.contextJson) as Record<string, unknown>)) globals[key] = harden(value);
  }
  return globals;
}

/**
 * Puts `value` at `path`, creating namespace objects (null prototype) on the way and adding
 * each one it creates to `created`, for the caller to freeze once every tool is placed.
 */
function placeAt(globals: Record<string, unknown>, path: readonly string[], value: unknown, created: object[]): void {
  let node = globals;
  for (let i = 0; i < path.length - 1; i++) {
    const segment = path[i]!;
    if (!Object.hasOwn(node, segment)) {
      const namespace = Object.create(null) as Record<string, unknown>;
      Object.defineProperty(node, segment, { value: namespace, enumerable: true, writable: true, configurable: true });
      created.push(namespace);
    }
    node = node[segment] as Record<string, unknown>;
  }
  Object.defineProperty(node, path[path.length - 1]!, { value, enumerable: true, writable: true, configurable: true });
}

function createCompartment(globals: Record<string, unknown>): Compartment {
  const compartment = new Compartment({ globals, __options__: true });
  const globalObject = compartment.globalThis as Record<string, unknown>;
  // SECURITY: "No script can reach binary data, another evaluator, or the global object":
  // SES puts these on every Compartment's global object by default.
  for (const name of COMPARTMENT_GLOBALS_TO_REMOVE) delete globalObject[name];
  // Freezing also lets SES treat globals as constants (Math.max: ~200 ms -> 3 ms per 1e6 calls).
  Object.freeze(globalObject);
  return compartment;
}

function settleValue(value: unknown, output: OutputCapture, maxChars: number): RunOutcome {
  const json = toJsonText(value, 'strict', 'value', maxChars);
  if (!json.ok && json.tooLarge !== undefined) {
    const error = { code: 'ERR_PAYLOAD_TOO_LARGE' as const, limit: json.tooLarge, message: `The returned value is larger than ${json.tooLarge} characters of JSON` };
    return { ok: false, error, output: output.lines, outputTruncated: output.truncated() };
  }
  if (!json.ok) {
    const error = { code: 'ERR_RESULT_NOT_SERIALIZABLE' as const, path: json.path, message: `The returned value cannot cross as JSON data: ${json.reason} (at ${json.path})` };
    return { ok: false, error, output: output.lines, outputTruncated: output.truncated() };
  }
  return { ok: true, valueJson: json.text, output: output.lines, outputTruncated: output.truncated() };
}

function settleThrown(thrown: unknown, proxy: ToolProxy, output: OutputCapture): RunOutcome {
  const callId = proxy.callIdOf(thrown);
  const error = callId === undefined ? describeThrown(thrown) : { code: 'ERR_TOOL_CALL' as const, callId };
  return { ok: false, error, output: output.lines, outputTruncated: output.truncated() };
}

/** Runs one task to its outcome. Resolves, never rejects. */
export function runScript(task: RunTask, hub: PortHub): Promise<RunOutcome> {
  const { executionId } = task;
  const output = createOutputCapture(task.limits, task.streamOutput ? (line) => hub.sendOutput(executionId, task.slot, line) : undefined);
  const proxy = createToolProxy(executionId, task.slot, task.tools, hub, task.limits);
  return new Promise<RunOutcome>((resolve) => {
    let done = false;
    const finish = (outcome: RunOutcome): void => {
      if (done) return;
      done = true;
      hub.unregister(executionId);
      proxy.close('the execution has ended');
      resolve(outcome);
    };
    hub.register(executionId, task.slot, {
      settleCall: (reply) => proxy.settleCall(reply),
      cancel(reason) {
        proxy.close(reason === 'timeout' ? 'the execution ran out of time' : 'the execution has ended');
        // One macrotask lets the script unwind from its rejected calls. A script that
        // instead spins never lets this fire; the main side's watchdog ends the thread.
        setImmediate(() => {
          const code = reason === 'timeout' ? ('ERR_EXECUTION_TIMEOUT' as const) : ('ERR_EXECUTION_ABORTED' as const);
          finish({ ok: false, error: { code }, output: output.lines, outputTruncated: output.truncated() });
        });
      },
    });
    hub.enter(task.slot);
    try {
      const compartment = createCompartment(createGlobals(task, proxy, output));
      const completion = compartment.evaluate(task.code + SOURCE_URL_SUFFIX) as Promise<unknown>;
      // Settling reads untrusted values; if even that throws, the run still ends, as ERR_SCRIPT.
      const settle = (describe: () => RunOutcome): void => {
        try {
          finish(describe());
        } catch {
          finish({ ok: false, error: { code: 'ERR_SCRIPT', name: 'Error', message: 'the script ended with a value that cannot be read' }, output: output.lines, outputTruncated: output.truncated() });
        }
      };
      Promise.resolve(completion).then(
        (value) => settle(() => settleValue(value, output, task.limits.maxValueChars)),
        (thrown: unknown) => settle(() => settleThrown(thrown, proxy, output)),
      );
    } catch (thrown) {
      finish(settleThrown(thrown, proxy, output));
    }
  });
}
