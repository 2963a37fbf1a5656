// Owns `toolweaver types`: prints the TypeScript declarations of a catalog's tools for a
// model's prompt, or, from a catalog without `toTypeScript`, one line per tool.

import type { Command } from 'commander';
import type { ToolCatalog } from '../catalog/index.js';
import { loadCatalog } from './load-catalog.js';
import { writeLine } from './write-line.js';

interface TypesFlags {
  tools: string;
  /** `--no-outputs` sets it to false. @default true */
  outputs: boolean;
}

/** `name  description` lines, for catalogs that cannot declare their types yet. */
function listTools(catalog: ToolCatalog): string {
  const tools = catalog.list();
  const width = Math.max(0, ...tools.map((tool) => tool.name.length));
  return tools.map((tool) => `${tool.name.padEnd(width)}  ${tool.description}`.trimEnd()).join('\n');
}

async function printTypes(flags: TypesFlags): Promise<void> {
  const catalog = await loadCatalog(flags.tools);
  // `toTypeScript` arrives with the typed catalog (issue #3); until then, names and descriptions.
  const declare = (catalog as { toTypeScript?: unknown }).toTypeScript;
  const text = typeof declare === 'function' ? String(await (declare as (options: object) => unknown).call(catalog, { outputs: flags.outputs })) : listTools(catalog);
  await writeLine(process.stdout, text);
}

/** Adds the `types` command to `program`. */
export function registerTypesCommand(program: Command): void {
  program
    .command('types')
    .description('print the TypeScript declarations of the catalog\'s tools (for a model\'s prompt)')
    .requiredOption('--tools <module>', 'module exporting a ToolCatalog (as `catalog` or default)')
    .option('--no-outputs', 'leave output types out (about half the tokens)')
    .action(printTypes);
}
