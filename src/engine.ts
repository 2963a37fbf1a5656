// Owns the Engine: validate on the main thread -> hand ready tasks to the scheduler -> route
// tool calls to the dispatcher -> one outcome per execution; and close(). The public API of
// the package lives here; how runs live and die on the pool lives in scheduler.ts.

import { randomUUID } from 'node:crypto';
import { executeMany, type BatchOutcome, type ExecuteManyOptions, type JobSource } from './batch/index.js';
import { decodeCalls } from './call-frame.js';
import { CompiledScript, preparedOf } from './compiled-script.js';
import { createDispatcher, Journal, ReplayBudget, type Dispatcher } from './dispatch/index.js';
import { EngineClosedError, ExecutionAbortedError, InvalidOptionsError, ToolCallLimitError, ToolWeaverError, WorkerCrashedError } from './errors.js';
import { Execution, type ExecuteResult, type HandlerHook } from './execution.js';
import { EngineEvents, ENGINE_EVENT_NAMES, emitPoolEvent, registerHandlerHookSetter, type EngineEventListener, type EngineEventName } from './observe/index.js';
import { resolveEngineOptions, resolveExecuteOptions, type EngineOptions, type ExecuteOptions, type ResolvedEngineOptions, type ResolvedExecuteOptions } from './options.js';
import { createValidationPacer } from './validation-pacer.js';
import { findApprovalReach } from './approval-reach.js';
import { replayRecordOf } from './replay-record.js';
import { createProcessPool, createScriptPool, type PoolEvent, type PortLink, type ScriptPool } from './pool/index.js';
import { createPreparedCache, type PreparedCache } from './prepared-cache.js';
import type { CallReply, CallRequest, RunTask, ScriptLimits, TaskSetup, WorkerMessage } from './protocol.js';
import { Scheduler, type Slot } from './scheduler.js';
import { streamExecution, type StreamEvent } from './streaming.js';
import { warmTokenCounter } from './tokens.js';
import type { PreparedScript } from './validate/index.js';
import type { PromptOptions } from './catalog/index.js';
import { compareContext, type ExecutionReport } from './report/index.js';

export type { StreamEvent } from './streaming.js';

/**
 * What a forced close gives the drain beyond `killGraceMs`: two liveness probes (100 ms
 * each) and a termination (200 ms before a stuck thread is abandoned), with room to spare.
 */
const FORCED_DRAIN_SLACK_MS = 1_000;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms).unref());

/** Options of `close`. */
export interface CloseOptions {
  /** End running and queued executions with ExecutionAbortedError instead of draining them. @default false */
  force?: boolean | undefined;
}

interface ToolsSnapshot {
  version: number;
  names: ReadonlySet<string>;
  /** JSON text of the tasks' TaskSetup (tool bindings and limits) for this catalog version. */
  setup: string;
}

/** Runs LLM-written scripts against a tool catalog. Create with `createEngine`. */
export class Engine {
  readonly #options: ResolvedEngineOptions;
  readonly #pool: ScriptPool;
  readonly #dispatcher: Dispatcher;
  readonly #scheduler: Scheduler;
  readonly #prepared: PreparedCache;
  readonly #limits: ScriptLimits;
  /** Undefined when replay is off. */
  readonly #replayBudget: ReplayBudget | undefined;
  readonly #events: EngineEvents;
  #handlerHook: HandlerHook | undefined;
  #tools: ToolsSnapshot | undefined;
  #closing: Promise<void> | undefined;
  readonly #pacer = createValidationPacer();
  #forcedClose: Promise<void> | undefined;

