// Owns every public error class, their stable codes, and the plain records that carry errors
// across threads. Error objects never cross a thread boundary: the worker sends an
// ErrorRecord and the main side rebuilds the class here. Must not import anything but types
// and the pure text helpers of model-message.ts.
// Longer than our usual file on purpose: one home for every code, each class a few lines.

/** Metadata gathered about one execution; attached to results and to errors. */
export interface ExecutionMetadata {
  /** Unique id of the execution (`tw-...`). */
  executionId: string;
  /** Tool calls of the run that produced the outcome that reached the dispatcher, including rejected and replayed ones. */
  toolCalls: number;
  /** The same count, per tool name. */
  toolCallsByName: Record<string, number>;
  /** Times the script was run again after losing its thread to another script or a crash. */
  reruns: number;
  /** Calls of the last run answered from the replay journal: their handlers ran once, in an earlier run. */
  replayedCalls: number;
  /** Wall time from `execute()` to the outcome, in milliseconds. */
  elapsedMs: number;
  /** Tokens (o200k_base) of what the model reads back: the returned value as JSON plus the output lines; exact up to 8,192 characters, sampled past it. */
  tokensEstimated: number;
  /** UTF-8 bytes of all tool results delivered into the script, as JSON. */
  bytesFromTools: number;
  /** UTF-8 bytes of what came back: the returned value as JSON plus the output lines. */
  bytesReturned: number;
  /** True when output lines were dropped because an output cap was reached. */
  outputTruncated: boolean;
  /** What the engine did to the text sent to make it a script, in order: `fence`, `typescript`, `wrapper`, `last-expression`. Empty for a plain script. */
  normalized: string[];
  /** The markdown fence the script was taken from, when the text sent was a reply with fences. */
  fence?: { index: number; language: string; line: number };
}

import { hintForViolation, renderModelMessage, type ModelMessageParts } from './model-message.js';

/** Every stable error code. Codes are public API; messages are not. */
export type ErrorCode =
  | 'ERR_INVALID_OPTIONS'
  | 'ERR_TOOL_REGISTRATION'
  | 'ERR_ENGINE_CLOSED'
  | 'ERR_SECURITY_VALIDATION'
  | 'ERR_SCRIPT_SYNTAX'
  | 'ERR_EXECUTION_TIMEOUT'
  | 'ERR_TOOL_CALL'
  | 'ERR_TOOL_INPUT'
  | 'ERR_TOOL_OUTPUT'
  | 'ERR_TOOL_APPROVAL'
  | 'ERR_UNKNOWN_TOOL'
  | 'ERR_TOOL_CALL_LIMIT'
  | 'ERR_SCRIPT'
  | 'ERR_RESULT_NOT_SERIALIZABLE'
  | 'ERR_PAYLOAD_TOO_LARGE'
  | 'ERR_EXECUTION_ABORTED'
  | 'ERR_MEMORY_LIMIT'
  | 'ERR_WORKER_CRASHED'
  | 'ERR_QUEUE_DATA_LOST';

/** Context shared by every error constructor. */
export interface ToolWeaverErrorOptions {
  cause?: unknown;
  output?: readonly string[];
  metadata?: ExecutionMetadata;
}

/** Base class of every error toolweaver throws or rejects with. */
export class ToolWeaverError<Code extends ErrorCode = ErrorCode> extends Error {
  /** Stable machine-readable code (`ERR_...`); a literal type on each subclass. */
  readonly code: Code;
  /** Lines the script printed before it failed (empty when it never ran). */
  output: readonly string[];
  /** Metadata gathered up to the failure (undefined when the script never ran). */
  metadata: ExecutionMetadata | undefined;
  /**
   * The script as it was submitted (the text the model sent), when the error belongs to a
   * script: positions on the error point into it, and `toModelMessage()` quotes it.
   */
  script: string | undefined;

  constructor(code: Code, message: string, options: ToolWeaverErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.output = options.output ?? [];
    this.metadata = options.metadata;
    this.script = undefined;
  }

  /**
   * The failure as text to hand back to the model that wrote the script, so one retry can
   * fix it: what went wrong, where (the line with a caret under the column, in the text the
   * model sent), what to do instead, and the last lines the script printed. Never includes
   * a host error's stack or a tool's raw failure beyond its bounded message. At most
   * MAX_MODEL_MESSAGE_CHARS (2,000) characters.
   */
  toModelMessage(): string {
    return renderModelMessage(this.modelParts(), this.script, this.output);
  }

