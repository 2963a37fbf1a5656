// Owns the public types of a tool definition. Types only.

/** A JSON Schema (draft 2020-12) document: an object or a boolean schema. */
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
  /** The `hostContext` passed to `execute` (or the batch job), as it was; never seen by the script. */
  hostContext: unknown;
}

/** A tool's implementation. Always receives one object of named arguments. */
export type ToolHandler<Input = any, Output = unknown> = (input: Input, context: ToolContext) => Output | Promise<Output>;

/**
 * A schema as accepted at registration: JSON Schema, a zod 4 schema, or an MCP-style raw
 * shape (an object whose values are zod schemas). Converted to JSON Schema once.
 */
export type SchemaLike = JsonSchema | object;

/** What `ToolCatalog.register` accepts. */
export interface ToolDefinition<Input = any, Output = unknown> {
  /**
   * The tool's name as its source spells it (`github.list_pull_requests`, `send-email`).
   * Scripts call it by its script name: dots become namespaces, other characters `_`.
   */
  name: string;
  /** What the tool does, for the model's prompt. */
  description?: string;
  /**
   * Schema of the named-arguments object. Its properties, in declared order, are also the
   * positional parameters (`get_expenses(memberId, quarter)`). Calls are checked against it.
   */
  input?: SchemaLike;
  /** Schema of the result; results are checked against it unless `validateOutput` is off. */
  output?: SchemaLike;
  /** AI SDK spelling of `input`. */
  inputSchema?: SchemaLike;
  /** AI SDK (v4) spelling of `input`. */
  parameters?: SchemaLike;
  /** AI SDK spelling of `output`. */
  outputSchema?: SchemaLike;
  /** Most calls of this tool in flight at once, per engine. @default unlimited */
  concurrency?: number;
  /** The implementation. Optional only for tools that are always stubbed. */
  handler?: ToolHandler<Input, Output>;
  /** AI SDK spelling of `handler`. */
  execute?: ToolHandler<Input, Output>;
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
}
