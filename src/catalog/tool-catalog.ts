// Owns the set of tools an engine exposes: checks each definition once at registration,
// converts zod schemas, compiles JSON Schemas, assigns script names, and freezes the result.
// Never calls a handler, never evaluates metadata.

import { ToolRegistrationError } from '../errors.js';
import { CATALOG_BRAND, CATALOG_SHAPE_VERSION } from './brand.js';
import { renderDeclarations, type DeclarationOptions } from './declarations.js';
import { renderPrompt, type PromptOptions } from './prompt.js';
import { compileSchema, parameterNames, type SchemaCheck } from './schema.js';
import { ScriptNameTable, type NameNode } from './script-names.js';
import { checkDefinitionKeys } from './definition-keys.js';
import { toJsonSchema } from './schema-like.js';
import type { JsonSchema, RegisteredTool, ToolDefinition } from './types.js';

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

  /**
   * The brand other copies of toolweaver recognise this catalog by (the CLI loading a tools
   * module that imports another install): the version of the shape `list()` gives.
   */
  get [CATALOG_BRAND](): number {
    return CATALOG_SHAPE_VERSION;
  }

  /**
   * Adds a tool. Throws `ToolRegistrationError` for a bad definition (an unknown key, two
   * spellings of one field, a `needsApproval` that is neither a boolean nor a function), a bad schema, or a taken name. The handler's
   * input is typed from the input schema (zod, AI SDK, or JSON Schema `as const`).
   */
  register<const InputSchema = undefined, const OutputSchema = undefined>(definition: ToolDefinition<InputSchema, OutputSchema>): this {
    const draft = checkDefinition(definition as unknown as ToolDefinition);
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

  /**
   * Registers a record of AI SDK tools (what `generateText({ tools })` takes), each under its
   * key: `{ get_weather: tool({...}) }` becomes the tool `get_weather`. Each is checked as
   * `register` checks it (a provider tool is refused); nothing is
   * registered unless every one is accepted.
   */
  addAiSdkTools(tools: Readonly<Record<string, object>>): this {
    const definitions = Object.entries(tools).map(([name, definition]) => ({ ...definition, name }) as unknown as ToolDefinition);
    // Every definition is checked first, so a bad one leaves the catalog as it was.
    for (const definition of definitions) {
      const { name } = checkDefinition(definition);
      if (this.#tools.has(name)) throw new ToolRegistrationError(name, `A tool named \`${name}\` is already registered`);
    }
    for (const definition of definitions) this.register(definition);
    return this;
  }

  /**
   * Removes the tool registered under `name`; returns whether there was one. Other tools keep
   * their script names. An engine picks the change up at its next `execute`; a script already
   * running that calls the removed tool gets a catchable "no such tool" error.
   */
  unregister(name: string): boolean {
    if (!this.#tools.delete(name)) return false;
    this.#names.remove(name);
    this.#version++;
    return true;
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

  /** The top-level namespaces of script names (`github` for `github.list_pull_requests`), in order. */
  namespaces(): string[] {
    return [...new Set(this.list().filter((tool) => tool.scriptPath.length > 1).map((tool) => tool.scriptPath[0]!))];
  }

  /** Declarations of the tools in one top-level namespace only, for catalogs too large for one prompt. */
  namespaceToTypeScript(namespace: string): string {
    return renderDeclarations(this.list().filter((tool) => tool.scriptPath.length > 1 && tool.scriptPath[0] === namespace));
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
  checkDefinitionKeys(name, definition);
  const handler = oneOf(name, definition, ['handler', 'execute']);
  if (handler !== undefined && typeof handler !== 'function') {
    throw new ToolRegistrationError(name, `Expected \`handler\` of tool \`${name}\` to be a function, got ${typeName(handler)}`);
  }
  if (description !== undefined && typeof description !== 'string') {
    throw new ToolRegistrationError(name, `Expected \`description\` of tool \`${name}\` to be a string, got ${typeName(description)}`);
  }
  if (concurrency !== undefined && !(Number.isInteger(concurrency) && concurrency > 0)) {
    throw new ToolRegistrationError(name, `Expected \`concurrency\` of tool \`${name}\` to be a positive integer, got ${String(concurrency)}`);
  }
  const input = toJsonSchema(name, 'input', oneOf(name, definition, ['input', 'inputSchema', 'parameters']));
  const output = toJsonSchema(name, 'output', oneOf(name, definition, ['output', 'outputSchema']));
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
      needsApproval: (definition as { needsApproval?: RegisteredTool['needsApproval'] }).needsApproval,
    },
    checks: { input: compile(name, 'input', input), output: compile(name, 'output', output) },
  };
}

function compile(name: string, field: 'input' | 'output', schema: JsonSchema | undefined): SchemaCheck | undefined {
  if (schema === undefined) return undefined;
  try {
    return compileSchema(schema);
  } catch (error) {
    throw new ToolRegistrationError(name, `The \`${field}\` schema of tool \`${name}\` is invalid: ${(error as Error).message}`);
  }
}

/** The one spelling of a field the definition uses; two spellings at once are ambiguous. */
function oneOf<K extends keyof ToolDefinition>(name: string, definition: ToolDefinition, keys: readonly K[]): ToolDefinition[K] | undefined {
  const given = keys.filter((key) => definition[key] !== undefined);
  if (given.length > 1) {
    throw new ToolRegistrationError(name, `Tool \`${name}\` sets both ${given.map((key) => `\`${key}\``).join(' and ')}; keep one`);
  }
  return given[0] === undefined ? undefined : definition[given[0]];
}

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value;
}
