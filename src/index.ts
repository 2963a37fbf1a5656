// Public API of toolweaver: explicit re-exports only.
export { createEngine, Engine } from './engine.js';
export type { CloseOptions, StreamEvent } from './engine.js';
export type { ExecuteResult } from './execution.js';
export { CompiledScript } from './compiled-script.js';
export { DEFAULT_TIMEOUT_MS, MAX_TOOL_CALLS } from './options.js';
export type { EngineOptions, ExecuteOptions } from './options.js';
export { ToolCatalog } from './catalog/index.js';
export type { JsonSchema, RegisteredTool, ToolContext, ToolDefinition, ToolHandler } from './catalog/index.js';
export {
  EngineClosedError,
  ExecutionAbortedError,
  ExecutionTimeoutError,
  InvalidOptionsError,
  ResultNotSerializableError,
  ScriptError,
  ScriptSyntaxError,
  SecurityValidationError,
  ToolCallError,
  ToolCallLimitError,
  ToolRegistrationError,
  ToolWeaverError,
  WorkerCrashedError,
} from './errors.js';
export type { AbortSource, ErrorCode, ExecutionMetadata, ToolWeaverErrorOptions, Violation } from './errors.js';
