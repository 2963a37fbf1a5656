// Owns one execution on the main side: its counters (the dispatcher's CallSite), its single
// outcome, its metadata, and the live output lines of a streaming run. Settles exactly once;
// everything after the first outcome is ignored.

import { AsyncResource } from 'node:async_hooks';
import { performance } from 'node:perf_hooks';
import type { ToolContext, ToolHandler } from './catalog/index.js';
import type { ApprovalHandler, CallRecord, CallSite, FailedCall, HandlerCall, Journal } from './dispatch/index.js';
import type { EngineEvents } from './observe/index.js';
import {
  ExecutionAbortedError,
  ExecutionTimeoutError,
  MemoryLimitError,
  PayloadTooLargeError,
  ResultNotSerializableError,
  ScriptError,
  ToolCallError,
  type ErrorRecord,
  type ExecutionMetadata,
  type ToolWeaverError,
} from './errors.js';
import { countResultTokens } from './tokens.js';
import type { Normalization, TakenFence } from './validate/index.js';

/** A successful execution. */
export interface ExecuteResult<Value = unknown> {
  /** What the script returned, as JSON data (undefined when it returned nothing). */
  value: Value;
  /** Lines printed with print() or console.*, in order. */
  output: string[];
  metadata: ExecutionMetadata;
}

/** Wraps one handler call; must call `handler` once and return what it returns. */
export type HandlerHook = (call: HandlerCall, handler: () => unknown) => unknown;

/** UTF-8 bytes of printed lines, each with its newline. */
function outputBytes(output: readonly string[]): number {
  let bytes = 0;
  for (const line of output) bytes += Buffer.byteLength(line) + 1;
  return bytes;
}

export class Execution implements CallSite {
  readonly executionId: string;
  readonly maxToolCalls: number;
  timeoutMs: number;
  run = 0;
  /** Set by the engine when replay is on; released when the execution ends. */
  journal: Journal | undefined;
  toolCalls = 0;
  readonly toolCallsByName: Record<string, number> = {};
  bytesFromTools = 0;
  settledLevel = 0;
  levels = 0;
  /** Set to [] by the engine for `engine.report()`; every answered call is then kept. */
  callLog: CallRecord[] | undefined;
  readonly failedCalls = new Map<number, FailedCall>();
  /** Lines received live from a streaming run, in order. */
  readonly liveLines: string[] = [];
  readonly promise: Promise<ExecuteResult>;
  // Created on first use: most executions never hand a signal to a handler, and creating
  // then aborting one per execution (a DOMException each) was the top main-thread cost.
  #controller: AbortController | undefined;
  readonly #startedAt = performance.now();
  #ended = false;
  #settled = false;
  #stopError: ToolWeaverError | undefined;
  #resolve!: (result: ExecuteResult) => void;
  #reject!: (error: ToolWeaverError) => void;
  #onEnd: (execution: Execution) => void;
  /** Set when the script went past `maxToolCalls`; ends the execution at once. */
  onLimit: () => void = () => {};
  /** Set when a re-run took another path than its lost run; ends the execution at once. */
  onDiverged: (detail: string) => void = () => {};
  /** Receives each output line of a streaming run, once, in order. */
  onLine: ((line: string) => void) | undefined;
  /** The script as submitted; its errors carry it (`error.script`) for their code frames. */
  script: string | undefined;
  /** Set by the engine: the time limit stops counting (first pause) and runs again (last resume). */
  onClockPause: () => void = () => {};
  onClockResume: () => void = () => {};
  /** The deadline to hand the worker with the next reply, once the clock ran again. */
  deadlineUpdate: number | undefined;
  #pauses = 0;
  /** What validation did to the text sent to make it a script (`metadata.normalized`). */
  normalized: readonly Normalization[] = [];
  /** The fence the script was taken from (`metadata.fence`). */
  fence: TakenFence | undefined;
  /** The caller's `hostContext`, handed to every handler as `ctx.hostContext`; never to the script. */
  hostContext: unknown;
  /** The caller's `onApproval` for this execution only; undefined leaves its calls to the engine's. */
  onApproval: ApprovalHandler | undefined;
  /** The engine's events; its outcome is emitted there if anyone listens. */
  events: EngineEvents | undefined;
  /** Wraps each handler call (instrumentation); undefined when none is installed. */
  handlerHook: HandlerHook | undefined;
  // The async context of the `execute` call: handlers run in it, whichever run (or p-limit
  // turn) reaches them, so the caller's AsyncLocalStorage stores and active spans hold. An
  // AsyncResource, not AsyncLocalStorage.snapshot(): the same capture, but snapshot() cost
  // ~70 us per call on Node 20 (it binds a function), about 1 us for the resource.
  readonly #context = new AsyncResource('toolweaver.execution');

