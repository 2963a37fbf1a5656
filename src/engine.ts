// Owns the Engine: validate on the main thread -> admit onto the pool -> dispatch tool calls
// -> one outcome per execution; and close(). Admission is ours, not piscina's, so a queued
// script can be aborted and at most `capacity` scripts sit on the threads.

import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { executeMany, type BatchOutcome, type ExecuteManyOptions, type JobSource } from './batch/index.js';
import { createDispatcher, type Dispatcher } from './dispatch/index.js';
import { CompiledScript, preparedOf } from './compiled-script.js';
import { Fifo } from './fifo.js';
import type { PreparedScript } from './validate/index.js';
import { EngineClosedError, ExecutionAbortedError, InvalidOptionsError, MemoryLimitError, ExecutionTimeoutError, ToolCallLimitError, ToolWeaverError, WorkerCrashedError } from './errors.js';
import { Execution, type ExecuteResult } from './execution.js';
import { resolveEngineOptions, resolveExecuteOptions, type EngineOptions, type ExecuteOptions, type ResolvedEngineOptions } from './options.js';
import { createScriptPool, type PortLink, type ScriptPool } from './pool/index.js';
import type { RunOutcome, RunTask, ScriptLimits, ToolBinding, WorkerMessage } from './protocol.js';

/**
 * How long a stopped execution waits for its worker to hand back the output gathered so
 * far before it settles without it (a responsive worker answers a cancel within ~1 ms).
 */
const STOP_OUTPUT_WAIT_MS = 20;

/**
 * Re-runs of a tool-free script whose thread died under another script. The issue asked for
 * one; under churn (several threads dying in a row) an innocent script can lose its thread
 * repeatedly, and re-running it is always safe. The bound only stops a livelock.
 */
const MAX_RERUNS = 10;
import { createPreparedCache, type PreparedCache } from './prepared-cache.js';
import { createWatchdog, type Watchdog } from './watchdog.js';

/** One event of `executeStreaming`. */
export type StreamEvent = { type: 'output'; line: string } | { type: 'result'; result: ExecuteResult };

/** Options of `close`. */
export interface CloseOptions {
  /** End running and queued executions with ExecutionAbortedError instead of draining them. @default false */
  force?: boolean;
}

interface Slot {
  execution: Execution;
  task: RunTask;
  timer?: NodeJS.Timeout;
  /** The number the worker writes to its culprit slot while running this script. */
  number?: number;
  /** performance.now() past which the current run has overrun its time limit. */
  deadline?: number;
  /** Times re-run after losing its thread to another script. */
  reruns?: number;
  /** Back in the queue after losing its thread: keep it registered. */
  requeued?: boolean;
  /** Detaches the caller's abort listener. */
  unwatch?: () => void;
  /** Resolves when the worker is done with the task (or its thread died). */
  running?: Promise<void>;
}

interface ToolsSnapshot {
  version: number;
  names: ReadonlySet<string>;
  bindings: readonly ToolBinding[];
}

/** Runs LLM-written scripts against a tool catalog. Create with `createEngine`. */
export class Engine {
  readonly #options: ResolvedEngineOptions;
  readonly #pool: ScriptPool;
  readonly #dispatcher: Dispatcher;
  readonly #watchdog: Watchdog;
  readonly #prepared: PreparedCache;
  readonly #slots = new Map<string, Slot>();
  readonly #queue = new Fifo<Slot>();
  readonly #limits: ScriptLimits;
  #tools: ToolsSnapshot | undefined;
  #running = 0;
  readonly #bySlot = new Map<number, Slot>();
  #lastSlot = 0;
  #closing: Promise<void> | undefined;

