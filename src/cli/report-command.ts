// Owns `toolweaver report <script>`: runs one script and prints the seeds' table, measured:
// a tool-calling loop's round trips and context (every tool result) against what came back.
// `--json` prints the report as one JSON record instead; `--llm-latency-ms` turns the latency
// row's formulas (`3 × L + 62 ms`) into totals for an assumed LLM latency.

import type { Command } from 'commander';
import { InvalidOptionsError } from '../errors.js';
import { formatReportTable } from '../report/index.js';
import { abortOnInterrupt } from './interrupt.js';
import { loadCatalog } from './load-catalog.js';
import { openEngine, parseContext, type EngineFlags } from './open-engine.js';
import { readText } from './read-text.js';
import { errorToJson } from './to-json.js';
import { EXIT_FAILURE, EXIT_OK, UsageError } from './usage-error.js';
import { writeLine } from './write-line.js';

interface ReportFlags extends EngineFlags {
  tools: string;
  context?: Record<string, unknown>;
  json?: boolean;
  llmLatencyMs?: number;
}

/** `--llm-latency-ms`: a non-negative number of milliseconds. */
function parseLatency(text: string): number {
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value) || value < 0) throw new UsageError(`--llm-latency-ms must be a non-negative number of milliseconds, got ${JSON.stringify(text)}`);
  return value;
}


async function reportScript(scriptPath: string, flags: ReportFlags): Promise<void> {
  const code = await readText(scriptPath, 'script');
  const engine = openEngine(await loadCatalog(flags.tools), flags);
  const interrupt = abortOnInterrupt();
  try {
    const report = await engine.report(code, { context: flags.context, signal: interrupt.signal });
    const { traditional, programmatic, levels, calls, latency } = report;
    const text = flags.json === true ? JSON.stringify({ levels, toolCalls: calls.length, traditional, programmatic, latency, calls }) : formatReportTable(report, { llmLatencyMs: flags.llmLatencyMs });
    await writeLine(process.stdout, text);
    process.exitCode = EXIT_OK;
  } catch (error) {
    if (error instanceof InvalidOptionsError) throw new UsageError(error.message);
    const { code: errorCode, message } = errorToJson(error);
    await writeLine(process.stderr, `error: the script failed: ${errorCode === undefined ? '' : `${String(errorCode)}: `}${String(message)}`);
    process.exitCode = EXIT_FAILURE;
  } finally {
    interrupt.release();
    await engine.close();
  }
}

/** Adds the `report` command to `program`. */
export function registerReportCommand(program: Command): void {
  program
    .command('report')
    .description('run one script and compare it with a tool-calling loop: LLM round trips, context bytes and tokens')
    .argument('<script>', 'file with the script to run')
    .requiredOption('--tools <module>', 'module exporting a ToolCatalog (as `catalog` or default)')
    .option('--context <json>', 'JSON object; each key becomes a read-only global of the script', parseContext)
    .option('--stubs', 'tools answer with fake data generated from their output schemas')
    .option('--json', 'print the report as one JSON record')
    .option('--llm-latency-ms <ms>', 'assumed latency of one LLM call: the latency row shows totals instead of formulas in L', parseLatency)
    .action(reportScript);
}
