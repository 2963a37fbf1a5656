// Owns `catalog.toTypeScript()`: compact declarations of every tool for the model's prompt.
// One merged function + namespace per tool holds its Input and Output types once, so the two
// call forms do not repeat them; dotted names become nested namespaces.

import { docComment, propertyKey, schemaToTs } from './schema-to-ts.js';
import type { JsonSchema, RegisteredTool } from './types.js';

const HEADER = `// Every tool is async. Call it with positional arguments in the order shown, or with one
// object of named arguments (its Input). Tool names are the names to call.
`;
const SIMPLE_TYPE_CHARS = 24;

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

function renderTool(tool: RegisteredTool, indent: string, declare: string): string {
  const localName = tool.scriptPath[tool.scriptPath.length - 1]!;
  const renamed = tool.scriptName === tool.name ? '' : `\n(registered as ${JSON.stringify(tool.name)})`;
  const output = tool.output === undefined ? 'unknown' : `${localName}.Output`;
  let text = docComment(`${tool.description}${renamed}`.trim() || undefined, indent);
  text += `${indent}${declare}function ${localName}(${positionalParameters(tool, localName)}): Promise<${output}>;\n`;
  if (tool.input !== undefined) text += `${indent}${declare}function ${localName}(args: ${localName}.Input): Promise<${output}>;\n`;
  const members: string[] = [];
  if (tool.input !== undefined) members.push(`${indent}  type Input = ${schemaToTs(tool.input, tool.input, `${indent}  `)};`);
  if (tool.output !== undefined) members.push(`${indent}  type Output = ${schemaToTs(tool.output, tool.output, `${indent}  `)};`);
  if (members.length > 0) text += `${indent}${declare}namespace ${localName} {\n${members.join('\n')}\n${indent}}\n`;
  return text;
}

function renderTree(tree: Tree, indent: string, declare: string): string {
  let text = tree.tools.map((tool) => renderTool(tool, indent, declare)).join('');
  for (const [name, child] of tree.namespaces) {
    text += `${indent}${declare}namespace ${propertyKey(name)} {\n${renderTree(child, `${indent}  `, '')}${indent}}\n`;
  }
  return text;
}

/** Renders declarations for `tools` (registration order, namespaces after plain tools). */
export function renderDeclarations(tools: readonly RegisteredTool[]): string {
  return HEADER + renderTree(buildTree(tools), '', 'declare ');
}
