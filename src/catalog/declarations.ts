// Owns `catalog.toTypeScript()`: compact declarations of every tool for the model's prompt.
// One merged function + namespace per tool holds its Input and Output types once, so the two
// call forms do not repeat them; dotted names become nested namespaces.

import { docComment, propertyKey, schemaToTs } from './schema-to-ts.js';
import type { JsonSchema, RegisteredTool } from './types.js';

const HEADER = `// Every tool is async. Call it with positional arguments in the order shown, or with one
// object of named arguments (its Input). Tool names are the names to call.
`;
const SIMPLE_TYPE_CHARS = 40;

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

/** Positional parameters: simple types inline, longer ones by reference into Input. */
function positionalParameters(tool: RegisteredTool, localName: string): string {
  const input = tool.input;
  if (input === undefined) return 'arg?: unknown';
  if ((tool.parameters?.length ?? 0) === 0) return '';
  const required = requiredSet(input);
  const names = tool.parameters ?? [];
  // Only a trailing run of optional parameters can be written `name?`.
  let firstOptional = names.length;
  while (firstOptional > 0 && !required.has(names[firstOptional - 1]!)) firstOptional--;
  return names
    .map((name, index) => {
      const inline = schemaToTs(propertySchema(input, name), input);
      const type = inline.length <= SIMPLE_TYPE_CHARS && !inline.includes('\n') ? inline : `${localName}.Input[${JSON.stringify(name)}]`;
      const safe = /^[A-Za-z_$][\w$]*$/.test(name) ? name : `arg${index}`;
      if (index >= firstOptional) return `${safe}?: ${type}`;
      return required.has(name) ? `${safe}: ${type}` : `${safe}: ${type} | undefined`;
    })
    .join(', ');
}

/**
 * Types already written, by their text: a later tool with the same (large) type refers to the
 * first one (`type Output = get_lead.Output[]`) instead of repeating it.
 */
type SeenTypes = Map<string, string>;
const SHARE_MIN_CHARS = 60;

function sharedType(schema: JsonSchema, owner: string, seen: SeenTypes, indent: string): string {
  const key = schemaToTs(schema, schema);
  const known = seen.get(key);
  if (known !== undefined) return known;
  const items = typeof schema === 'object' && schema.type === 'array' ? (schema.items as JsonSchema | undefined) : undefined;
  const itemKey = items === undefined ? undefined : schemaToTs(items, schema);
  const knownItem = itemKey === undefined ? undefined : seen.get(itemKey);
  if (knownItem !== undefined) return `${knownItem}[]`;
  if (key.length >= SHARE_MIN_CHARS) seen.set(key, owner);
  if (itemKey !== undefined && itemKey.length >= SHARE_MIN_CHARS) seen.set(itemKey, `${owner}[number]`);
  return schemaToTs(schema, schema, indent);
}

function renderTool(tool: RegisteredTool, indent: string, declare: string, seen: SeenTypes): string {
  const localName = tool.scriptPath[tool.scriptPath.length - 1]!;
  const qualified = tool.scriptPath.join('.');
  const renamed = tool.scriptName === tool.name ? '' : `\n(registered as ${JSON.stringify(tool.name)})`;
  const output = tool.output === undefined ? 'unknown' : `${localName}.Output`;
  const named = tool.input !== undefined && (tool.parameters?.length ?? 0) > 0;
  let text = docComment(`${tool.description}${renamed}`.trim() || undefined, indent);
  text += `${indent}${declare}function ${localName}(${positionalParameters(tool, localName)}): Promise<${output}>;\n`;
  if (named) text += `${indent}${declare}function ${localName}(args: ${localName}.Input): Promise<${output}>;\n`;
  const members: string[] = [];
  if (named) members.push(`${indent}  type Input = ${sharedType(tool.input!, `${qualified}.Input`, seen, `${indent}  `)};`);
  if (tool.output !== undefined) members.push(`${indent}  type Output = ${sharedType(tool.output, `${qualified}.Output`, seen, `${indent}  `)};`);
  if (members.length > 0) text += `${indent}${declare}namespace ${localName} {\n${members.join('\n')}\n${indent}}\n`;
  return text;
}

function renderTree(tree: Tree, indent: string, declare: string, seen: SeenTypes): string {
  let text = tree.tools.map((tool) => renderTool(tool, indent, declare, seen)).join('');
  for (const [name, child] of tree.namespaces) {
    text += `${indent}${declare}namespace ${propertyKey(name)} {\n${renderTree(child, `${indent}  `, '', seen)}${indent}}\n`;
  }
  return text;
}

/** Renders declarations for `tools` (registration order, namespaces after plain tools). */
export function renderDeclarations(tools: readonly RegisteredTool[]): string {
  return HEADER + renderTree(buildTree(tools), '', 'declare ', new Map());
}
