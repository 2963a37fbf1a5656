// Owns engine and execute options: defaults (frozen), validation once at the boundary,
// unknown keys rejected. Never mutates or clamps what the caller passed. Longer than our
// usual file because every option carries its TSDoc here, next to its check.

import { availableParallelism } from 'node:os';
import { ToolCatalog } from './catalog/index.js';
import { mayNeedApproval, type ApprovalHandler, type StubOptions } from './dispatch/index.js';
import { InvalidOptionsError } from './errors.js';
import { describeUnusableGlobalName } from './globals.js';
import { toJsonText } from './json-data.js';

/** Options of `createEngine`. */
export interface EngineOptions {
  /** The tools scripts may call. */
  catalog: ToolCatalog;
  /** Worker threads in the pool. @default os.availableParallelism() */
  threads?: number | undefined;
  /** Scripts run at once on one thread; a script awaiting tools does not hold a thread. @default 128 */
  scriptsPerThread?: number | undefined;
  /** Default time limit of one execution, from when it starts running. @default 300000 */
  timeoutMs?: number | undefined;
  /** Most tool calls one execution may make. @default 10000 */
  maxToolCalls?: number | undefined;
  /** Output lines kept per execution; later lines are dropped and the result marked truncated. @default 1000 */
  maxOutputLines?: number | undefined;
  /** Output characters kept per execution. @default 100000 */
  maxOutputChars?: number | undefined;
  /**
   * Memory, in MB, a script may grow its thread's heap by. With the default isolation, a
   * script whose growth takes the thread's heap past it is stopped at its next loop head or
   * function entry with MemoryLimitError; the thread's own heap limit is 3x this value, as a
   * backstop. Without the heap meter (`isolation: 'in-process'` in a host not started with
   * --expose-gc) it is the thread's heap limit. Not a guarantee: some single builtin calls
   * abort the whole pool process instead (see the README's claims). @default 512
   */
  memoryLimitMb?: number | undefined;
  /** Characters of JSON one tool call's arguments may take; a larger call fails. @default 1048576 */
  maxArgumentChars?: number | undefined;
  /** Characters of JSON all tool arguments of one execution may take together. @default 16777216 */
  maxArgumentCharsPerExecution?: number | undefined;
  /** Characters of JSON one tool result may take; a larger result fails that call. @default 8388608 */
  maxResultChars?: number | undefined;
  /** Characters of JSON the returned value may take; a larger value fails the execution. @default 1048576 */
  maxValueChars?: number | undefined;
  /**
   * Where the worker threads run. `process` (the safe default): in a supervised child
   * process, so an allocation that aborts a whole Node process takes only that child down;
   * tool calls still run in the host. `in-process`: in the host process, which saves the
   * relay hop but gives up that claim (see the README's non-claims). @default 'process'
   */
  isolation?: Isolation | undefined;
  /**
   * How long an ended script may keep its thread busy before the thread is terminated
   * (for scripts stuck in a CPU loop). @default 1000
   */
  killGraceMs?: number | undefined;
  /**
   * Check each handler result against its tool's output schema; a result that breaks it
   * fails that call like a thrown error. @default true
   */
  validateOutput?: boolean | undefined;
  /**
   * Re-run a script whose thread (or pool process) died under another script even if it had
   * called tools: the host keeps every call's answer, and the re-run gets those answers
   * instead of calling the handlers again. The outcome stands only if the re-run makes every
   * call the lost run made; otherwise WorkerCrashedError. `false` reports every such script
   * with WorkerCrashedError (`sideEffectsPossible: true`). @default true
   */
  replayToolCalls?: boolean | undefined;
  /**
   * Characters of tool arguments and answers the engine keeps for replay, over all running
   * executions. A script whose calls do not fit is not re-run. @default 67108864
   */
  maxReplayChars?: number | undefined;
  /**
   * Stub mode: tools answer with fake data generated from their output schemas, to dry-run
   * model code. `true` stubs every tool; `{ tools }` only those (registered names); `seed`
   * makes the data reproducible. Calls are still counted, limited and validated. @default false
   */
  stubs?: boolean | StubsOption | undefined;
  /**
   * Accept code as models write it: take the first JavaScript or TypeScript fence out of a
   * markdown reply, strip TypeScript syntax, run a `main` wrapper and return the value of a
   * last bare expression (see the README, "What the engine accepts from a model"). A valid
   * plain script that returns its value runs the same either way. @default true
   */
  normalize?: boolean | undefined;
  /**
   * Decides calls of tools marked `needsApproval`: the call waits (its handler not yet
   * called, the script's time limit paused) until this resolves `true` or
   * `{ approved: true }`; anything else denies it, and the script gets a catchable error.
   * An execution's own `onApproval` (execute options) decides its calls instead.
   * `'per-execution'`: the engine has no handler of its own; each execution brings one (an
   * MCP client's elicitation, an AI SDK approval), and the calls of one without are denied.
   * Required when the catalog has such a tool. @default undefined
   */
  onApproval?: ApprovalHandler | 'per-execution' | undefined;
  /** How long one approval may take; past it the call is denied. @default 600000 */
  approvalTimeoutMs?: number | undefined;
  /**
   * Put the script's data in event payloads (`engine.on`, diagnostics channels): arguments on
   * `tool:start`, results and failure messages on `tool:end`, printed lines on `output`.
   * Off, events carry only ids, names, counts, durations and codes. @default false
   */
  eventData?: boolean | undefined;
}