  /** What this error tells a model; subclasses add locations and advice. */
  protected modelParts(): ModelMessageParts {
    return { summary: this.message };
  }

  /** The execution id, when the error belongs to an execution. */
  get executionId(): string | undefined {
    return this.metadata?.executionId;
  }
}

/** An engine or execute option is unknown or has a bad value. */
export class InvalidOptionsError extends ToolWeaverError<'ERR_INVALID_OPTIONS'> {
  /** The option at fault, as a dotted path (`timeoutMs`, `context.lead`). */
  readonly option: string;
  constructor(option: string, message: string) {
    super('ERR_INVALID_OPTIONS', message);
    this.option = option;
  }
}

/** A tool definition given to `ToolCatalog.register` is invalid or its name is taken. */
export class ToolRegistrationError extends ToolWeaverError<'ERR_TOOL_REGISTRATION'> {
  readonly toolName: string;
  constructor(toolName: string, message: string) {
    super('ERR_TOOL_REGISTRATION', message);
    this.toolName = toolName;
  }
}

/** `execute` was called after `close()`. */
export class EngineClosedError extends ToolWeaverError<'ERR_ENGINE_CLOSED'> {
  constructor() {
    super('ERR_ENGINE_CLOSED', 'The engine is closed');
  }
}

/** One forbidden construct found by validation. */
export interface Violation {
  /** Stable rule id, e.g. `import-declaration`, `forbidden-global`. */
  rule: string;
  message: string;
  /** 1-based line. */
  line: number;
  /** 1-based column. */
  column: number;
}

/** The script uses forbidden constructs; nothing ran and no tool was called. */
export class SecurityValidationError extends ToolWeaverError<'ERR_SECURITY_VALIDATION'> {
  /** Every violation found, in source order. */
  readonly violations: readonly Violation[];
  constructor(violations: readonly Violation[], options: ToolWeaverErrorOptions = {}) {
    const list = violations.map((v) => `${v.line}:${v.column} ${v.message}`).join('; ');
    super('ERR_SECURITY_VALIDATION', `Script rejected: ${list}`, options);
    this.violations = violations;
  }

  protected override modelParts(): ModelMessageParts {
    const locations = this.violations.map((v) => ({ line: v.line, column: v.column, note: v.message, hint: hintForViolation(v.rule, identifierAt(this.script, v.line, v.column)) }));
    return { summary: 'The script was rejected before it ran; nothing was called.', locations };
  }
}

/** The script does not parse; nothing ran and no tool was called. */
export class ScriptSyntaxError extends ToolWeaverError<'ERR_SCRIPT_SYNTAX'> {
  readonly line: number;
  readonly column: number;
  constructor(message: string, line: number, column: number, options: ToolWeaverErrorOptions = {}) {
    super('ERR_SCRIPT_SYNTAX', `Syntax error at ${line}:${column}: ${message}`, options);
    this.line = line;
    this.column = column;
  }

  protected override modelParts(): ModelMessageParts {
    return { summary: 'The script does not parse; nothing ran.', locations: [{ line: this.line, column: this.column, note: this.message.replace(/^Syntax error at \d+:\d+: /, '') }] };
  }
}

/** The execution ran past its time limit. */
export class ExecutionTimeoutError extends ToolWeaverError<'ERR_EXECUTION_TIMEOUT'> {
  readonly timeoutMs: number;
  constructor(timeoutMs: number, options: ToolWeaverErrorOptions = {}) {
    super('ERR_EXECUTION_TIMEOUT', `Script exceeded its time limit of ${timeoutMs} ms`, options);
    this.timeoutMs = timeoutMs;
  }

  protected override modelParts(): ModelMessageParts {
    return { summary: `The script ran past its time limit of ${this.timeoutMs} ms and was stopped.`, hint: 'start independent tool calls together with `Promise.all` instead of one after another, and avoid loops that do not end' };
  }
}

/** A tool failed and the script did not catch the error. The host error is `cause`. */
export class ToolCallError extends ToolWeaverError<'ERR_TOOL_CALL'> {
  /** The tool's name as the script called it. */
  readonly toolName: string;
  /** 1-based index of the failing call within its execution. */
  readonly callIndex: number;
  constructor(toolName: string, callIndex: number, message: string, options: ToolWeaverErrorOptions = {}) {
    super('ERR_TOOL_CALL', message, options);
    this.toolName = toolName;
    this.callIndex = callIndex;
  }

