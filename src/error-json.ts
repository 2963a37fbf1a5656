// Owns the public JSON form of errors, for logs, queues, other processes and the wire:
// `errorToJson` keeps the name, code, message, context fields and a bounded cause chain
// (`JSON.stringify(error)` drops `message` and `cause`); `errorFromJson` rebuilds the class.
// Never includes stacks; a foreign error keeps only its name, message and `code`.

import {
  EngineClosedError,
  ExecutionAbortedError,
  ExecutionTimeoutError,
  InvalidOptionsError,
  MemoryLimitError,
  PayloadTooLargeError,
  QueueDataLostError,
  ResultNotSerializableError,
  ScriptError,
  ScriptSyntaxError,
  SecurityValidationError,
  ToolCallError,
  ToolCallLimitError,
  ToolInputError,
  ToolOutputError,
  ToolApprovalError,
  ToolRegistrationError,
  ToolWeaverError,
  UnknownToolError,
  WorkerCrashedError,
  type ErrorCode,
  type ExecutionMetadata,
} from './errors.js';

/** The JSON form of an error. Context fields (`toolName`, `issues`, `limit`...) sit beside these. */
export interface ErrorJson {
  name: string;
  message: string;
  /** The stable code of a toolweaver error, or a foreign error's own string `code` (`ECONNRESET`). */
  code?: string;
  /** Lines the script printed before failing (toolweaver errors). */
  output?: string[];
  metadata?: ExecutionMetadata;
  /** The cause, as JSON, up to `MAX_CAUSE_DEPTH` levels. */
  cause?: ErrorJson;
  [field: string]: unknown;
}

/** Causes deeper than this are dropped (chains can be cyclic). */
export const MAX_CAUSE_DEPTH = 8;

function plainData(value: unknown): unknown {
  // Context fields are data by construction; this drops anything that is not (a function, a cycle).
  try {
    return JSON.parse(JSON.stringify(value) ?? 'null') as unknown;
  } catch {
    return undefined;
  }
}

function toJson(error: unknown, depth: number): ErrorJson {
  if (!(error instanceof Error)) return { name: 'Error', message: String(error) };
  const record: ErrorJson = { name: error.name, message: error.message };
  if (error instanceof ToolWeaverError) {
    // Own enumerable fields are the error's context (code, output, metadata, toolName...).
    for (const [key, value] of Object.entries(error)) {
      const data = plainData(value);
      if (data !== undefined) record[key] = data;
    }
  } else {
    const code = (error as { code?: unknown }).code;
    if (typeof code === 'string' || typeof code === 'number') record.code = String(code);
  }
  const { cause } = error as { cause?: unknown };
  if (cause !== undefined && depth < MAX_CAUSE_DEPTH) record.cause = toJson(cause, depth + 1);
  return record;
}

/**
 * The JSON form of `error`: `{ name, code, message, ...context fields, output, metadata, cause }`.
 * A toolweaver error keeps every context field; any other error keeps its name, message and
 * string `code`; a thrown non-error becomes `{ name: 'Error', message }`. The cause chain is
 * kept to `MAX_CAUSE_DEPTH` levels. Round-trips through `errorFromJson`.
 */
export function errorToJson(error: unknown): ErrorJson {
  return toJson(error, 0);
}

type Fields = Record<string, unknown>;
const str = (value: unknown, fallback = ''): string => (typeof value === 'string' ? value : fallback);
const num = (value: unknown, fallback = 0): number => (typeof value === 'number' ? value : fallback);
const optNum = (value: unknown): number | undefined => (typeof value === 'number' ? value : undefined);
const list = <T>(value: unknown): T[] => (Array.isArray(value) ? (value as T[]) : []);

