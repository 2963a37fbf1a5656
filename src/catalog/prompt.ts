// Owns `catalog.toPrompt()` / `engine.instructions()`: the whole text an agent puts in its
// system prompt (sandbox rules with the limits that apply, one example, the declarations).
// The example is built from the catalog's own tools with schema-valid arguments, so it always
// passes validation; it must never name a global the sandbox lacks.

import { renderDeclarations, type DeclarationOptions } from './declarations.js';
import { createRandom, generateStub } from './stub-data.js';
import type { JsonSchema, RegisteredTool } from './types.js';

/** Options of `catalog.toPrompt()`; `engine.instructions()` fills the limits from the engine. */
export interface PromptOptions extends DeclarationOptions {
  /** Time limit stated in the rules, in milliseconds. @default 300000 (the engine's default `timeoutMs`) */
  timeoutMs?: number;
  /** Tool-call cap stated in the rules. @default 10000 (the engine's default `maxToolCalls`) */
  maxToolCalls?: number;
  /** Output line cap stated in the rules. @default 1000 (the engine's default `maxOutputLines`) */
  maxOutputLines?: number;
  /** A script to show instead of the generated example (it should run against this catalog). */
  example?: string;
}

/** Defaults stated when no engine is given; test/catalog/prompt.test.ts keeps them equal to the engine's. */
export const PROMPT_DEFAULTS = Object.freeze({ timeoutMs: 300_000, maxToolCalls: 10_000, maxOutputLines: 1_000 });

const SCALAR_TYPES = new Set(['string', 'number', 'integer', 'boolean']);

function isScalar(schema: JsonSchema | undefined): boolean {
  if (typeof schema !== 'object') return false;
  return Array.isArray(schema.enum) || SCALAR_TYPES.has(schema.type as string);
}

function requiredParameters(tool: RegisteredTool): string[] {
  const required = typeof tool.input === 'object' && Array.isArray(tool.input.required) ? (tool.input.required as string[]) : [];
  return (tool.parameters ?? []).filter((name) => required.includes(name));
}

function parameterSchema(tool: RegisteredTool, name: string): JsonSchema | undefined {
  const properties = typeof tool.input === 'object' ? (tool.input.properties as Record<string, JsonSchema> | undefined) : undefined;
  return properties?.[name];
}

/** The first tool that takes only scalar required arguments (the shortest example), else the first. */
function exampleTool(tools: readonly RegisteredTool[]): RegisteredTool | undefined {
  const simple = tools.find((tool) => {
    const names = requiredParameters(tool);
    return names.length > 0 && names.every((name) => isScalar(parameterSchema(tool, name)));
  });
  return simple ?? tools[0];
}

function exampleCall(tool: RegisteredTool, seed: string): string {
  const random = createRandom(seed);
  const args = requiredParameters(tool).map((name) => JSON.stringify(generateStub(parameterSchema(tool, name), tool.input!, random, name)));
  return `${tool.scriptPath.join('.')}(${args.join(', ')})`;
}

/** A short script calling one of the catalog's tools twice in parallel and returning a summary. */
export function renderExample(tools: readonly RegisteredTool[]): string {
  const tool = exampleTool(tools);
  if (tool === undefined) return 'print("no tools are registered");\nreturn null;';
  return [
    `const results = await Promise.all([${exampleCall(tool, 'example-1')}, ${exampleCall(tool, 'example-2')}]);`,
    'return results.map((r) => (Array.isArray(r) ? r.length : r));',
  ].join('\n');
}

/** The rules: what a script can use, and the limits of the engine that will run it. */
function renderRules(options: PromptOptions): string {
  const seconds = Math.round(((options.timeoutMs ?? PROMPT_DEFAULTS.timeoutMs) / 1000) * 10) / 10;
  const calls = (options.maxToolCalls ?? PROMPT_DEFAULTS.maxToolCalls).toLocaleString('en-US');
  const lines = (options.maxOutputLines ?? PROMPT_DEFAULTS.maxOutputLines).toLocaleString('en-US');
  return [
    'Write one JavaScript script to use the tools below; only what it returns and prints comes back to you.',
    '- Tools are async globals: await them (Promise.all for independent calls), arguments in order or as one object.',
    '- Top-level await and return work; return JSON data. print() and console.log() lines come back too.',
    '- The sandbox has no import, require, fetch, process, timers or eval. A failing tool throws; catch it to go on.',
    `- Limits: ${seconds} s per script, ${calls} tool calls, ${lines} printed lines.`,
  ].join('\n');
}

/** Renders the complete system-prompt text for `tools`. */
export function renderPrompt(tools: readonly RegisteredTool[], options: PromptOptions = {}): string {
  const example = options.example ?? renderExample(tools);
  const declarations = renderDeclarations(tools, options.outputs === undefined ? {} : { outputs: options.outputs }, false);
  return `${renderRules(options)}\n\nExample:\n\`\`\`js\n${example.trim()}\n\`\`\`\n\nTools:\n\`\`\`ts\n${declarations.trimEnd()}\n\`\`\`\n`;
}