  protected override modelParts(): ModelMessageParts {
    return { summary: `${this.message} (tool call #${this.callIndex})`, hint: `check the arguments against the declaration of \`${this.toolName}\`, or wrap the call in try/catch if the script can go on without it` };
  }
}

/** A tool call that broke its tool's schema: the tool as the script called it, and one line per problem. */
export abstract class ToolSchemaError<Code extends 'ERR_TOOL_INPUT' | 'ERR_TOOL_OUTPUT' = 'ERR_TOOL_INPUT' | 'ERR_TOOL_OUTPUT'> extends ToolWeaverError<Code> {
  readonly toolName: string;
  /** One line per problem: ``\`quarter\` must be one of "Q1","Q2", got "q3"``. */
  readonly issues: readonly string[];
  protected constructor(code: Code, toolName: string, issues: readonly string[], message: string) {
    super(code, message);
    this.toolName = toolName;
    this.issues = issues;
  }
}

/**
 * A call's arguments broke the tool's input schema; the handler was not called. Appears as
 * the `cause` of a ToolCallError; the script sees the same message as a catchable error.
 */
export class ToolInputError extends ToolSchemaError<'ERR_TOOL_INPUT'> {
  constructor(toolName: string, issues: readonly string[]) {
    super('ERR_TOOL_INPUT', toolName, issues, `${toolName}: ${issues.join('; ')}`);
  }
}

/** A handler's result broke the tool's output schema (with `validateOutput` on). A `cause`, like ToolInputError. */
export class ToolOutputError extends ToolSchemaError<'ERR_TOOL_OUTPUT'> {
  constructor(toolName: string, issues: readonly string[]) {
    super('ERR_TOOL_OUTPUT', toolName, issues, `${toolName} returned a result that breaks its output schema: ${issues.join('; ')}`);
  }
}

/** Why a call that needed approval did not get it. */
export type ApprovalOutcome = 'denied' | 'timed-out' | 'failed' | 'no-handler';

/**
 * A call that needed approval was not approved; its handler was not called. A `cause`, like
 * ToolInputError: the script sees ``send_email was not approved: <reason>`` as a catchable error.
 */
export class ToolApprovalError extends ToolWeaverError<'ERR_TOOL_APPROVAL'> {
  readonly toolName: string;
  /** Denied by `onApproval`, no decision within `approvalTimeoutMs`, `onApproval` threw, or no `onApproval` at all. */
  readonly outcome: ApprovalOutcome;
  /** The reason given with the decision (or what went wrong), bounded. */
  readonly reason: string;
  constructor(toolName: string, outcome: ApprovalOutcome, reason: string, options: ToolWeaverErrorOptions = {}) {
    super('ERR_TOOL_APPROVAL', `${toolName} was not approved: ${reason}`, options);
    this.toolName = toolName;
    this.outcome = outcome;
    this.reason = reason;
  }
}

/** One call of a function that is neither a tool nor a standard global. */
export interface UnknownToolCall {
  /** The name as the script wrote it (`get_userz`, `github.list_pulls`). */
  name: string;
  line: number;
  column: number;
  /** The nearest tool names, best first. */
  suggestions: readonly string[];
}

