// Owns `toolweaver batch <jobs.jsonl>`: runs every job of a JSONL file through
// engine.executeMany and writes one JSON line per outcome to stdout, in completion order.
// The exit code says whether every job succeeded; progress goes to stderr on a terminal only.

import { access } from 'node:fs/promises';
import { InvalidArgumentError, type Command } from 'commander';
import type { BatchJob, BatchOutcome, ExecuteManyOptions } from '../batch/index.js';
import type { Engine } from '../engine.js';
import { InvalidOptionsError } from '../errors.js';
import { abortOnInterrupt } from './interrupt.js';
import { loadCatalog } from './load-catalog.js';
import { logToolCalls } from './log-tool-calls.js';
import { openEngine, type EngineFlags } from './open-engine.js';
import { createProgressBar } from './progress-bar.js';
import { countJobs, readJobs } from './read-jobs.js';
import { readText } from './read-text.js';
import { outcomeToJson } from './to-json.js';
import { EXIT_FAILURE, EXIT_OK, UsageError, messageOf } from './usage-error.js';
import { writeLine } from './write-line.js';

interface BatchFlags extends EngineFlags {
  tools: string;
  code?: string;
  concurrency?: number;
  verbose?: boolean;
}

function parseConcurrency(text: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) throw new InvalidArgumentError('Expected a positive integer.');
  return value;
}

function startBatch(engine: Engine, jobs: AsyncIterable<unknown>, options: ExecuteManyOptions): AsyncIterable<BatchOutcome> {
  try {
    // Lines are not checked here: the batch turns a malformed one into that job's outcome.
    return engine.executeMany(jobs as AsyncIterable<BatchJob>, options);
  } catch (error) {
    // Options come from the flags (`--concurrency` past the batch's maximum, ...).
    if (error instanceof InvalidOptionsError) throw new UsageError(error.message);
    throw error;
  }
}

/** Writes every outcome as a JSON line; returns how many were rejected. */
async function writeOutcomes(outcomes: AsyncIterable<BatchOutcome>): Promise<number> {
  let rejected = 0;
  for await (const outcome of outcomes) {
    if (outcome.status === 'rejected') rejected++;
    await writeLine(process.stdout, JSON.stringify(outcomeToJson(outcome)));
  }
  return rejected;
}

async function runBatch(jobsPath: string, flags: BatchFlags): Promise<void> {
  await access(jobsPath).catch((error: unknown) => {
    throw new UsageError(`Cannot read the jobs file \`${jobsPath}\`: ${messageOf(error)}`);
  });
  const code = flags.code === undefined ? undefined : await readText(flags.code, '`--code` script');
  const catalog = await loadCatalog(flags.tools);
  const progress = process.stderr.isTTY ? createProgressBar(process.stderr, await countJobs(jobsPath)) : undefined;
  const engine = openEngine(catalog, flags);
  if (flags.verbose === true) logToolCalls(engine, process.stderr);
  const interrupt = abortOnInterrupt();
  try {
    const outcomes = startBatch(engine, readJobs(jobsPath, code), {
      ...(flags.concurrency === undefined ? {} : { concurrency: flags.concurrency }),
      signal: interrupt.signal,
      ...(progress === undefined ? {} : { onProgress: progress.update }),
    });
    process.exitCode = (await writeOutcomes(outcomes)) === 0 ? EXIT_OK : EXIT_FAILURE;
  } finally {
    progress?.stop();
    interrupt.release();
    await engine.close();
  }
}

/** Adds the `batch` command to `program`. */
export function registerBatchCommand(program: Command): void {
  program
    .command('batch')
    .description('run many jobs; write one JSON line per outcome to stdout (exit 1 if any job failed)')
    .argument('<jobs>', 'JSONL file: one job { code, context?, id? } per line (with --code: one context per line)')
    .requiredOption('--tools <module>', 'module exporting a ToolCatalog (as `catalog` or default)')
    .option('--code <script>', 'run this script for every line; each line is then a context object')
    .option('--concurrency <n>', 'most jobs in flight at once (default: the batch default)', parseConcurrency)
    .option('--stubs', 'tools answer with fake data generated from their output schemas')
    .option('--verbose', 'log each tool call to stderr with its timing and outcome')
    .action(runBatch);
}
