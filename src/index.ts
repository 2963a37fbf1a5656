// Public API of toolweaver: explicit re-exports only.
export { createEngine, Engine } from './engine.js';
export type { CloseOptions, StreamEvent } from './engine.js';
export type { ExecuteResult } from './execution.js';
export { CompiledScript } from './compiled-script.js';
export { ENGINE_EVENT_NAMES } from './observe/index.js';
export type {
  EngineEventListener,
  EngineEventMap,
  EngineEventName,
  ExecutionEndEvent,
  ExecutionStartEvent,
  OutputEvent,
  ProcessDeathCause,
  ProcessDiedEvent,
  ProcessReplacedEvent,
  ProcessStartedEvent,
  RunawayTerminatedEvent,
  ThreadReplacedEvent,
  ToolEndEvent,
  ToolStartEvent,
} from './observe/index.js';
export { DEFAULT_BATCH_CONCURRENCY } from './batch/index.js';
export type { BatchJob, BatchOutcome, BatchProgress, ExecuteManyOptions, FulfilledOutcome, JobId, JobSource, RejectedOutcome } from './batch/index.js';
export { DEFAULT_TIMEOUT_MS, MAX_TOOL_CALLS } from './options.js';
export type { EngineOptions, ExecuteOptions, Isolation, PrewarmOptions, StubsOption } from './options.js';
export { prewarmPool } from './prewarm.js';
export type { PrewarmedPool } from './prewarm.js';
export type { ApprovalDecision, ApprovalHandler, ApprovalRequest } from './dispatch/index.js';
export { ToolCatalog } from './catalog/index.js';
export type { FromJsonSchema, InferSchema, JsonSchema, NeedsApproval, RegisteredTool, SchemaDraft, SchemaLike, ToolContext, ToolDefinition, ToolHandler } from './catalog/index.js';
export type { DeclarationOptions, PromptOptions } from './catalog/index.js';
export { errorFromJson, errorToJson, MAX_CAUSE_DEPTH } from './error-json.js';
export type { ErrorJson } from './error-json.js';
export { formatComparisonTable, formatReportTable, latencyOf } from './report/index.js';
export type { CallMeasure, ContextCost, ExecutionReport, LatencyParts, ReportRow, TableOptions } from './report/index.js';
export { countTokens } from './tokens.js';
export {
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
  ToolSchemaError,
  ToolOutputError,
  ToolApprovalError,
  UnknownToolError,
  ToolRegistrationError,
  ToolWeaverError,
  WorkerCrashedError,
} from './errors.js';
export type { AbortSource, ApprovalOutcome, AnyToolWeaverError, ErrorCode, PayloadKind, ExecutionMetadata, ToolWeaverErrorOptions, UnknownToolCall, Violation } from './errors.js';
