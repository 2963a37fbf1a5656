// Owns the public types of a tool definition. Types only.

/** A JSON Schema (draft 2020-12) document: an object or a boolean schema. */
export type JsonSchema = { [key: string]: unknown } | boolean;

/** What a handler receives besides its arguments. */
export interface ToolContext {
  /** Aborted when the execution that made the call ends, for any reason. */
  signal: AbortSignal;
  /** The execution that made the call. */
  executionId: string;
  /** The tool's registered name. */
  toolName: string;
  /** 1-based index of this call within its execution. */
  callIndex: number;
}

/** A tool's implementation. Always receives one object of named arguments. */
export type ToolHandler<Input = any, Output = unknown> = (input: Input, context: ToolContext) => Output | Promise<Output>;

/** What `ToolCatalog.register` accepts. */
export interface ToolDefinition<Input = any, Output = unknown> {
  /** The global function name scripts call: a plain identifier. */
  name: string;
  /** What the tool does, for the model's prompt. */
  description?: string;
  /**
   * JSON Schema of the named-arguments object. Its `properties`, in declared order, are also
   * the positional parameters (`get_expenses(memberId, quarter)`).
   */
  input?: JsonSchema;
  /** JSON Schema of the result. */
  output?: JsonSchema;
  /** Most calls of this tool in flight at once, per engine. @default unlimited */
  concurrency?: number;
  handler: ToolHandler<Input, Output>;
}

/** A registered tool, as the engine reads it: frozen, with its parameter order resolved. */
export interface RegisteredTool {
  readonly name: string;
  readonly description: string;
  readonly input: JsonSchema | undefined;
  readonly output: JsonSchema | undefined;
  readonly concurrency: number | undefined;
  /** Property names of the input schema in declared order; undefined without an input schema. */
  readonly parameters: readonly string[] | undefined;
  readonly handler: ToolHandler;
}