  constructor(executionId: string, maxToolCalls: number, timeoutMs: number, onEnd: (execution: Execution) => void) {
    this.executionId = executionId;
    this.maxToolCalls = maxToolCalls;
    this.timeoutMs = timeoutMs;
    this.#onEnd = onEnd;
    this.promise = new Promise<ExecuteResult>((resolve, reject) => {
      this.#resolve = resolve;
      this.#reject = reject;
    });
  }

  get signal(): AbortSignal {
    this.#controller ??= new AbortController();
    if (this.#ended && !this.#controller.signal.aborted) this.#controller.abort();
    return this.#controller.signal;
  }

  /** True once the execution has an outcome or is being stopped: tool calls are refused. */
  get ended(): boolean {
    return this.#ended;
  }

  /** The error the main side stopped this execution with, while the worker winds it down. */
  get stopError(): ToolWeaverError | undefined {
    return this.#stopError;
  }

  /** Appends live output lines (streaming runs only). */
  receiveLines(lines: readonly string[]): void {
    for (const line of lines) {
      this.liveLines.push(line);
      this.onLine?.(line);
    }
  }

  /**
   * Stops the execution with `error` but leaves it unsettled, so the output the worker
   * gathered can still be attached when its task winds down. Handlers see ctx.signal abort.
   */
  stop(error: ToolWeaverError): void {
    if (this.#ended) return;
    this.#stopError = error;
    this.#markEnded();
  }

  /** True if any run of this execution made a tool call: their effects may have happened. */
  get madeToolCalls(): boolean {
    return this.toolCalls > 0 || (this.journal?.size ?? 0) > 0;
  }

  /**
   * Starts the counters of a new run after the last one lost its thread. Calls the new run
   * repeats are answered from the journal; the outcome stands only if it repeats them all.
   */
  rerun(): void {
    this.run++;
    this.toolCalls = 0;
    for (const name of Object.keys(this.toolCallsByName)) delete this.toolCallsByName[name];
    this.bytesFromTools = 0;
    this.settledLevel = 0;
    this.levels = 0;
    if (this.callLog !== undefined) this.callLog.length = 0;
    this.failedCalls.clear();
    this.journal?.rerun();
  }

  runHandler(handler: ToolHandler, input: unknown, context: ToolContext): unknown {
    const hook = this.handlerHook;
    // Without a hook, neither a closure nor a HandlerCall per call (issue 13, W2).
    if (hook === undefined) return this.#context.runInAsyncScope(handler, undefined, input, context);
    const call: HandlerCall = { executionId: context.executionId, toolName: context.toolName, callIndex: context.callIndex, run: this.run };
    return this.#context.runInAsyncScope(() => hook(call, () => handler(input, context)));
  }

  exceedToolCallLimit(): void {
    this.onLimit();
  }

  replayDiverged(detail: string): void {
    this.onDiverged(detail);
  }

  /** Settles with the script's value (or with the stop error, if the execution was stopped). */
  succeed(valueJson: string | undefined, output: string[], outputTruncated: boolean): void {
    if (this.#stopError !== undefined) return this.fail(this.#stopError, output, outputTruncated);
    if (!this.#settle()) return;
    const value = valueJson === undefined ? undefined : (JSON.parse(valueJson) as unknown);
    const metadata = this.metadata(valueJson, output, outputTruncated);
    this.#emitEnd(undefined, metadata, output);
    this.#resolve({ value, output, metadata });
  }

  /** True while a call waits for approval: the time limit does not count. */
  get clockPaused(): boolean {
    return this.#pauses > 0;
  }

  pauseClock(): () => void {
    if (this.#pauses++ === 0) this.onClockPause();
    let resumed = false;
    return () => {
      if (resumed) return;
      resumed = true;
      if (--this.#pauses === 0) this.onClockResume();
    };
  }

  takeDeadlineUpdate(): number | undefined {
    const update = this.deadlineUpdate;
    this.deadlineUpdate = undefined;
    return update;
  }

  /** Settles with an error (the stop error wins if there is one); attaches output and metadata. */
  fail(failure: ToolWeaverError, output: readonly string[] = this.liveLines, outputTruncated = false): void {
    if (!this.#settle()) return;
    const error = this.#stopError ?? failure;
    error.script ??= this.script;
    error.output = [...output];
    error.metadata = this.metadata(undefined, output, outputTruncated);
    this.#emitEnd(error, error.metadata, error.output);
    this.#reject(error);
  }

  /** Settles with an unexpected (non-toolweaver) error, as it is: a bug report, not an outcome class. */
  crash(error: unknown): void {
    if (!this.#settle()) return;
    this.#emitEnd(error, undefined, []);
    this.#reject(error as ToolWeaverError);
  }

  #emitEnd(error: unknown, metadata: ExecutionMetadata | undefined, output: readonly string[]): void {
    const events = this.events;
    if (events === undefined) return;
    if (metadata !== undefined && events.wants('output')) {
      events.emit('output', { executionId: this.executionId, lineCount: output.length, bytes: outputBytes(output), truncated: metadata.outputTruncated, ...(events.withData ? { lines: [...output] } : {}) });
    }
    if (!events.wants('execution:end')) return;
    events.emit('execution:end', {
      executionId: this.executionId,
      status: error === undefined ? 'fulfilled' : 'rejected',
      code: error instanceof Error && 'code' in error && typeof error.code === 'string' ? error.code : undefined,
      durationMs: metadata?.elapsedMs ?? Math.round((performance.now() - this.#startedAt) * 100) / 100,
      toolCalls: metadata?.toolCalls ?? this.toolCalls,
      reruns: this.run,
      replayedCalls: metadata?.replayedCalls ?? 0,
      bytesFromTools: metadata?.bytesFromTools ?? this.bytesFromTools,
      bytesReturned: metadata?.bytesReturned ?? 0,
    });
  }

  /** Builds the error class for a record that came back from the worker. */
  errorFromRecord(record: ErrorRecord): ToolWeaverError {
    switch (record.code) {
      case 'ERR_SCRIPT':
        return new ScriptError(record.name, record.message, { line: record.line, column: record.column });
      case 'ERR_RESULT_NOT_SERIALIZABLE':
        return new ResultNotSerializableError(record.path, record.message);
      case 'ERR_PAYLOAD_TOO_LARGE':
        return new PayloadTooLargeError('value', record.limit, record.message);
      case 'ERR_TOOL_CALL': {
        const failed = this.failedCalls.get(record.callId);
        const tool = failed?.tool ?? 'unknown';
        const cause = failed?.error;
        const detail = cause instanceof Error ? cause.message : String(cause);
        return new ToolCallError(tool, failed?.callIndex ?? record.callId, `Tool \`${tool}\` failed and the script did not catch it: ${detail}`, { cause });
      }
      case 'ERR_EXECUTION_TIMEOUT':
        return new ExecutionTimeoutError(this.timeoutMs);
      case 'ERR_EXECUTION_ABORTED':
        return new ExecutionAbortedError('signal');
      case 'ERR_MEMORY_LIMIT':
        return new MemoryLimitError(record.limitMb);
    }
  }

  metadata(valueJson: string | undefined, output: readonly string[], outputTruncated: boolean): ExecutionMetadata {
    return {
      executionId: this.executionId,
      toolCalls: this.toolCalls,
      toolCallsByName: { ...this.toolCallsByName },
      reruns: this.run,
      replayedCalls: this.journal?.replayed ?? 0,
      elapsedMs: Math.round((performance.now() - this.#startedAt) * 100) / 100,
      tokensEstimated: countResultTokens(valueJson, output),
      bytesFromTools: this.bytesFromTools,
      bytesReturned: (valueJson === undefined ? 0 : Buffer.byteLength(valueJson)) + outputBytes(output),
      outputTruncated,
      normalized: [...this.normalized],
      ...(this.fence === undefined ? {} : { fence: { ...this.fence } }),
    };
  }

  #settle(): boolean {
    if (this.#settled) return false;
    this.#settled = true;
    this.#markEnded();
    return true;
  }

  #markEnded(): void {
    if (this.#ended) return;
    this.#ended = true;
    this.journal?.release();
    // Handlers still running for this execution see ctx.signal abort, whatever the outcome.
    this.#controller?.abort();
    this.#onEnd(this);
  }
}