/** How each code's class is rebuilt from its fields; the message is restored verbatim after. */
const BUILDERS: { [Code in ErrorCode]: (f: Fields) => ToolWeaverError<Code> } = {
  ERR_INVALID_OPTIONS: (f) => new InvalidOptionsError(str(f.option), str(f.message)),
  ERR_TOOL_REGISTRATION: (f) => new ToolRegistrationError(str(f.toolName), str(f.message)),
  ERR_ENGINE_CLOSED: () => new EngineClosedError(),
  ERR_SECURITY_VALIDATION: (f) => new SecurityValidationError(list(f.violations)),
  ERR_SCRIPT_SYNTAX: (f) => new ScriptSyntaxError(str(f.message), num(f.line), num(f.column)),
  ERR_EXECUTION_TIMEOUT: (f) => new ExecutionTimeoutError(num(f.timeoutMs)),
  ERR_TOOL_CALL: (f) => new ToolCallError(str(f.toolName), num(f.callIndex), str(f.message)),
  ERR_TOOL_INPUT: (f) => new ToolInputError(str(f.toolName), list(f.issues)),
  ERR_TOOL_OUTPUT: (f) => new ToolOutputError(str(f.toolName), list(f.issues)),
  ERR_TOOL_APPROVAL: (f) => new ToolApprovalError(str(f.toolName), f.outcome === 'timed-out' || f.outcome === 'failed' || f.outcome === 'no-handler' ? f.outcome : 'denied', str(f.reason)),
  ERR_UNKNOWN_TOOL: (f) => new UnknownToolError(list(f.unknownTools)),
  ERR_TOOL_CALL_LIMIT: (f) => new ToolCallLimitError(num(f.limit)),
  ERR_SCRIPT: (f) => new ScriptError(str(f.errorName, 'Error'), str(f.message), { line: optNum(f.line), column: optNum(f.column) }),
  ERR_RESULT_NOT_SERIALIZABLE: (f) => new ResultNotSerializableError(str(f.path), str(f.message)),
  ERR_PAYLOAD_TOO_LARGE: (f) => new PayloadTooLargeError(f.payload === 'arguments' || f.payload === 'result' ? f.payload : 'value', num(f.limit), str(f.message)),
  ERR_EXECUTION_ABORTED: (f) => new ExecutionAbortedError(f.source === 'close' ? 'close' : 'signal'),
  ERR_MEMORY_LIMIT: (f) => new MemoryLimitError(num(f.limitMb)),
  ERR_WORKER_CRASHED: (f) => new WorkerCrashedError(f.sideEffectsPossible === true, str(f.message)),
  ERR_QUEUE_DATA_LOST: (f) => new QueueDataLostError(str(f.queue)),
};

function isErrorCode(code: unknown): code is ErrorCode {
  return typeof code === 'string' && Object.hasOwn(BUILDERS, code);
}

function setHidden(error: Error, key: 'message' | 'cause', value: unknown): void {
  Object.defineProperty(error, key, { value, writable: true, configurable: true, enumerable: false });
}

function fromJson(record: unknown, depth: number): Error {
  if (typeof record !== 'object' || record === null) return new Error(String(record));
  const fields = record as Fields;
  const message = str(fields.message, String(fields.message ?? ''));
  let error: Error;
  if (isErrorCode(fields.code)) {
    const rebuilt = BUILDERS[fields.code](fields);
    rebuilt.output = list<string>(fields.output).map(String);
    rebuilt.metadata = typeof fields.metadata === 'object' && fields.metadata !== null ? (fields.metadata as ExecutionMetadata) : undefined;
    rebuilt.script = typeof fields.script === 'string' ? fields.script : undefined;
    error = rebuilt;
  } else {
    error = new Error(message);
    if (typeof fields.name === 'string') error.name = fields.name;
    if (typeof fields.code === 'string') (error as Error & { code: string }).code = fields.code;
  }
  setHidden(error, 'message', message);
  if (fields.cause !== undefined && depth < MAX_CAUSE_DEPTH) setHidden(error, 'cause', fromJson(fields.cause, depth + 1));
  return error;
}

/**
 * Rebuilds an error from its JSON form: the toolweaver class for a known `code` (with its
 * context fields, output, metadata and message), a plain `Error` keeping `name`, `message`
 * and `code` otherwise. Causes are rebuilt the same way, to `MAX_CAUSE_DEPTH` levels.
 */
export function errorFromJson(record: ErrorJson): Error {
  return fromJson(record, 0);
}