/** The script calls functions that are neither tools nor standard globals; nothing ran. */
export class UnknownToolError extends ToolWeaverError<'ERR_UNKNOWN_TOOL'> {
  readonly unknownTools: readonly UnknownToolCall[];
  constructor(unknownTools: readonly UnknownToolCall[], options: ToolWeaverErrorOptions = {}) {
    const list = unknownTools.map((call) => {
      const hint = call.suggestions.length === 0 ? '' : `; did you mean ${call.suggestions.map((s) => `\`${s}\``).join(' or ')}?`;
      return `unknown tool \`${call.name}\` at ${call.line}:${call.column}${hint}`;
    });
    super('ERR_UNKNOWN_TOOL', list.join('; '), options);
    this.unknownTools = unknownTools;
  }

  protected override modelParts(): ModelMessageParts {
    const locations = this.unknownTools.map((call) => ({
      line: call.line,
      column: call.column,
      note: `\`${call.name}\` is not a tool`,
      hint: call.suggestions.length === 0 ? 'call only the tools declared in the prompt' : `did you mean ${call.suggestions.map((name) => `\`${name}\``).join(' or ')}?`,
    }));
    return { summary: 'The script calls functions that do not exist; nothing ran.', locations };
  }
}

/** The script tried to make more tool calls than `maxToolCalls`. */
export class ToolCallLimitError extends ToolWeaverError<'ERR_TOOL_CALL_LIMIT'> {
  readonly limit: number;
  constructor(limit: number, options: ToolWeaverErrorOptions = {}) {
    super('ERR_TOOL_CALL_LIMIT', `Script exceeded the limit of ${limit} tool calls`, options);
    this.limit = limit;
  }

  protected override modelParts(): ModelMessageParts {
    return { summary: `The script tried to make more than ${this.limit} tool calls and was stopped.`, hint: 'narrow the data first (filter, page, or use a tool that returns many items at once) so fewer calls are needed' };
  }
}

/** The script threw. The message is bounded; the script's stack never leaves the sandbox. */
export class ScriptError extends ToolWeaverError<'ERR_SCRIPT'> {
  /** The thrown error's name (`TypeError`, ...) or `typeof` of a thrown non-error. */
  readonly errorName: string;
  /** 1-based line in the submitted script, when known. */
  readonly line: number | undefined;
  readonly column: number | undefined;
  constructor(
    errorName: string,
    message: string,
    position: { line?: number | undefined; column?: number | undefined },
    options: ToolWeaverErrorOptions = {},
  ) {
    const where = position.line === undefined ? '' : ` (line ${position.line})`;
    super('ERR_SCRIPT', `Script threw ${errorName}: ${message}${where}`, options);
    this.errorName = errorName;
    this.line = position.line;
    this.column = position.column;
  }

  protected override modelParts(): ModelMessageParts {
    const summary = `The script threw ${this.errorName}: ${this.message.replace(/^Script threw [^:]*: /, '').replace(/ \(line \d+\)$/, '')}`;
    if (this.line === undefined) return { summary };
    return { summary, locations: [{ line: this.line, column: this.column ?? 1, note: `thrown here` }] };
  }
}

/** The returned value cannot cross as JSON data (a cycle, a function, a BigInt, a Map...). */
export class ResultNotSerializableError extends ToolWeaverError<'ERR_RESULT_NOT_SERIALIZABLE'> {
  /** Where in the value the problem is, e.g. `value.users[2].save`. */
  readonly path: string;
  constructor(path: string, message: string, options: ToolWeaverErrorOptions = {}) {
    super('ERR_RESULT_NOT_SERIALIZABLE', message, options);
    this.path = path;
  }

  protected override modelParts(): ModelMessageParts {
    return { summary: `The script ran, but its return value cannot be sent back: ${this.message}`, hint: 'return plain data (objects, arrays, strings, numbers, booleans, null); convert Maps, Sets and Dates first' };
  }
}

/** Which payload went past its bound. */
export type PayloadKind = 'arguments' | 'result' | 'value';

/**
 * A payload went past its bound: the returned value (`maxValueChars`) fails the execution;
 * tool arguments (`maxArgumentChars`, `maxArgumentCharsPerExecution`) and results
 * (`maxResultChars`) fail that call, and appear as the `cause` of a ToolCallError.
 */
export class PayloadTooLargeError extends ToolWeaverError<'ERR_PAYLOAD_TOO_LARGE'> {
  readonly payload: PayloadKind;
  /** The bound, in characters of JSON text. */
  readonly limit: number;
  constructor(payload: PayloadKind, limit: number, message: string, options: ToolWeaverErrorOptions = {}) {
    super('ERR_PAYLOAD_TOO_LARGE', message, options);
    this.payload = payload;
    this.limit = limit;
  }

  protected override modelParts(): ModelMessageParts {
    const hint = this.payload === 'value' ? 'return a summary (counts, totals, the top items) instead of the raw records' : this.payload === 'arguments' ? 'send less data per call' : 'ask the tool for less data per call (filter or page)';
    return { summary: this.message, hint };
  }
}

/** Why an execution was aborted. */
export type AbortSource = 'signal' | 'close';

/** The execution was ended by its `signal` or by `close({ force: true })`. */
export class ExecutionAbortedError extends ToolWeaverError<'ERR_EXECUTION_ABORTED'> {
  readonly source: AbortSource;
  constructor(source: AbortSource, options: ToolWeaverErrorOptions = {}) {
    super('ERR_EXECUTION_ABORTED', source === 'signal' ? 'Execution aborted by its signal' : 'Execution aborted: the engine was closed', options);
    this.source = source;
  }
}

/** The script was running when its thread's heap passed `memoryLimitMb`; the thread was replaced. */
export class MemoryLimitError extends ToolWeaverError<'ERR_MEMORY_LIMIT'> {
  readonly limitMb: number;
  constructor(limitMb: number, options: ToolWeaverErrorOptions = {}) {
    super('ERR_MEMORY_LIMIT', `Script exceeded the memory limit of ${limitMb} MB`, options);
    this.limitMb = limitMb;
  }

  protected override modelParts(): ModelMessageParts {
    return { summary: `The script used more than ${this.limitMb} MB of memory and was stopped.`, hint: 'aggregate as you go instead of keeping every record, and avoid loops that grow a collection without end' };
  }
}

/** The worker thread running the script died (killed for another script, or crashed). */
export class WorkerCrashedError extends ToolWeaverError<'ERR_WORKER_CRASHED'> {
  /**
   * True when the script had made tool calls before the thread died: their effects may have
   * happened, so the script must not be blindly re-run.
   */
  readonly sideEffectsPossible: boolean;
  constructor(sideEffectsPossible: boolean, detail: string, options: ToolWeaverErrorOptions = {}) {
    super('ERR_WORKER_CRASHED', `The worker thread running the script died: ${detail}`, options);
    this.sideEffectsPossible = sideEffectsPossible;
  }

  protected override modelParts(): ModelMessageParts {
    const effects = this.sideEffectsPossible ? ' Some of its tool calls may have taken effect.' : '';
    return { summary: `The sandbox running the script failed, not necessarily because of the script.${effects}` };
  }
}

/** The identifier that starts at a 1-based position of `source`, if any. */
function identifierAt(source: string | undefined, line: number, column: number): string | undefined {
  const text = source?.split(/\r\n|\r|\n/)[line - 1];
  return text === undefined ? undefined : /^[A-Za-z_$][\w$]*/.exec(text.slice(column - 1))?.[0];
}

/**
 * Redis lost the data of a queue (`toolweaver/queue`) while a producer was waiting on it: a
 * restart without persistence, a flush, a failover to a replica that had not caught up.
 * Jobs and outcomes it held are gone; add the jobs again (their ids tell which).
 */
export class QueueDataLostError extends ToolWeaverError<'ERR_QUEUE_DATA_LOST'> {
  /** The queue's name. */
  readonly queue: string;
  constructor(queue: string) {
    super('ERR_QUEUE_DATA_LOST', `Redis lost the data of queue \`${queue}\`: its jobs and outcomes are gone`);
    this.queue = queue;
  }
}