/** Where the worker threads run: in a supervised child process, or in the host process. */
export type Isolation = 'process' | 'in-process';

const ISOLATIONS: readonly Isolation[] = ['process', 'in-process'];

/** The object form of the `stubs` option. */
export interface StubsOption {
  /** Registered names of the tools to stub. @default every tool */
  tools?: string[] | undefined;
  /** Same seed, same data. @default 'toolweaver' */
  seed?: string | number | undefined;
}

/** Options of `execute` and `executeStreaming`. */
export interface ExecuteOptions {
  /** JSON data; each key becomes a read-only global of the script. @default {} */
  context?: Record<string, unknown> | undefined;
  /** Aborts the execution, with ExecutionAbortedError. */
  signal?: AbortSignal | undefined;
  /** Time limit of this execution, overriding the engine's `timeoutMs`. */
  timeoutMs?: number | undefined;
  /**
   * Any host value (a request, a user, a logger), handed as it is (not cloned, not checked)
   * to every handler of this execution as `ctx.hostContext`. It never reaches the script.
   * @default undefined
   */
  hostContext?: unknown;
  /**
   * Decides this execution's calls of tools marked `needsApproval`, in place of the engine's
   * `onApproval` (same contract): for a decision that belongs to whoever sent the script
   * (the MCP client that called `execute_code`, the user who approved it in an AI SDK chat).
   * @default undefined (the engine's `onApproval` decides)
   */
  onApproval?: ApprovalHandler | undefined;
}

export type ResolvedEngineOptions = Readonly<Required<Omit<EngineOptions, 'catalog' | 'stubs' | 'onApproval'>>> & {
  readonly catalog: ToolCatalog;
  readonly onApproval: ApprovalHandler | 'per-execution' | undefined;
  /** Undefined when stub mode is off. */
  readonly stubs: StubOptions | undefined;
};

export interface ResolvedExecuteOptions {
  readonly contextJson: string | undefined;
  readonly contextKeys: readonly string[];
  readonly signal: AbortSignal | undefined;
  readonly timeoutMs: number;
  readonly hostContext: unknown;
  readonly onApproval: ApprovalHandler | undefined;
}

export const DEFAULT_TIMEOUT_MS = 300_000;
export const MAX_TOOL_CALLS = 10_000;