  constructor(options: EngineOptions) {
    this.#options = resolveEngineOptions(options);
    const { catalog, validateOutput, maxResultChars, maxArgumentChars, stubs, onApproval, approvalTimeoutMs } = this.#options;
    this.#prepared = createPreparedCache(catalog, this.#options.normalize);
    this.#replayBudget = this.#options.replayToolCalls ? new ReplayBudget(this.#options.maxReplayChars) : undefined;
    this.#events = new EngineEvents(this.#options.eventData);
    registerHandlerHookSetter(this, (hook) => (this.#handlerHook = hook));
    const perExecution = onApproval === 'per-execution';
    this.#dispatcher = createDispatcher(catalog, { validateOutput, maxResultChars, maxArgumentChars, stubs: stubs ?? { tools: new Set(), seed: '' }, onApproval: perExecution ? undefined : onApproval, approvalsPerExecution: perExecution, approvalTimeoutMs, observer: this.#events });
    const { maxOutputLines, maxOutputChars, maxArgumentCharsPerExecution, maxValueChars, maxToolCalls } = this.#options;
    this.#limits = Object.freeze({ maxOutputLines, maxOutputChars, maxArgumentChars, maxArgumentCharsPerExecution, maxValueChars, maxToolCalls, memoryLimitMb: this.#options.memoryLimitMb });
    const poolOptions = { threads: this.#options.threads, scriptsPerThread: this.#options.scriptsPerThread, memoryLimitMb: this.#options.memoryLimitMb };
    const onMessage = (message: WorkerMessage, link: PortLink): void => this.#onWorkerMessage(message, link);
    // SECURITY: "An allocation that aborts a whole Node process cannot take the host down":
    // the safe mode is the default; threads in the host process only when asked for.
    const onPoolEvent = (event: PoolEvent): void => emitPoolEvent(this.#events, event);
    this.#pool = this.#options.isolation === 'process' ? createProcessPool(poolOptions, onMessage, undefined, onPoolEvent) : createScriptPool(poolOptions, onMessage, onPoolEvent);
    this.#scheduler = new Scheduler(this.#pool, { killGraceMs: this.#options.killGraceMs, memoryLimitMb: this.#options.memoryLimitMb, onPoolEvent });
    // The first result counts tokens; the tokenizer's first count is slow. Done while the
    // pool starts, after anything the caller does in this turn (its first execute, say).
    setImmediate(warmTokenCounter).unref();
  }

  /**
   * Calls `listener` with each `name` event (see the README's Observability section). Payloads
   * carry ids, names, counts, durations and codes; the script's data only with `eventData`.
   * Listeners run synchronously; one that throws is reported with `process.emitWarning`.
   */
  on<Name extends EngineEventName>(name: Name, listener: EngineEventListener<Name>): this {
    this.#events.on(checkEventName(name), listener);
    return this;
  }

  /** Removes a listener added with `on`. */
  off<Name extends EngineEventName>(name: Name, listener: EngineEventListener<Name>): this {
    this.#events.off(name, listener);
    return this;
  }

  /**
   * The complete system-prompt text for this engine: sandbox rules with this engine's limits
   * (`timeoutMs`, `maxToolCalls`, `maxOutputLines`), one example, the declarations.
   */
  instructions(options?: Omit<PromptOptions, 'timeoutMs' | 'maxToolCalls' | 'maxOutputLines'>): string {
    const { catalog, timeoutMs, maxToolCalls, maxOutputLines } = this.#options;
    return catalog.toPrompt({ ...options, timeoutMs, maxToolCalls, maxOutputLines });
  }

  /**
   * Runs one script like `execute` and measures it against a tool-calling loop: the bytes
   * and tokens of every tool result and the round trips its dependency levels would cost.
   * Keeps every answer until the outcome; use it for reports, not in production traffic.
   */
  async report(code: string | CompiledScript, options?: ExecuteOptions): Promise<ExecutionReport> {
    const execution = this.#submit(code, options, undefined, true);
    const result = await execution.promise;
    return compareContext(result, execution.callLog ?? [], execution.levels);
  }

  /**
   * Validates and prepares a script once, to run it many times (over many contexts).
   * Throws SecurityValidationError or ScriptSyntaxError, like `execute` would reject.
   */
  compile(code: string): CompiledScript {
    if (typeof code !== 'string') throw scriptTypeError(code);
    try {
      return new CompiledScript(code, this.#options.catalog.version, this.#prepared.validate(code), this);
    } catch (error) {
      if (error instanceof ToolWeaverError) error.script ??= code;
      throw error;
    }
  }

  /** Whether the engine has an `onApproval` function of its own (not none, not `'per-execution'`). */
  get hasApprovalHandler(): boolean {
    return typeof this.#options.onApproval === 'function';
  }

  /**
   * Registered names of the tools marked `needsApproval` that `code` may call, sorted: read
   * statically and conservatively (a tool's or its namespace's name anywhere, aliased, passed
   * on or indexed with a computed key, counts). Empty when the script would not run (it
   * does not validate), or reaches no such tool. For asking before a script runs.
   */
  toolsNeedingApproval(code: string): string[] {
    if (typeof code !== 'string') throw scriptTypeError(code);
    try {
      this.#prepared.get(code);
    } catch (error) {
      if (error instanceof ToolWeaverError) return [];
      throw error;
    }
    return findApprovalReach(this.#options.catalog, code, this.#options.normalize);
  }

  /** Runs one script (source or compiled) to its result. Rejects with a ToolWeaverError subclass; never throws. */
  execute(code: string | CompiledScript, options?: ExecuteOptions): Promise<ExecuteResult> {
    return this.#submit(code, options, undefined).promise;
  }

  /** Runs one script, yielding each printed line as it is printed, then one result event. Throws the typed error on failure. */
  executeStreaming(code: string | CompiledScript, options?: ExecuteOptions): AsyncGenerator<StreamEvent, void, undefined> {
    const execution = this.#submit(code, options, () => {});
    // A consumer that stops listening early ends the execution.
    return streamExecution(execution, () => this.#scheduler.end(execution, new ExecutionAbortedError('signal')));
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
    // Scripts submitted before close() are admitted (validated) now, then drained or aborted.
    this.#pacer.flush();
    if (options.force !== true) {
      this.#closing ??= this.#scheduler.drain().then(() => this.#pool.destroy());
      return this.#closing;
    }
    for (const execution of this.#scheduler.executions()) this.#scheduler.end(execution, new ExecutionAbortedError('close'));
    // SECURITY: "close({ force: true }) returns within its bound": the drain is given the
    // kill grace plus a probe and a termination, then the pool is destroyed whatever its
    // threads are doing (every execution has its outcome by then: each was ended above).
    const drained = Promise.race([this.#scheduler.drain(), sleep(this.#options.killGraceMs + FORCED_DRAIN_SLACK_MS)]);
    this.#forcedClose ??= drained.then(() => this.#pool.destroy({ force: true }));
    this.#closing ??= this.#forcedClose;
    return this.#forcedClose;
  }

  #submit(code: string | CompiledScript, options: ExecuteOptions | undefined, onLine: ((line: string) => void) | undefined, recordCalls = false): Execution {
    const execution = new Execution(`tw-${randomUUID()}`, this.#options.maxToolCalls, options?.timeoutMs ?? this.#options.timeoutMs, (ended) => this.#scheduler.onEnded(ended));
    execution.onLine = onLine;
    execution.events = this.#events;
    execution.handlerHook = this.#handlerHook;
    if (this.#events.wants('execution:start')) this.#events.emit('execution:start', { executionId: execution.executionId });
    execution.script = typeof code === 'string' ? code : code instanceof CompiledScript ? code.source : undefined;
    if (recordCalls) execution.callLog = [];
    const record = replayRecordOf(options);
    if (this.#replayBudget !== undefined || record !== undefined) execution.journal = new Journal(this.#replayBudget ?? new ReplayBudget(this.#options.maxReplayChars));
    if (this.#closing !== undefined) {
      execution.fail(new EngineClosedError());
      return execution;
    }
    // SECURITY: "A re-run never repeats a tool call": calls of runs on other hosts are
    // replayed from their record; a record that does not fit is never run past.
    if (record !== undefined && execution.journal !== undefined) {
      execution.journal.sink = record.sink;
      if (!execution.journal.seed(record.calls)) {
        execution.fail(new WorkerCrashedError(true, 'the record of its earlier runs is larger than `maxReplayChars`, so it was not run again'));
        return execution;
      }
    }
    try {
      // Options now (the context is copied as the caller passed it); validation may wait
      // for a later turn when a burst of submissions has used this turn's slice.
      const tools = this.#toolsSnapshot();
      const resolved = resolveExecuteOptions(options, this.#options, tools.names);
      execution.timeoutMs = resolved.timeoutMs;
      this.#pacer.run(() => this.#admit(execution, code, resolved, tools.setup, onLine !== undefined));
    } catch (error) {
      this.#failSubmission(execution, error);
    }
    return execution;
  }

  #admit(execution: Execution, code: string | CompiledScript, resolved: ResolvedExecuteOptions, setup: string, streamOutput: boolean): void {
    if (execution.ended) return;
    try {
      const prepared = this.#prepare(code);
      execution.normalized = prepared.normalized;
      execution.fence = prepared.fence;
      execution.hostContext = resolved.hostContext;
      execution.onApproval = resolved.onApproval;
      const slot: Slot = { execution, task: this.#createTask(execution, prepared.code, resolved.contextJson, setup, streamOutput) };
      execution.onLimit = () => this.#scheduler.end(execution, new ToolCallLimitError(execution.maxToolCalls));
      execution.onDiverged = (detail) => this.#scheduler.end(execution, new WorkerCrashedError(true, detail));
      execution.onClockPause = () => this.#scheduler.pauseClock(execution);
      execution.onClockResume = () => this.#scheduler.resumeClock(execution);
      this.#scheduler.register(slot);
      this.#watchSignal(slot, resolved.signal);
      if (!execution.ended) this.#scheduler.admit(slot);
    } catch (error) {
      this.#failSubmission(execution, error);
    }
  }

  // Validation and option errors are expected here. Anything else is a bug of ours; it
  // still becomes this execution's one outcome (a rejection), never a synchronous throw.
  #failSubmission(execution: Execution, error: unknown): void {
    if (error instanceof ToolWeaverError) execution.fail(error);
    else execution.crash(error);
  }

  #prepare(code: string | CompiledScript): PreparedScript {
    if (code instanceof CompiledScript) {
      const prepared = preparedOf(code, this);
      if (prepared !== undefined && code.catalogVersion === this.#options.catalog.version) return prepared;
      return this.#prepared.get(code.source);
    }
    if (typeof code !== 'string') throw scriptTypeError(code);
    return this.#prepared.get(code);
  }

  /** Tool names and the task setup of the catalog, recomputed only when the catalog changes. */
  #toolsSnapshot(): ToolsSnapshot {
    const { catalog } = this.#options;
    if (this.#tools?.version !== catalog.version) {
      const tools = catalog.list();
      const names = new Set(tools.flatMap((tool) => [tool.name, tool.scriptPath[0]!]));
      const setup: TaskSetup = { tools: tools.map((tool) => ({ name: tool.name, path: tool.scriptPath })), limits: this.#limits };
      this.#tools = { version: catalog.version, names, setup: JSON.stringify(setup) };
    }
    return this.#tools;
  }

  #createTask(execution: Execution, code: string, contextJson: string | undefined, setup: string, streamOutput: boolean): RunTask {
    return { executionId: execution.executionId, slot: 0, code, contextJson, setup, deadlineAt: 0, streamOutput };
  }

  #watchSignal(slot: Slot, signal: AbortSignal | undefined): void {
    if (signal === undefined) return;
    const { execution } = slot;
    const abort = (): void => this.#scheduler.end(execution, new ExecutionAbortedError('signal', { cause: signal.reason }));
    if (signal.aborted) return abort();
    signal.addEventListener('abort', abort, { once: true });
    slot.unwatch = () => signal.removeEventListener('abort', abort);
  }

  /**
   * SECURITY: "A script cannot kill its thread or the host": the dispatcher turns an
   * exception while routing a call into that call's refusal; this catches anything before
   * that (a bug of ours), so nothing escapes into the port handler, which would end the host.
   */
  #dispatchSafely(call: CallRequest, reply: (reply: CallReply) => void): void {
    const execution = this.#scheduler.executionOf(call.executionId, call.slot);
    try {
      this.#dispatcher.dispatch(call, execution, reply);
    } catch {
      reply({ executionId: call.executionId, callId: call.callId, ok: false, message: 'the call could not be processed' });
    }
  }

  #onWorkerMessage(message: WorkerMessage, link: PortLink): void {
    if (message.type === 'calls') {
      const reply = link.reply;
      for (const call of decodeCalls(message.frame)) this.#dispatchSafely(call, reply);
    } else if (message.type === 'output') {
      const execution = this.#scheduler.executionOf(message.executionId, message.slot);
      if (execution !== undefined && !execution.ended) execution.receiveLines(message.lines);
    }
  }
}

function checkEventName<Name extends EngineEventName>(name: Name): Name {
  if (!ENGINE_EVENT_NAMES.includes(name)) throw new InvalidOptionsError('event', `Unknown event \`${String(name)}\`; expected one of ${ENGINE_EVENT_NAMES.join(', ')}`);
  return name;
}

function scriptTypeError(code: unknown): InvalidOptionsError {
  return new InvalidOptionsError('code', `Expected the script to be a string or a CompiledScript, got ${code === null ? 'null' : typeof code}`);
}

/** Creates an engine: validates options, starts the worker pool. */
export function createEngine(options: EngineOptions): Engine {
  return new Engine(options);
}
