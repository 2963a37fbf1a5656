// Owns `toolweaver prompt`: prints the complete system-prompt text for a catalog (sandbox
// rules with the engine's default limits, one example, the declarations). Runs no script.

import type { Command } from 'commander';
import { loadCatalog } from './load-catalog.js';
import { writeLine } from './write-line.js';

interface PromptFlags {
  tools: string;
  /** `--no-outputs` sets it to false. @default true */
  outputs: boolean;
}

async function printPrompt(flags: PromptFlags): Promise<void> {
  const catalog = await loadCatalog(flags.tools);
  await writeLine(process.stdout, catalog.toPrompt({ outputs: flags.outputs }).trimEnd());
}

/** Adds the `prompt` command to `program`. */
export function registerPromptCommand(program: Command): void {
  program
    .command('prompt')
    .description('print the system-prompt text for the catalog: sandbox rules, one example, the declarations')
    .requiredOption('--tools <module>', 'module exporting a ToolCatalog (as `catalog` or default)')
    .option('--no-outputs', 'leave output types out of the declarations (about half the tokens)')
    .action(printPrompt);
}