const DEFAULTS = Object.freeze({
  scriptsPerThread: 128,
  timeoutMs: DEFAULT_TIMEOUT_MS,
  maxToolCalls: MAX_TOOL_CALLS,
  maxOutputLines: 1_000,
  maxOutputChars: 100_000,
  memoryLimitMb: 512,
  maxArgumentChars: 1_048_576,
  maxArgumentCharsPerExecution: 16_777_216,
  maxResultChars: 8_388_608,
  maxValueChars: 1_048_576,
  maxReplayChars: 67_108_864,
  killGraceMs: 1_000,
  approvalTimeoutMs: 600_000,
});

const ENGINE_KEYS = new Set(['catalog', 'threads', 'validateOutput', 'replayToolCalls', 'normalize', 'stubs', 'isolation', 'onApproval', 'eventData', ...Object.keys(DEFAULTS)]);
const STUB_KEYS = new Set(['tools', 'seed']);
const DEFAULT_STUB_SEED = 'toolweaver';
const EXECUTE_KEYS = new Set(['context', 'signal', 'timeoutMs', 'hostContext', 'onApproval']);
// setTimeout's ceiling; a larger delay fires at once.
const MAX_TIMER_MS = 2_147_483_647;

function checkKeys(given: object, allowed: ReadonlySet<string>, where: string): void {
  for (const key of Object.keys(given)) {
    if (!allowed.has(key)) {
      throw new InvalidOptionsError(key, `Unknown ${where} option \`${key}\`; expected one of ${[...allowed].join(', ')}`);
    }
  }
}

function positiveInteger(name: string, value: unknown, fallback: number, max = Number.MAX_SAFE_INTEGER): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > max) {
    throw new InvalidOptionsError(name, `Expected \`${name}\` to be a positive integer up to ${max}, got ${describe(value)}`);
  }
  return value;
}

function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean' || value == null) return String(value);
  return Array.isArray(value) ? 'an array' : typeof value;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

/**
 * Options of `prewarmPool`: the shape of the pool of the engine that is to adopt the
 * prewarmed process. Each has the meaning and default of the same `createEngine` option.
 */
export interface PrewarmOptions {
  /** As `EngineOptions.threads`. @default os.availableParallelism() */
  threads?: number | undefined;
  /** As `EngineOptions.scriptsPerThread`. @default 128 */
  scriptsPerThread?: number | undefined;
  /** As `EngineOptions.memoryLimitMb`. @default 512 */
  memoryLimitMb?: number | undefined;
}

/** The pool's shape, with the engine's defaults and bounds. */
export interface PoolShape {
  readonly threads: number;
  readonly scriptsPerThread: number;
  readonly memoryLimitMb: number;
}

const PREWARM_KEYS = new Set(['threads', 'scriptsPerThread', 'memoryLimitMb']);

function poolShape(options: PrewarmOptions): PoolShape {
  return {
    threads: positiveInteger('threads', options.threads, availableParallelism(), 256),
    scriptsPerThread: positiveInteger('scriptsPerThread', options.scriptsPerThread, DEFAULTS.scriptsPerThread, 10_000),
    memoryLimitMb: positiveInteger('memoryLimitMb', options.memoryLimitMb, DEFAULTS.memoryLimitMb, 65_536),
  };
}

/** Validates `prewarmPool` options and fills in the engine's defaults. */
export function resolvePrewarmOptions(options: PrewarmOptions = {}): PoolShape {
  if (!isPlainObject(options)) throw new InvalidOptionsError('options', `Expected prewarm options to be an object, got ${describe(options)}`);
  checkKeys(options, PREWARM_KEYS, 'prewarm');
  return Object.freeze(poolShape(options));
}

