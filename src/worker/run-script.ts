// Owns one script run inside the worker: a fresh Compartment whose only globals are the
// tools, print/console, Date, Math, the context and the run's checkpoint; evaluation; and
// the plain-data outcome. Must never let a host object reach the script or a non-cloneable
// value reach piscina.

import { performance } from 'node:perf_hooks';
import type { CallReply, RunOutcome, RunTask } from '../protocol.js';
import { CHECKPOINT_GLOBAL, COMPARTMENT_GLOBALS_TO_REMOVE } from '../globals.js';
import { toJsonText } from '../json-data.js';
import { sharedNowMs } from '../shared-clock.js';
import { createCheckpoint, type Checkpoint, type StopReason } from './checkpoint.js';
import { describeThrown, SCRIPT_SOURCE_URL } from './describe-thrown.js';
import { endowFunction } from './native-look.js';
import { createStructuredClone } from './structured-clone.js';
import type { HeapMeter, HeapVerdict } from './heap-meter.js';
import { createOutputCapture, type OutputCapture } from './output-capture.js';
import type { PortHub } from './port-hub.js';
import { createToolProxy, type ToolProxy } from './tool-proxy.js';

const SOURCE_URL_SUFFIX = `\n//# sourceURL=${SCRIPT_SOURCE_URL}\n`;

let hardenedIntl: typeof Intl | undefined;
/**
 * SECURITY: "No script can change anything another script sees": the worker's Intl is no
 * intrinsic SES knows, so lockdown leaves it mutable; it is hardened (deeply frozen) before
 * any script gets it, once per thread (harden exists only after lockdown). So are the two
 * prototypes only its instances reach: %SegmentsPrototype% and %SegmentIteratorPrototype%.
 */
function sharedIntl(): typeof Intl {
  if (hardenedIntl !== undefined) return hardenedIntl;
  const segments = new Intl.Segmenter('en').segment('');
  harden(Object.getPrototypeOf(segments));
  harden(Object.getPrototypeOf(segments[Symbol.iterator]()));
  return (hardenedIntl = harden(Intl));
}