/** An error as it crosses from a worker: plain data only, never an Error object. */
export type ErrorRecord =
  | { code: 'ERR_SCRIPT'; name: string; message: string; line?: number; column?: number }
  | { code: 'ERR_RESULT_NOT_SERIALIZABLE'; path: string; message: string }
  | { code: 'ERR_PAYLOAD_TOO_LARGE'; limit: number; message: string }
  | { code: 'ERR_TOOL_CALL'; callId: number }
  | { code: 'ERR_EXECUTION_TIMEOUT' }
  | { code: 'ERR_EXECUTION_ABORTED' }
  | { code: 'ERR_MEMORY_LIMIT'; limitMb: number };

/** Every concrete error class toolweaver throws; `switch (error.code)` narrows to the class. */
export type AnyToolWeaverError =
  | InvalidOptionsError
  | ToolRegistrationError
  | EngineClosedError
  | SecurityValidationError
  | ScriptSyntaxError
  | ExecutionTimeoutError
  | ToolCallError
  | ToolInputError
  | ToolOutputError
  | ToolApprovalError
  | UnknownToolError
  | ToolCallLimitError
  | ScriptError
  | ResultNotSerializableError
  | PayloadTooLargeError
  | ExecutionAbortedError
  | MemoryLimitError
  | WorkerCrashedError
  | QueueDataLostError;
