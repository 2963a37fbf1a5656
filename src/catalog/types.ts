// Owns the public types of a tool definition. Types only.

import type { InferSchema } from './infer-schema.js';

/** A JSON Schema document (draft-07, 2019-09 or 2020-12 by its `$schema`): an object or a boolean schema. */
export type JsonSchema = { [key: string]: unknown } | boolean;

/** What a handler receives besides its arguments. */
export interface ToolContext {
  /** Aborted when the execution that made the call ends, for any reason. */
  signal: AbortSignal;
  /** The same signal, under the AI SDK's name, so its `execute` functions work unchanged. */
  abortSignal: AbortSignal;
  /** The execution that made the call. */
  executionId: string;
  /** The tool's registered name. */
  toolName: string;
  /** 1-based index of this call within its execution. */
  callIndex: number;
  /** This call's id (`<executionId>:<callIndex>`), under the AI SDK's name. */
  toolCallId: string;
  /** Always empty: a script's tool call has no chat history. The AI SDK's `execute` reads it. */
  messages: [];
  /** The `hostContext` passed to `execute` (or the batch job), as it was; never seen by the script. */
  hostContext: unknown;
}

/** Decides per call whether it needs approval (the AI SDK's `needsApproval` function works as is). */
export type NeedsApproval<Input = any> = (input: Input, context: ToolContext) => boolean | PromiseLike<boolean>;

/** A tool's implementation. Always receives one object of named arguments. */
export type ToolHandler<Input = any, Output = unknown> = (input: Input, context: ToolContext) => Output | PromiseLike<Output>;

/**
 * A schema as accepted at registration: JSON Schema, a zod 4 schema, an MCP-style raw shape
 * (an object whose values are zod schemas), an AI SDK `Schema` (`jsonSchema()`, `zodSchema()`)
 * or lazy schema, or a Standard Schema that can give a JSON Schema. Converted to JSON Schema once.
 */
export type SchemaLike = JsonSchema | object;

/**
 * What `ToolCatalog.register` accepts. `InputSchema` is inferred from `input` (or its AI SDK
 * spellings): the handler's input is then typed (see `InferSchema`).
 */
export interface ToolDefinition<InputSchema = SchemaLike | undefined, OutputSchema = SchemaLike | undefined> {
  /**
   * The tool's name as its source spells it (`github.list_pull_requests`, `send-email`).
   * Scripts call it by its script name: dots become namespaces, other characters `_`.
   */
  name: string;
  /** What the tool does, for the model's prompt. @default '' */
  description?: string | undefined;
  /**
   * Schema of the named-arguments object. Its properties, in declared order, are also the
   * positional parameters (`get_expenses(memberId, quarter)`). Calls are checked against it.
   * @default undefined (any arguments)
   */
  input?: InputSchema;
  /** Schema of the result; results are checked against it unless `validateOutput` is off. @default undefined */
  output?: OutputSchema;
  /** AI SDK spelling of `input`. */
  inputSchema?: InputSchema;
  /** AI SDK (v4) spelling of `input`. */
  parameters?: InputSchema;
  /** AI SDK spelling of `output`. */
  outputSchema?: OutputSchema;
  /** Most calls of this tool in flight at once, per engine. @default undefined (unlimited) */
  concurrency?: number | undefined;
  /** The implementation. Optional only for tools that are always stubbed. */
  handler?: ToolHandler<InferSchema<InputSchema>> | undefined;
  /** AI SDK spelling of `handler`. */
  execute?: ToolHandler<InferSchema<InputSchema>> | undefined;
  /**
   * Whether each call waits for the engine's `onApproval` before its handler runs: `true`,
   * or a function of the call's arguments (and context) deciding per call. An engine whose
   * catalog has such a tool needs `onApproval`. @default false
   */
  needsApproval?: boolean | NeedsApproval<InferSchema<InputSchema>> | undefined;
  /** AI SDK tool kind; `provider` tools (executed by the model provider) are refused at registration. */
  type?: 'function' | 'dynamic' | 'provider' | undefined;
  /** AI SDK fields that concern the model provider or the SDK's own loop; accepted and ignored. */
  title?: unknown;
  providerOptions?: unknown;
  metadata?: unknown;
  inputExamples?: unknown;
  strict?: unknown;
  onInputStart?: unknown;
  onInputDelta?: unknown;
  onInputAvailable?: unknown;
  toModelOutput?: unknown;
}

/** A registered tool, as the engine reads it: frozen, schemas converted and compiled. */
export interface RegisteredTool {
  /** The registered name. */
  readonly name: string;
  /** The name scripts call, dotted for namespaces (`github.list_pull_requests`). */
  readonly scriptName: string;
  /** The same, as path segments. */
  readonly scriptPath: readonly string[];
  readonly description: string;
  /** JSON Schema of the arguments (converted from zod if needed). */
  readonly input: JsonSchema | undefined;
  /** JSON Schema of the result (converted from zod if needed). */
  readonly output: JsonSchema | undefined;
  readonly concurrency: number | undefined;
  /** Property names of the input schema in declared order; undefined without an input schema. */
  readonly parameters: readonly string[] | undefined;
  readonly handler: ToolHandler | undefined;
  /** Whether a call waits for approval (see `ToolDefinition.needsApproval`). */
  readonly needsApproval: boolean | NeedsApproval | undefined;
}
