// Owns the set of tools an engine exposes: checks each definition once at registration,
// converts zod schemas, compiles JSON Schemas, assigns script names, and freezes the result.
// Never calls a handler, never evaluates metadata.

import { ToolRegistrationError } from '../errors.js';
import { renderDeclarations, type DeclarationOptions } from './declarations.js';
import { renderPrompt, type PromptOptions } from './prompt.js';
import { compileSchema, parameterNames, type SchemaCheck } from './schema.js';
import { ScriptNameTable, type NameNode } from './script-names.js';
import type { JsonSchema, RegisteredTool, SchemaLike, ToolDefinition } from './types.js';
import { describeSchemaKind, zodToJsonSchema } from './zod.js';

/** Compiled checks of a registered tool. */
export interface ToolChecks {
  input: SchemaCheck | undefined;
  output: SchemaCheck | undefined;
}

const checks = new WeakMap<RegisteredTool, ToolChecks>();

/** The compiled schema checks of a tool registered in any catalog. */
export function checksOf(tool: RegisteredTool): ToolChecks {
  return checks.get(tool) ?? { input: undefined, output: undefined };
}

/** The typed contract between the model, the script and the host: the tools a script may call. */
export class ToolCatalog {
  readonly #tools = new Map<string, RegisteredTool>();
  readonly #names = new ScriptNameTable();
  #version = 0;

  /** Adds a tool. Throws `ToolRegistrationError` for a bad definition, schema or a taken name. */
  register<Input = any, Output = unknown>(definition: ToolDefinition<Input, Output>): this {
    const draft = checkDefinition(definition as ToolDefinition);
    if (this.#tools.has(draft.name)) {
      throw new ToolRegistrationError(draft.name, `A tool named \`${draft.name}\` is already registered`);
    }
    const scriptPath = this.#names.add(draft.name);
    const tool: RegisteredTool = Object.freeze({ ...draft.tool, scriptPath, scriptName: scriptPath.join('.') });
    checks.set(tool, draft.checks);
    this.#tools.set(tool.name, tool);
    this.#version++;
    return this;
  }

  /** The tool registered under `name`, if any. */
  get(name: string): RegisteredTool | undefined {
    return this.#tools.get(name);
  }

  /** Whether a tool is registered under `name`. */
  has(name: string): boolean {
    return this.#tools.has(name);
  }

  /** Every registered tool, in registration order. */
  list(): RegisteredTool[] {
    return [...this.#tools.values()];
  }

  /** Registered tool names, in registration order. */
  get names(): string[] {
    return [...this.#tools.keys()];
  }

  /** Number of registered tools. */
  get size(): number {
    return this.#tools.size;
  }

  /** Increases with every registration; lets engines cache what they derive from the catalog. */
  get version(): number {
    return this.#version;
  }

  /** The script-facing names as a tree (namespaces and tools), for validation. */
  get scriptNames(): NameNode {
    return this.#names.root;
  }

  /** Every tool's script name (dotted), for suggestions. */
  get scriptNameList(): string[] {
    return this.#names.allPaths();
  }

  /**
   * Compact TypeScript declarations of every tool, for the model's prompt: one declaration
   * per tool with its parameters, notes and output type; namespaces for dotted names.
   * `{ outputs: false }` leaves output types out.
   */
  toTypeScript(options?: DeclarationOptions): string {
    return renderDeclarations(this.list(), options);
  }

  /** The complete system-prompt text: sandbox rules and limits, one example, the declarations. */
  toPrompt(options?: PromptOptions): string {
    return renderPrompt(this.list(), options);
  }
}

interface Draft {
  name: string;
  tool: Omit<RegisteredTool, 'scriptPath' | 'scriptName'>;
  checks: ToolChecks;
}

function checkDefinition(definition: ToolDefinition): Draft {
  if (typeof definition !== 'object' || definition === null) {
    throw new ToolRegistrationError(String(definition), `Expected a tool definition object, got ${typeName(definition)}`);
  }
  const { name, description, concurrency } = definition;
  if (typeof name !== 'string' || name.trim() === '') {
    throw new ToolRegistrationError(String(name), `Expected \`name\` to be a non-empty string, got ${typeName(name)}`);
  }
  const handler = definition.handler ?? definition.execute;
  if (handler !== undefined && typeof handler !== 'function') {
    throw new ToolRegistrationError(name, `Expected \`handler\` of tool \`${name}\` to be a function, got ${typeName(handler)}`);
  }
  if (description !== undefined && typeof description !== 'string') {
    throw new ToolRegistrationError(name, `Expected \`description\` of tool \`${name}\` to be a string, got ${typeName(description)}`);
  }
  if (concurrency !== undefined && !(Number.isInteger(concurrency) && concurrency > 0)) {
    throw new ToolRegistrationError(name, `Expected \`concurrency\` of tool \`${name}\` to be a positive integer, got ${String(concurrency)}`);
  }
  const input = toJsonSchema(name, 'input', definition.input ?? definition.inputSchema ?? definition.parameters);
  const output = toJsonSchema(name, 'output', definition.output ?? definition.outputSchema);
  return {
    name,
    tool: {
      name,
      description: description ?? '',
      input,
      output,
      concurrency,
      parameters: input === undefined ? undefined : Object.freeze(parameterNames(input)),
      handler,
    },
    checks: { input: compile(name, 'input', input), output: compile(name, 'output', output) },
  };
}

function toJsonSchema(name: string, field: 'input' | 'output', schema: SchemaLike | undefined): JsonSchema | undefined {
  if (schema === undefined || typeof schema === 'boolean') return schema;
  const kind = describeSchemaKind(schema);
  if (kind === 'zod3') {
    throw new ToolRegistrationError(name, `The \`${field}\` of tool \`${name}\` is a zod 3 schema; use zod 4 (\`import { z } from 'zod'\` with zod >= 4, or 'zod/v4')`);
  }
  const json = kind === 'zod' ? convertZod(name, field, schema) : schema;
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new ToolRegistrationError(name, `Expected \`${field}\` of tool \`${name}\` to be a JSON Schema object or a zod schema, got ${typeName(json)}`);
  }
  const type = (json as { type?: unknown }).type;
  if (field === 'input' && type !== undefined && type !== 'object') {
    throw new ToolRegistrationError(name, `Expected \`input\` of tool \`${name}\` to describe an object of named arguments, got type ${JSON.stringify(type)}`);
  }
  return structuredClone(json) as JsonSchema;
}

function convertZod(name: string, field: 'input' | 'output', schema: object): JsonSchema {
  try {
    return zodToJsonSchema(schema, field);
  } catch (error) {
    throw new ToolRegistrationError(name, `The zod \`${field}\` schema of tool \`${name}\` cannot be converted to JSON Schema: ${(error as Error).message}`);
  }
}

function compile(name: string, field: 'input' | 'output', schema: JsonSchema | undefined): SchemaCheck | undefined {
  if (schema === undefined) return undefined;
  try {
    return compileSchema(schema);
  } catch (error) {
    throw new ToolRegistrationError(name, `The \`${field}\` schema of tool \`${name}\` is invalid: ${(error as Error).message}`);
  }
}

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value;
}