/** Validates `createEngine` options and fills in defaults. */
export function resolveEngineOptions(options: EngineOptions): ResolvedEngineOptions {
  if (!isPlainObject(options)) throw new InvalidOptionsError('options', `Expected engine options to be an object, got ${describe(options)}`);
  checkKeys(options, ENGINE_KEYS, 'engine');
  if (!(options.catalog instanceof ToolCatalog)) {
    throw new InvalidOptionsError('catalog', `Expected \`catalog\` to be a ToolCatalog, got ${describe(options.catalog)}`);
  }
  const { threads, scriptsPerThread, memoryLimitMb } = poolShape(options);
  return Object.freeze({
    catalog: options.catalog,
    threads,
    scriptsPerThread,
    timeoutMs: positiveInteger('timeoutMs', options.timeoutMs, DEFAULTS.timeoutMs, MAX_TIMER_MS),
    maxToolCalls: positiveInteger('maxToolCalls', options.maxToolCalls, DEFAULTS.maxToolCalls),
    maxOutputLines: positiveInteger('maxOutputLines', options.maxOutputLines, DEFAULTS.maxOutputLines),
    maxOutputChars: positiveInteger('maxOutputChars', options.maxOutputChars, DEFAULTS.maxOutputChars),
    memoryLimitMb,
    maxArgumentChars: positiveInteger('maxArgumentChars', options.maxArgumentChars, DEFAULTS.maxArgumentChars),
    maxArgumentCharsPerExecution: positiveInteger('maxArgumentCharsPerExecution', options.maxArgumentCharsPerExecution, DEFAULTS.maxArgumentCharsPerExecution),
    maxResultChars: positiveInteger('maxResultChars', options.maxResultChars, DEFAULTS.maxResultChars),
    maxValueChars: positiveInteger('maxValueChars', options.maxValueChars, DEFAULTS.maxValueChars),
    maxReplayChars: positiveInteger('maxReplayChars', options.maxReplayChars, DEFAULTS.maxReplayChars),
    killGraceMs: positiveInteger('killGraceMs', options.killGraceMs, DEFAULTS.killGraceMs, MAX_TIMER_MS),
    validateOutput: booleanOption('validateOutput', options.validateOutput, true),
    replayToolCalls: booleanOption('replayToolCalls', options.replayToolCalls, true),
    normalize: booleanOption('normalize', options.normalize, true),
    eventData: booleanOption('eventData', options.eventData, false),
    isolation: isolationOption(options.isolation),
    stubs: resolveStubs(options.stubs, options.catalog),
    onApproval: approvalHandler(options.onApproval, options.catalog),
    approvalTimeoutMs: positiveInteger('approvalTimeoutMs', options.approvalTimeoutMs, DEFAULTS.approvalTimeoutMs, MAX_TIMER_MS),
  });
}

function approvalHandler(value: unknown, catalog: ToolCatalog): ApprovalHandler | 'per-execution' | undefined {
  if (value !== undefined && value !== 'per-execution' && typeof value !== 'function') {
    throw new InvalidOptionsError('onApproval', `Expected \`onApproval\` to be a function or "per-execution", got ${describe(value)}`);
  }
  // SECURITY: "A tool marked for approval never runs unasked": an engine that could not ask
  // is refused up front, rather than denying every such call at run time.
  const marked = value === undefined ? catalog.list().find(mayNeedApproval) : undefined;
  if (marked !== undefined) throw new InvalidOptionsError('onApproval', `Tool \`${marked.name}\` needs approval, but the engine has no \`onApproval\` handler`);
  return value as ApprovalHandler | 'per-execution' | undefined;
}

function isolationOption(value: unknown): Isolation {
  if (value === undefined) return 'process';
  if (!ISOLATIONS.includes(value as Isolation)) {
    throw new InvalidOptionsError('isolation', `Expected \`isolation\` to be one of ${ISOLATIONS.map((name) => `"${name}"`).join(', ')}, got ${describe(value)}`);
  }
  return value as Isolation;
}

function booleanOption(name: string, value: unknown, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') throw new InvalidOptionsError(name, `Expected \`${name}\` to be a boolean, got ${describe(value)}`);
  return value;
}

