// Owns `catalog.toTypeScript()`: compact declarations of every tool for the model's prompt.
// One declaration per tool: positional parameters (their notes as line comments) and the
// output type inline; a large output type that repeats refers to its first tool. Dotted names
// become nested namespaces. Never evaluates tool metadata (see schema-to-ts.ts).

import { commentLines, docComment, lineComment, noteOnce, propertyKey, schemaToTs, type RenderContext } from './schema-to-ts.js';
import type { JsonSchema, RegisteredTool } from './types.js';

/** Options of `catalog.toTypeScript()`. */
export interface DeclarationOptions {
  /**
   * Declare output types. With `false`, every tool returns `Promise<unknown>`: about half
   * the tokens, for a tight prompt budget; the model then has to inspect what comes back.
   * @default true
   */
  outputs?: boolean;
}

const HEADER = '// Tools are async globals. Call with positional arguments, or one object of named arguments.\n';
const SHARE_MIN_CHARS = 60;

interface Tree {
  tools: RegisteredTool[];
  namespaces: Map<string, Tree>;
}

function buildTree(tools: readonly RegisteredTool[]): Tree {
  const root: Tree = { tools: [], namespaces: new Map() };
  for (const tool of tools) {
    let node = root;
    for (const segment of tool.scriptPath.slice(0, -1)) {
      let child = node.namespaces.get(segment);
      if (child === undefined) node.namespaces.set(segment, (child = { tools: [], namespaces: new Map() }));
      node = child;
    }
    node.tools.push(tool);
  }
  return root;
}

function requiredSet(schema: JsonSchema | undefined): Set<string> {
  return new Set(typeof schema === 'object' && Array.isArray(schema.required) ? (schema.required as string[]) : []);
}

function propertySchema(schema: JsonSchema, name: string): JsonSchema | undefined {
  const properties = typeof schema === 'object' ? (schema.properties as Record<string, JsonSchema> | undefined) : undefined;
  return properties?.[name];
}

/** Positional parameters: on one line when none has a note, else one per line with its note. */
function parameterList(tool: RegisteredTool, indent: string, context: RenderContext): string {
  const input = tool.input;
  if (input === undefined) return 'arg?: unknown';
  const names = tool.parameters ?? [];
  if (names.length === 0) return '';
  const required = requiredSet(input);
  // Only a trailing run of optional parameters can be written `name?`.
  let firstOptional = names.length;
  while (firstOptional > 0 && !required.has(names[firstOptional - 1]!)) firstOptional--;
  const inner = `${indent}  `;
  const parameters = names.map((name, index) => {
    const schema = propertySchema(input, name);
    context.key = name;
    const type = schemaToTs(schema, input, inner, 0, context);
    const safe = /^[A-Za-z_$][\w$]*$/.test(name) ? name : `arg${index}`;
    const head = index >= firstOptional ? `${safe}?: ${type}` : required.has(name) ? `${safe}: ${type}` : `${safe}: ${type} | undefined`;
    // A renamed parameter keeps its real key visible for the named-object form.
    const note = [safe === name ? undefined : `named ${JSON.stringify(name)}`, noteOnce(schema, name, context.notes)].filter((n) => n !== undefined).join('; ');
    return { head, note: note === '' ? undefined : note };
  });
  const flat = parameters.every((p) => p.note === undefined && !p.head.includes('\n'));
  if (flat) return parameters.map((p) => p.head).join(', ');
  const last = parameters.length - 1;
  const lines = parameters.map((p, index) => {
    const comma = index === last ? '' : ',';
    return p.head.includes('\n') ? `${docComment(p.note, inner)}${inner}${p.head}${comma}` : `${inner}${p.head}${comma}${lineComment(p.note)}`;
  });
  return `\n${lines.join('\n')}\n${indent}`;
}

/**
 * Output types already written, by their text: a later tool with the same (large) type refers
 * to the first one (`Awaited<ReturnType<typeof get_lead>>[]`) instead of repeating it.
 */
interface Seen {
  types: Map<string, string>;
  context: RenderContext;
}

