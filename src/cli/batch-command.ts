// Owns `toolweaver batch <jobs.jsonl | ->`: runs every job of a JSONL input through
// engine.executeMany and writes one JSON line per outcome to stdout, in completion order.
// The exit code says whether every job succeeded; it is never 0 unless every job read got
// its outcome. Progress and the final summary go to stderr on a terminal only.

import type { Command } from 'commander';
import type { BatchOutcome, ExecuteManyOptions } from '../batch/index.js';
import type { Engine } from '../engine.js';
import { InvalidOptionsError } from '../errors.js';
import { BatchLedger } from './batch-ledger.js';
import { abortOnInterrupt } from './interrupt.js';
import { loadCatalog } from './load-catalog.js';
import { logToolCalls } from './log-tool-calls.js';
import { addEngineOptions, integerFrom1To, openEngine, type EngineFlags } from './open-engine.js';
import { createProgressBar } from './progress-bar.js';
import { openJobs } from './read-jobs.js';
import { readText } from './read-text.js';
import { EXIT_FAILURE, EXIT_INTERRUPTED, EXIT_OK, UsageError } from './usage-error.js';
import { writeLine } from './write-line.js';

interface BatchFlags extends EngineFlags {
  tools: string;
  code?: string;
  concurrency?: number;
  verbose?: boolean;
}

function startBatch(engine: Engine, jobs: AsyncIterable<unknown>, options: ExecuteManyOptions): AsyncIterable<BatchOutcome> {
  try {
    // Lines are not checked here: the batch turns a malformed one into that job's outcome.
    return engine.executeMany(jobs as AsyncIterable<never>, options);
  } catch (error) {
    // Options come from the flags (`--concurrency` past the batch's maximum, ...).
    if (error instanceof InvalidOptionsError) throw new UsageError(error.message);
    throw error;
  }
}

async function writeOutcomes(outcomes: AsyncIterable<BatchOutcome>, ledger: BatchLedger): Promise<void> {
  for await (const outcome of outcomes) await writeLine(process.stdout, JSON.stringify(ledger.record(outcome)));
}

function reportImbalance(ledger: BatchLedger): boolean {
  const imbalance = ledger.imbalance();
  // The README's exit codes promise that a batch never ends 0 with a job's outcome missing.
  if (imbalance !== undefined) process.stderr.write(`error: ${imbalance}\n`);
  return imbalance !== undefined;
}

async function runBatch(jobsPath: string, flags: BatchFlags): Promise<void> {
  const code = flags.code === undefined ? undefined : await readText(flags.code, '`--code` script');
  const catalog = await loadCatalog(flags.tools);
  const input = await openJobs(jobsPath, code);
  const ledger = new BatchLedger(input.name);
  const progress = createProgressBar(process.stderr, input.total);
  let engine: Engine | undefined;
  const interrupt = abortOnInterrupt({ onInterrupt: () => progress?.abort(), onForce: () => progress?.stop() });
  try {
    engine = openEngine(catalog, flags);
    if (flags.verbose === true) logToolCalls(engine, process.stderr);
    const outcomes = startBatch(engine, ledger.jobs(input.lines(interrupt.signal)), {
      ...(flags.concurrency === undefined ? {} : { concurrency: flags.concurrency }),
      signal: interrupt.signal,
      ...(progress === undefined ? {} : { onProgress: progress.update }),
    });
    await writeOutcomes(outcomes, ledger);
  } finally {
    progress?.stop();
    interrupt.release();
    await engine?.close();
    await input.close();
    // Also when the input failed mid-way: say how many jobs read got no outcome.
    if (progress !== undefined && ledger.read > 0) process.stderr.write(`${ledger.summary()}${interrupt.signal.aborted ? ' (interrupted)' : ''}\n`);
    if (reportImbalance(ledger)) process.exitCode = EXIT_FAILURE;
  }
  if (process.exitCode === EXIT_FAILURE) return;
  if (interrupt.signal.aborted) process.exitCode = EXIT_INTERRUPTED;
  else process.exitCode = ledger.rejected === 0 ? EXIT_OK : EXIT_FAILURE;
}

/** Adds the `batch` command to `program`. */
export function registerBatchCommand(program: Command): void {
  const command = program
    .command('batch')
    .description('run many jobs; write one JSON line per outcome to stdout (exit 1 if any job failed)')
    .argument('<jobs>', 'JSONL file, or - for standard input: one job { code, context?, id? } per line (with --code: one context per line)')
    .requiredOption('--tools <module>', 'module exporting a ToolCatalog (as `catalog` or default)')
    .option('--code <script>', 'run this script for every line; each line is then a context object')
    .option('--concurrency <n>', 'most jobs in flight at once (default: 256)', integerFrom1To(100_000))
    .option('--verbose', 'log each tool call to stderr with its timing and outcome');
  addEngineOptions(command).action(runBatch);
}
