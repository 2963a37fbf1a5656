// Owns the set of tools an engine exposes. Checks each definition once at registration and
// freezes it; never calls a handler. Engines read it at execute time, so tools registered
// later are visible to later executions.

import { ToolRegistrationError } from '../errors.js';
import { describeUnusableGlobalName } from '../globals.js';
import type { JsonSchema, RegisteredTool, ToolDefinition } from './types.js';

/** The typed contract between the model, the script and the host: the tools a script may call. */
export class ToolCatalog {
  readonly #tools = new Map<string, RegisteredTool>();
  #version = 0;

  /** Adds a tool. Throws `ToolRegistrationError` for a bad definition or a taken name. */
  register<Input = any, Output = unknown>(definition: ToolDefinition<Input, Output>): this {
    const tool = checkDefinition(definition as ToolDefinition);
    if (this.#tools.has(tool.name)) {
      throw new ToolRegistrationError(tool.name, `A tool named \`${tool.name}\` is already registered`);
    }
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
}

function checkDefinition(definition: ToolDefinition): RegisteredTool {
  if (typeof definition !== 'object' || definition === null) {
    throw new ToolRegistrationError(String(definition), `Expected a tool definition object, got ${typeName(definition)}`);
  }
  const { name, description, input, output, concurrency, handler } = definition;
  if (typeof name !== 'string') {
    throw new ToolRegistrationError(String(name), `Expected \`name\` to be a string, got ${typeName(name)}`);
  }
  const unusable = describeUnusableGlobalName(name);
  if (unusable !== undefined) {
    throw new ToolRegistrationError(name, `Tool name \`${name}\` cannot be used: ${unusable}`);
  }
  if (typeof handler !== 'function') {
    throw new ToolRegistrationError(name, `Expected \`handler\` of tool \`${name}\` to be a function, got ${typeName(handler)}`);
  }
  if (description !== undefined && typeof description !== 'string') {
    throw new ToolRegistrationError(name, `Expected \`description\` of tool \`${name}\` to be a string, got ${typeName(description)}`);
  }
  if (concurrency !== undefined && !(Number.isInteger(concurrency) && concurrency > 0)) {
    throw new ToolRegistrationError(name, `Expected \`concurrency\` of tool \`${name}\` to be a positive integer, got ${String(concurrency)}`);
  }
  checkSchema(name, 'input', input);
  checkSchema(name, 'output', output);
  return Object.freeze({
    name,
    description: description ?? '',
    input,
    output,
    concurrency,
    parameters: input === undefined ? undefined : Object.freeze(parameterNames(input)),
    handler,
  });
}

function checkSchema(name: string, field: 'input' | 'output', schema: unknown): void {
  if (schema === undefined || typeof schema === 'boolean') return;
  if (typeof schema !== 'object' || schema === null || Array.isArray(schema)) {
    throw new ToolRegistrationError(name, `Expected \`${field}\` of tool \`${name}\` to be a JSON Schema object, got ${typeName(schema)}`);
  }
  if (field === 'input') {
    const type = (schema as { type?: unknown }).type;
    if (type !== undefined && type !== 'object') {
      throw new ToolRegistrationError(name, `Expected \`input\` of tool \`${name}\` to describe an object of named arguments, got type ${JSON.stringify(type)}`);
    }
  }
}

function parameterNames(schema: JsonSchema): string[] {
  if (typeof schema !== 'object') return [];
  const properties = schema['properties'];
  if (typeof properties !== 'object' || properties === null) return [];
  return Object.keys(properties);
}

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value;
}