function outputType(schema: JsonSchema, qualified: string, seen: Seen, indent: string): string {
  const key = schemaToTs(schema, schema);
  const known = seen.types.get(key);
  if (known !== undefined) return known;
  const items = typeof schema === 'object' && schema.type === 'array' ? (schema.items as JsonSchema | undefined) : undefined;
  const itemKey = items === undefined ? undefined : schemaToTs(items, schema);
  const knownItem = itemKey === undefined ? undefined : seen.types.get(itemKey);
  if (knownItem !== undefined) return `${knownItem}[]`;
  const owner = `Awaited<ReturnType<typeof ${qualified}>>`;
  if (key.length >= SHARE_MIN_CHARS) seen.types.set(key, owner);
  if (itemKey !== undefined && itemKey.length >= SHARE_MIN_CHARS) seen.types.set(itemKey, `${owner}[number]`);
  return schemaToTs(schema, schema, indent, 0, seen.context);
}

function renderTool(tool: RegisteredTool, indent: string, declare: string, seen: Seen, options: Required<DeclarationOptions>): string {
  const localName = tool.scriptPath[tool.scriptPath.length - 1]!;
  const renamed = tool.scriptName === tool.name ? '' : `\n(registered as ${JSON.stringify(tool.name)})`;
  const doc = commentLines(`${tool.description}${renamed}`.trim() || undefined, indent);
  // Parameters first: their notes are the ones kept when an output field repeats them.
  const parameters = parameterList(tool, indent, seen.context);
  const output = tool.output === undefined || !options.outputs ? 'unknown' : outputType(tool.output, tool.scriptPath.join('.'), seen, indent);
  return `${doc}${indent}${declare}function ${localName}(${parameters}): Promise<${output}>;\n`;
}

function renderTree(tree: Tree, indent: string, declare: string, seen: Seen, options: Required<DeclarationOptions>): string {
  let text = tree.tools.map((tool) => renderTool(tool, indent, declare, seen, options)).join('');
  for (const [name, child] of tree.namespaces) {
    text += `${indent}${declare}namespace ${propertyKey(name)} {\n${renderTree(child, `${indent}  `, '', seen, options)}${indent}}\n`;
  }
  return text;
}

/** `LeadStatus`-style alias names for repeated unions, unique and clear of top-level names. */
function nameUnions(context: RenderContext, taken: Set<string>): Map<string, string> {
  const aliases = new Map<string, string>();
  for (const [text, { key, count }] of context.unions) {
    const base = key.replace(/(^|[^A-Za-z0-9]+)([a-z]?)/g, (_m, _sep: string, letter: string) => letter.toUpperCase());
    if (count < 2 || !/^[A-Za-z_$][\w$]*$/.test(base)) continue;
    let name = base;
    for (let n = 2; taken.has(name); n++) name = `${base}${n}`;
    taken.add(name);
    aliases.set(text, name);
  }
  return aliases;
}

function render(tools: readonly RegisteredTool[], options: Required<DeclarationOptions>, aliases: Map<string, string> | undefined): { text: string; context: RenderContext } {
  const context: RenderContext = { notes: new Set(), key: '', unions: new Map(), aliases };
  const text = renderTree(buildTree(tools), '', 'declare ', { types: new Map(), context }, options);
  return { text, context };
}

/**
 * Renders declarations for `tools` (registration order, namespaces after plain tools). A
 * literal union written more than once is declared once as a type named after its first key.
 * `header: false` leaves out the calling convention line (the prompt states it in its rules).
 */
export function renderDeclarations(tools: readonly RegisteredTool[], options: DeclarationOptions = {}, header = true): string {
  const resolved = { outputs: options.outputs ?? true };
  const first = render(tools, resolved, undefined);
  const aliases = nameUnions(first.context, new Set(tools.map((tool) => tool.scriptPath[0]!)));
  const text = aliases.size === 0 ? first.text : render(tools, resolved, aliases).text;
  const types = [...aliases].map(([union, name]) => `type ${name} = ${union};\n`).join('');
  return (header ? HEADER : '') + types + text;
}
