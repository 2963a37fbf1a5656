// Owns the text of the served `execute_code` tool's description: the one place where what the
// model reads about the catalog is built (switch it to the prompt kit here when it lands).

import type { ToolCatalog } from '../../catalog/index.js';

const RULES = [
  'Run one async JavaScript script that calls the tools below as async functions, and get back only what it returns and prints.',
  'Await every tool call; run independent calls in parallel with Promise.all; `return` the final value (JSON data); print() or console.log() for notes.',
  'No imports, require, eval, Function, timers or network: only the tools below and standard globals.',
].join('\n');

/** The description of `execute_code`: rules, then every tool's declarations or only the namespaces. */
export function describeExecuteCode(catalog: ToolCatalog, declarations: 'all' | 'namespaces'): string {
  if (declarations === 'all') return `${RULES}\n\nTools (TypeScript declarations):\n\n${catalog.toTypeScript()}`;
  const namespaces = catalog.namespaces();
  return `${RULES}\n\nTool namespaces: ${namespaces.join(', ')}. Read a namespace's TypeScript declarations with \`get_declarations\` before calling its tools.`;
}
