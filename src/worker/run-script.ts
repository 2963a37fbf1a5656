// Owns one script run inside the worker: its endowments (tools, print/console, context, its
// checkpoint), its start in the thread's shared Compartment, and the plain-data outcome.
// Must never let a host object reach the script or a non-cloneable value reach piscina.

import { performance } from 'node:perf_hooks';
import type { SettledCall } from '../call-frame.js';
import type { RunOutcome, RunTask, ScriptLimits } from '../protocol.js';
import { toJsonText } from '../json-data.js';
import { sharedNowMs } from '../shared-clock.js';
import { createCheckpoint, type Checkpoint, type StopReason } from './checkpoint.js';
import { createCompileCache } from './compile-cache.js';
import { describeThrown } from './describe-thrown.js';
import { createEndowments, type Endowments } from './endowments.js';
import type { HeapMeter, HeapVerdict } from './heap-meter.js';
import { createOutputCapture, type OutputCapture } from './output-capture.js';
import type { PortHub } from './port-hub.js';
import { createSetupCache } from './setup-cache.js';
import { sharedCompartment } from './shared-compartment.js';
import { createToolProxy, type ToolProxy } from './tool-proxy.js';

// SECURITY: "No script can change anything another script sees": one Compartment per thread,
// whose frozen global object holds nothing of any script (shared-compartment.ts); each run's
// endowments are the scope of the function compiled for its code (compile-cache.ts).
const compiled = createCompileCache((source) => sharedCompartment().evaluate(source));
// Shared by every run of the thread, hence hardened: runs only read it.
const setups = createSetupCache((value) => harden(value));

/** Compiles (or finds) the task's function and starts it with this run's endowments. */
function startScript(task: RunTask, endowments: Endowments): unknown {
  const script = compiled.get(task.code, endowments.names);
  return script.run(script.names.map((name) => endowments.valueOf(name)));
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
function settleStopped(reason: StopReason, output: OutputCapture, limits: ScriptLimits): RunOutcome {
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
  const { tools, limits } = setups.get(task.setup);
  const output = createOutputCapture(limits, task.streamOutput ? (line) => hub.sendOutput(executionId, slot, line) : undefined);
  const proxy = createToolProxy(executionId, slot, tools, hub, limits);
  meter?.configure(limits.memoryLimitMb * 2 ** 20);
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
    const finishStopped = (reason: StopReason): void => finish(settleStopped(reason, output, limits));
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
    const settleCall = (reply: SettledCall): void => {
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
      const completion = startScript(task, createEndowments(task.contextJson, tools, proxy, output, checkpoint));
      Promise.resolve(completion).then(
        (value) => settle(() => settleValue(value, output, limits.maxValueChars)),
        (thrown: unknown) => settle(() => settleThrown(thrown, proxy, output)),
      );
    } catch (thrown) {
      finish(settleThrown(thrown, proxy, output));
    }
  });
}