  constructor(options: EngineOptions) {
    this.#options = resolveEngineOptions(options);
    this.#prepared = createPreparedCache(this.#options.catalog);
    this.#dispatcher = createDispatcher(this.#options.catalog, { validateOutput: this.#options.validateOutput, maxResultChars: this.#options.maxResultChars, maxArgumentChars: this.#options.maxArgumentChars, stubs: this.#options.stubs ?? { tools: new Set(), seed: '' } });
    const { maxOutputLines, maxOutputChars, maxArgumentChars, maxArgumentCharsPerExecution, maxValueChars } = this.#options;
    this.#limits = Object.freeze({ maxOutputLines, maxOutputChars, maxArgumentChars, maxArgumentCharsPerExecution, maxValueChars });
    this.#pool = createScriptPool(
      { threads: this.#options.threads, scriptsPerThread: this.#options.scriptsPerThread, memoryLimitMb: this.#options.memoryLimitMb },
      (message, link) => this.#onWorkerMessage(message, link),
    );
    this.#watchdog = createWatchdog(this.#pool, this.#options.killGraceMs, (culprit) => this.#judge(culprit));
    this.#pool.onPlacementResumed(() => this.#pump());
  }

  /**
   * Validates and prepares a script once, to run it many times (over many contexts).
   * Throws SecurityValidationError or ScriptSyntaxError, like `execute` would reject.
   */
  compile(code: string): CompiledScript {
    if (typeof code !== 'string') throw new InvalidOptionsError('code', `Expected the script to be a string, got ${code === null ? 'null' : typeof code}`);
    return new CompiledScript(code, this.#options.catalog.version, this.#prepared.validate(code));
  }

  /** Runs one script (source or compiled) to its result. Rejects with a ToolWeaverError subclass; never throws. */
  execute(code: string | CompiledScript, options?: ExecuteOptions): Promise<ExecuteResult> {
    return this.#submit(code, options, undefined).promise;
  }

  /** Runs one script, yielding each printed line as it is printed, then one result event. Throws the typed error on failure. */
  async *executeStreaming(code: string | CompiledScript, options?: ExecuteOptions): AsyncGenerator<StreamEvent, void, undefined> {
    const events: StreamEvent[] = [];
    let wake: (() => void) | undefined;
    const execution = this.#submit(code, options, (line) => {
      events.push({ type: 'output', line });
      wake?.();
    });
    let outcome: { result: ExecuteResult } | { error: unknown } | undefined;
    execution.promise.then((result) => (outcome = { result }), (error: unknown) => (outcome = { error })).finally(() => wake?.());
    try {
      while (true) {
        while (events.length > 0) yield events.shift()!;
        if (outcome !== undefined) break;
        await new Promise<void>((resolve) => (wake = resolve));
        wake = undefined;
      }
    } finally {
      // A consumer that stops listening early ends the execution.
      if (outcome === undefined) this.#end(execution, new ExecutionAbortedError('signal'));
    }
    if ('error' in outcome) throw outcome.error;
    yield { type: 'result', result: outcome.result };
  }

  /**
   * Runs many jobs (`{ code, context?, id? }` from an array, an iterable or an async iterable)
   * and yields one outcome per job, `{ id, index, status, result | error }`, in completion
   * order. Identical code is compiled once per batch; a failing job never stops the batch.
   * Throws InvalidOptionsError at once for bad options or a source that is not iterable.
   */
  executeMany(jobs: JobSource, options?: ExecuteManyOptions): AsyncGenerator<BatchOutcome, void, undefined> {
    return executeMany(this, jobs, options);
  }

  /** Stops accepting scripts, drains (or with `force`, aborts) the rest, and stops the threads. */
  close(options: CloseOptions = {}): Promise<void> {
    if (options.force === true) for (const slot of [...this.#slots.values()]) this.#end(slot.execution, new ExecutionAbortedError('close'));
    this.#closing ??= this.#drainAndDestroy();
    return this.#closing;
  }

  async #drainAndDestroy(): Promise<void> {
    // Wait on tasks, not outcomes: a stopped execution settles before its task is done.
    while (this.#slots.size > 0) await Promise.allSettled([...this.#slots.values()].map((slot) => slot.running ?? slot.execution.promise));
    await this.#watchdog.idle();
    await this.#pool.destroy();
  }

  #submit(code: string | CompiledScript, options: ExecuteOptions | undefined, onLine: ((line: string) => void) | undefined): Execution {
    const execution = new Execution(`tw-${randomUUID()}`, this.#options.maxToolCalls, options?.timeoutMs ?? this.#options.timeoutMs, (ended) => this.#onEnded(ended));
    execution.onLine = onLine;
    if (this.#closing !== undefined) {
      execution.fail(new EngineClosedError());
      return execution;
    }
    try {
      const tools = this.#toolsSnapshot();
      const resolved = resolveExecuteOptions(options, this.#options, tools.names);
      const prepared = this.#prepare(code);
      execution.timeoutMs = resolved.timeoutMs;
      const slot: Slot = { execution, task: this.#createTask(execution, prepared.code, resolved.contextJson, tools.bindings, onLine !== undefined) };
      execution.onLimit = () => this.#end(execution, new ToolCallLimitError(execution.maxToolCalls));
      this.#slots.set(execution.executionId, slot);
      this.#watchSignal(slot, resolved.signal);
      if (!execution.ended) this.#admit(slot);
    } catch (error) {
      // Validation and option errors are expected here. Anything else is a bug of ours; it
      // still becomes this execution's one outcome (a rejection), never a synchronous throw.
      if (error instanceof ToolWeaverError) execution.fail(error);
      else execution.crash(error);
    }
    return execution;
  }

  #prepare(code: string | CompiledScript): PreparedScript {
    if (code instanceof CompiledScript) {
      const prepared = preparedOf(code);
      if (prepared !== undefined && code.catalogVersion === this.#options.catalog.version) return prepared;
      return this.#prepared.get(code.source);
    }
    if (typeof code !== 'string') throw new InvalidOptionsError('code', `Expected the script to be a string or CompiledScript, got ${code === null ? 'null' : typeof code}`);
    return this.#prepared.get(code);
  }

  /** Tool names and bindings of the catalog, recomputed only when the catalog changes. */
  #toolsSnapshot(): ToolsSnapshot {
    const { catalog } = this.#options;
    if (this.#tools?.version !== catalog.version) {
      const tools = catalog.list();
      const names = new Set(tools.flatMap((tool) => [tool.name, tool.scriptPath[0]!]));
      this.#tools = { version: catalog.version, names, bindings: Object.freeze(tools.map((tool) => Object.freeze({ name: tool.name, path: tool.scriptPath }))) };
    }
    return this.#tools;
  }

  #createTask(execution: Execution, code: string, contextJson: string | undefined, tools: readonly ToolBinding[], streamOutput: boolean): RunTask {
    const { executionId, timeoutMs } = execution;
    return { executionId, slot: 0, code, contextJson, tools, timeoutMs, streamOutput, limits: this.#limits };
  }

  #watchSignal(slot: Slot, signal: AbortSignal | undefined): void {
    if (signal === undefined) return;
    const { execution } = slot;
    const abort = (): void => this.#end(execution, new ExecutionAbortedError('signal', { cause: signal.reason }));
    if (signal.aborted) return abort();
    signal.addEventListener('abort', abort, { once: true });
    slot.unwatch = () => signal.removeEventListener('abort', abort);
  }

  #admit(slot: Slot): void {
    this.#queue.push(slot);
    this.#pump();
  }

  #start(slot: Slot): void {
    const { execution } = slot;
    this.#running++;
    // Slot numbers are small positive int32s; wrapping after 2^31 runs cannot collide with
    // a live run (at most `capacity` are live).
    const number = (this.#lastSlot = (this.#lastSlot % 0x7fffffff) + 1);
    slot.number = number;
    slot.task.slot = number;
    this.#bySlot.set(number, slot);
    slot.task.timeoutMs = execution.timeoutMs;
    slot.deadline = performance.now() + execution.timeoutMs;
    slot.timer = setTimeout(() => this.#end(execution, new ExecutionTimeoutError(execution.timeoutMs)), execution.timeoutMs);
    slot.running = this.#pool.run(slot.task).then(
      (outcome) => this.#onOutcome(execution, outcome),
      (error: unknown) => this.#onTaskLost(slot, error),
    ).finally(() => {
      this.#running--;
      this.#bySlot.delete(number);
      if (slot.requeued === true) slot.requeued = false;
      else this.#slots.delete(execution.executionId);
      this.#pump();
    });
  }

  /**
   * The thread running `slot` died. A script stopped by us keeps its stop error (the
   * culprit's timeout); the one running when memory ran out gets MemoryLimitError. A
   * bystander that made no tool call cannot have had side effects: it runs again on a
   * healthy thread, up to MAX_RERUNS times (several threads can die in a row under load).
   * Any other gets WorkerCrashedError.
   */
  #onTaskLost(slot: Slot, error: unknown): void {
    const { execution } = slot;
    if (execution.stopError !== undefined) return execution.fail(execution.stopError);
    // SECURITY: "A script that exhausts its thread's memory fails alone": the culprit slot of
    // the dead thread names the script that was running when the heap limit was reached.
    if ((error as { code?: unknown }).code === 'ERR_WORKER_OUT_OF_MEMORY' && this.#pool.wasRunning(slot.number ?? 0)) {
      return execution.fail(new MemoryLimitError(this.#options.memoryLimitMb, { cause: error }));
    }
    if (!execution.ended && execution.toolCalls === 0 && execution.liveLines.length === 0 && (slot.reruns ?? 0) < MAX_RERUNS) {
      clearTimeout(slot.timer);
      slot.reruns = (slot.reruns ?? 0) + 1;
      slot.requeued = true;
      // Queued again: not running until #start, so an abort meanwhile settles it at once.
      slot.running = undefined;
      this.#queue.push(slot);
      return;
    }
    const detail = error instanceof Error ? error.message : 'unknown failure';
    execution.fail(new WorkerCrashedError(execution.toolCalls > 0, detail, { cause: error }));
  }

  /** The watchdog's question: may the thread on which `culprit` spins be terminated? */
  #judge(culprit: number): 'kill' | 'wait' {
    const slot = this.#bySlot.get(culprit);
    if (slot === undefined || slot.execution.ended) return 'kill';
    // A legitimate heavy step inside its own time limit is left alone, even if scripts
    // sharing its thread time out meanwhile.
    if (performance.now() < (slot.deadline ?? 0)) return 'wait';
    this.#end(slot.execution, new ExecutionTimeoutError(slot.execution.timeoutMs));
    return 'kill';
  }

  #pump(): void {
    while (this.#running < this.#pool.capacity && !this.#pool.placementPaused && this.#queue.length > 0) {
      const slot = this.#queue.shift()!;
      if (!slot.execution.ended) this.#start(slot);
    }
  }

  #onOutcome(execution: Execution, outcome: RunOutcome): void {
    if (execution.onLine !== undefined) execution.receiveLines(outcome.output.slice(execution.liveLines.length));
    if (outcome.ok) execution.succeed(outcome.valueJson, outcome.output, outcome.outputTruncated);
    else execution.fail(execution.errorFromRecord(outcome.error), outcome.output, outcome.outputTruncated);
  }

  /**
   * Ends an execution from the main side (timeout, abort, tool-call limit, forced close).
   * A running script is cancelled in its worker and settles when the worker hands back
   * its output, or after STOP_OUTPUT_WAIT_MS; the watchdog ends the thread if it is stuck.
   */
  #end(execution: Execution, error: ToolWeaverError): void {
    if (execution.ended) return;
    const running = this.#slots.get(execution.executionId)?.running;
    if (running === undefined) return execution.fail(error);
    execution.stop(error);
    this.#watchdog.stop(execution.executionId, error instanceof ExecutionTimeoutError ? 'timeout' : 'aborted', running);
    setTimeout(() => execution.fail(error), STOP_OUTPUT_WAIT_MS).unref();
  }

  #onEnded(execution: Execution): void {
    const slot = this.#slots.get(execution.executionId);
    if (slot === undefined) return;
    clearTimeout(slot.timer);
    slot.unwatch?.();
    // A queued execution never started: forget it now. A running one leaves when its task does.
    if (slot.running === undefined) this.#slots.delete(execution.executionId);
  }

  #onWorkerMessage(message: WorkerMessage, link: PortLink): void {
    if (message.type === 'calls') {
      const reply = link.reply;
      for (const call of message.calls) this.#dispatcher.dispatch(call, this.#slots.get(call.executionId)?.execution, reply);
    } else if (message.type === 'output') {
      const execution = this.#slots.get(message.executionId)?.execution;
      if (execution !== undefined && !execution.ended) execution.receiveLines(message.lines);
    }
  }
}

/** Creates an engine: validates options, starts the worker pool. */
export function createEngine(options: EngineOptions): Engine {
  return new Engine(options);
}