function createGlobals(task: RunTask, proxy: ToolProxy, output: OutputCapture, checkpoint: Checkpoint): Record<string, unknown> {
  // SECURITY: "No script can change anything another script sees". Per-script functions
  // are frozen (their prototypes are intrinsics lockdown already hardened, so a shallow
  // freeze is as strong as harden here and skips its traversal) and render as native code
  // (see native-look.ts); context values are deeply hardened; Date and Math are the
  // worker's real ones, frozen by lockdown. The Compartment's own Date and Math throw on
  // now()/random(), and LLM code uses both.
  for (const [name, method] of Object.entries(output.console)) endowFunction(method, name);
  const globals: Record<string, unknown> = {
    print: endowFunction(output.print, 'print'),
    console: Object.freeze(output.console),
    structuredClone: endowFunction(createStructuredClone(checkpoint.fn), 'structuredClone'),
    Date,
    Math,
    Intl: sharedIntl(),
  };
  const namespaces: object[] = [];
  for (const { path, fn } of proxy.functions) placeAt(globals, path, endowFunction(fn, path[path.length - 1]!), namespaces);
  for (const namespace of namespaces) Object.freeze(namespace);
  if (task.contextJson !== undefined) {
    for (const [key, value] of Object.entries(JSON.parse(task.contextJson) as Record<string, unknown>)) globals[key] = harden(value);
  }
  // SECURITY: "A runaway script stops itself at its time limit": placed last, so no tool or
  // context key can take its place (both refuse the reserved prefix anyway); frozen.
  globals[CHECKPOINT_GLOBAL] = endowFunction(checkpoint.refill, CHECKPOINT_GLOBAL);
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

/** The outcome of a run stopped by its time limit, its memory, or from the main side. */
function settleStopped(reason: StopReason, output: OutputCapture, limits: RunTask['limits']): RunOutcome {
  const error =
    reason === 'memory' ? { code: 'ERR_MEMORY_LIMIT' as const, limitMb: limits.memoryLimitMb }
      : reason === 'timeout' ? { code: 'ERR_EXECUTION_TIMEOUT' as const }
        : { code: 'ERR_EXECUTION_ABORTED' as const };
  return { ok: false, error, output: output.lines, outputTruncated: output.truncated() };
}

function settleThrown(thrown: unknown, proxy: ToolProxy, output: OutputCapture): RunOutcome {
  const callId = proxy.callIdOf(thrown);
  const error = callId === undefined ? describeThrown(thrown) : { code: 'ERR_TOOL_CALL' as const, callId };
  return { ok: false, error, output: output.lines, outputTruncated: output.truncated() };
}

/** Runs one task to its outcome. Resolves, never rejects. */
export function runScript(task: RunTask, hub: PortHub, meter?: HeapMeter): Promise<RunOutcome> {
  const { executionId, slot } = task;
  const output = createOutputCapture(task.limits, task.streamOutput ? (line) => hub.sendOutput(executionId, slot, line) : undefined);
  const proxy = createToolProxy(executionId, slot, task.tools, hub, task.limits);
  meter?.configure(task.limits.memoryLimitMb * 2 ** 20);
  return new Promise<RunOutcome>((resolve) => {
    let done = false;
    const finish = (outcome: RunOutcome): void => {
      if (done) return;
      done = true;
      // Code the script left running (a loop in a promise nobody awaits) stops at its next
      // checkpoint instead of holding the thread.
      checkpoint.stop('ended');
      hub.unregister(executionId);
      proxy.close('the execution has ended');
      resolve(outcome);
    };
    const finishStopped = (reason: StopReason): void => finish(settleStopped(reason, output, task.limits));
    const stop = (reason: StopReason): void => {
      checkpoint.stop(reason);
      proxy.close(reason === 'timeout' ? 'the execution ran out of time' : reason === 'memory' ? 'the execution ran out of memory' : 'the execution has ended');
      // One macrotask lets the script unwind from its rejected calls. A script spinning
      // never lets this message in: its checkpoints stop it at its own deadline, and
      // only where none runs (one huge builtin call) does the main side end the thread.
      setImmediate(() => {
        // The script unwinds in this macrotask (its pending calls reject in finish): enter
        // it, so what its unwinding throws from a promise job is blamed on it alone.
        hub.enter(executionId);
        finishStopped(reason);
      });
    };
    // SECURITY: "A script that exhausts its memory fails alone": a run stopped for memory
    // ends like a cancelled one, so catching the stop and then waiting (on a tool, say)
    // neither keeps it nor its memory.
    const readHeap = (heap: HeapMeter): HeapVerdict => {
      const verdict = heap.check(slot);
      if (verdict === 'stop') stop('memory');
      return verdict;
    };
    const checkpoint = createCheckpoint({
      deadline: performance.now() + (task.deadlineAt - sharedNowMs()),
      ...(meter === undefined ? {} : { readHeap: () => readHeap(meter) }),
    });
    // The host's deadline in this thread's performance.now() terms (cheaper to read in loops).
    const localDeadline = (deadlineAt: number): number => performance.now() + (deadlineAt - sharedNowMs());
    const settleCall = (reply: CallReply): void => {
      if (reply.deadlineAt !== undefined) checkpoint.extendDeadline(localDeadline(reply.deadlineAt));
      proxy.settleCall(reply);
    };
    // Settling reads untrusted values; if even that throws, the run still ends, as ERR_SCRIPT.
    const settle = (describe: () => RunOutcome): void => {
      // SECURITY: "A runaway script stops itself at its time limit": a run past its
      // deadline or stopped has lost, whatever it returns or throws (a script that
      // catches the stop signal and returns normally still gets ERR_EXECUTION_TIMEOUT).
      const stopped = checkpoint.stopReason();
      if (stopped !== undefined) return finishStopped(stopped);
      try {
        finish(describe());
      } catch {
        finish({ ok: false, error: { code: 'ERR_SCRIPT', name: 'Error', message: 'the script ended with a value that cannot be read' }, output: output.lines, outputTruncated: output.truncated() });
      }
    };
    hub.register(executionId, slot, {
      settleCall,
      cancel: stop,
      // SECURITY: "A script cannot kill its thread or the host with a stray rejection or a
      // throwing promise job": what a job of this script threw ends this script alone.
      fail: (thrown) => settle(() => settleThrown(thrown, proxy, output)),
    });
    hub.enter(executionId);
    try {
      const compartment = createCompartment(createGlobals(task, proxy, output, checkpoint));
      const completion = compartment.evaluate(task.code + SOURCE_URL_SUFFIX) as Promise<unknown>;
      Promise.resolve(completion).then(
        (value) => settle(() => settleValue(value, output, task.limits.maxValueChars)),
        (thrown: unknown) => settle(() => settleThrown(thrown, proxy, output)),
      );
    } catch (thrown) {
      finish(settleThrown(thrown, proxy, output));
    }
  });
}