function resolveStubs(stubs: unknown, catalog: ToolCatalog): StubOptions | undefined {
  if (stubs === undefined || stubs === false) return undefined;
  if (stubs === true) return { tools: 'all', seed: DEFAULT_STUB_SEED };
  if (!isPlainObject(stubs)) throw new InvalidOptionsError('stubs', `Expected \`stubs\` to be a boolean or { tools, seed }, got ${describe(stubs)}`);
  checkKeys(stubs, STUB_KEYS, 'stubs');
  const { tools, seed } = stubs;
  if (seed !== undefined && typeof seed !== 'string' && typeof seed !== 'number') {
    throw new InvalidOptionsError('stubs.seed', `Expected \`stubs.seed\` to be a string or number, got ${describe(seed)}`);
  }
  if (tools !== undefined && !(Array.isArray(tools) && tools.every((name) => typeof name === 'string'))) {
    throw new InvalidOptionsError('stubs.tools', `Expected \`stubs.tools\` to be an array of tool names, got ${describe(tools)}`);
  }
  const unknown = (tools ?? []).find((name: string) => !catalog.has(name));
  if (unknown !== undefined) throw new InvalidOptionsError('stubs.tools', `Cannot stub \`${unknown}\`: no tool has that name`);
  return { tools: tools === undefined ? 'all' : new Set(tools as string[]), seed: String(seed ?? DEFAULT_STUB_SEED) };
}

/** Checks `context` (JSON data, names usable as script globals) and returns its JSON text and keys. */
export function resolveContext(context: unknown, toolNames: ReadonlySet<string>): { json: string | undefined; keys: string[] } {
  if (context === undefined) return { json: undefined, keys: [] };
  if (!isPlainObject(context)) throw new InvalidOptionsError('context', `Expected \`context\` to be a plain object, got ${describe(context)}`);
  const keys = Object.keys(context);
  for (const key of keys) {
    const unusable = describeUnusableGlobalName(key) ?? (toolNames.has(key) ? 'a tool has that name' : undefined);
    if (unusable !== undefined) throw new InvalidOptionsError(`context.${key}`, `Context key \`${key}\` cannot be a script global: ${unusable}`);
  }
  const json = toJsonText(context, 'strict', 'context');
  if (!json.ok) throw new InvalidOptionsError(json.path, `Expected \`context\` to be JSON data: ${json.reason} (at ${json.path})`);
  return { json: json.text, keys };
}

/** Validates `execute` options against the engine's defaults and tool names. */
export function resolveExecuteOptions(
  options: ExecuteOptions | undefined,
  engine: ResolvedEngineOptions,
  toolNames: ReadonlySet<string>,
): ResolvedExecuteOptions {
  if (options === undefined) return { contextJson: undefined, contextKeys: [], signal: undefined, timeoutMs: engine.timeoutMs, hostContext: undefined, onApproval: undefined };
  if (!isPlainObject(options)) throw new InvalidOptionsError('options', `Expected execute options to be an object, got ${describe(options)}`);
  checkKeys(options, EXECUTE_KEYS, 'execute');
  const { signal } = options;
  if (signal !== undefined && !(signal instanceof AbortSignal)) {
    throw new InvalidOptionsError('signal', `Expected \`signal\` to be an AbortSignal, got ${describe(signal)}`);
  }
  const { onApproval } = options;
  if (onApproval !== undefined && typeof onApproval !== 'function') {
    throw new InvalidOptionsError('onApproval', `Expected \`onApproval\` to be a function, got ${describe(onApproval)}`);
  }
  const context = resolveContext(options.context, toolNames);
  return {
    contextJson: context.json,
    contextKeys: context.keys,
    signal,
    timeoutMs: positiveInteger('timeoutMs', options.timeoutMs, engine.timeoutMs, MAX_TIMER_MS),
    // Any value: it stays on the host, so it needs neither JSON nor a shape.
    hostContext: options.hostContext,
    onApproval: onApproval as ApprovalHandler | undefined,
  };
}
