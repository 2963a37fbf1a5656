// Owns `toolweaver run <script>`: runs one script, printing its lines as they come and then
// the result and metadata as JSON; `--json` prints one machine-readable record instead.

import type { Command } from 'commander';
import type { Engine } from '../engine.js';
import { InvalidOptionsError } from '../errors.js';
import type { ExecuteOptions } from '../options.js';
import { abortOnInterrupt } from './interrupt.js';
import { loadCatalog } from './load-catalog.js';
import { logToolCalls } from './log-tool-calls.js';
import { addEngineOptions, openEngine, parseContext, type EngineFlags } from './open-engine.js';
import { readText } from './read-text.js';
import { errorToJson, fulfilledToJson, rejectedToJson } from './to-json.js';
import { EXIT_FAILURE, EXIT_INTERRUPTED, EXIT_OK, UsageError } from './usage-error.js';
import { writeLine } from './write-line.js';

interface RunFlags extends EngineFlags {
  tools: string;
  context?: Record<string, unknown>;
  json?: boolean;
  verbose?: boolean;
}


/** Prints lines as they are printed, then `{ value, metadata }`; a failure goes to stderr. */
async function runForPeople(engine: Engine, code: string, options: ExecuteOptions): Promise<number> {
  for await (const event of engine.executeStreaming(code, options)) {
    if (event.type === 'output') await writeLine(process.stdout, event.line);
    else await writeLine(process.stdout, JSON.stringify({ value: event.result.value, metadata: event.result.metadata }, null, 2));
  }
  return EXIT_OK;
}

async function runForMachines(engine: Engine, code: string, options: ExecuteOptions): Promise<number> {
  const result = await engine.execute(code, options);
  await writeLine(process.stdout, JSON.stringify(fulfilledToJson(result)));
  return EXIT_OK;
}

function describeFailure(error: unknown): string {
  const { code, message } = errorToJson(error);
  return code === undefined ? String(message) : `${String(code)}: ${String(message)}`;
}

async function reportFailure(error: unknown, json: boolean): Promise<number> {
  // The engine rejected the options this command built from `--context`: a usage error.
  if (error instanceof InvalidOptionsError) throw new UsageError(error.message);
  if (json) await writeLine(process.stdout, JSON.stringify(rejectedToJson(error)));
  else await writeLine(process.stderr, `error: the script failed: ${describeFailure(error)}`);
  return EXIT_FAILURE;
}

async function runScript(scriptPath: string, flags: RunFlags): Promise<void> {
  const code = await readText(scriptPath, 'script');
  const engine = openEngine(await loadCatalog(flags.tools), flags);
  if (flags.verbose === true) logToolCalls(engine, process.stderr);
  const interrupt = abortOnInterrupt();
  const options: ExecuteOptions = { context: flags.context, signal: interrupt.signal };
  try {
    const run = flags.json === true ? runForMachines : runForPeople;
    const exitCode = await run(engine, code, options).catch((error: unknown) => reportFailure(error, flags.json === true));
    process.exitCode = interrupt.signal.aborted ? EXIT_INTERRUPTED : exitCode;
  } finally {
    interrupt.release();
    await engine.close();
  }
}

/** Adds the `run` command to `program`. */
export function registerRunCommand(program: Command): void {
  const command = program
    .command('run')
    .description('run one script: print its lines as they come, then its result and metadata as JSON')
    .argument('<script>', 'file with the script to run')
    .requiredOption('--tools <module>', 'module exporting a ToolCatalog (as `catalog` or default)')
    .option('--context <json>', 'JSON object; each key becomes a read-only global of the script', parseContext)
    .option('--json', 'print only one JSON record: { status, result } or { status, error }')
    .option('--verbose', 'log each tool call to stderr with its timing and outcome');
  addEngineOptions(command).action(runScript);
}
