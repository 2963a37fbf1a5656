// Owns the engine flags shared by `run` and `batch` (--timeout, --threads, --isolation,
// --memory-limit, --stubs) and creating the CLI's engine from them. A bad value is a usage
// error (exit 2) at parse time; an option the engine still rejects becomes one too.

import { InvalidArgumentError, Option, type Command } from 'commander';
import type { ToolCatalog } from '../catalog/index.js';
import { createEngine, type Engine } from '../engine.js';
import { InvalidOptionsError } from '../errors.js';
import { DEFAULT_TIMEOUT_MS, type EngineOptions, type Isolation } from '../options.js';
import { UsageError } from './usage-error.js';

/** Flags every command that runs scripts accepts. Unset flags keep the engine's defaults. */
export interface EngineFlags {
  /** `--stubs`: tools answer with fake data from their output schemas. @default false */
  stubs?: boolean;
  /** `--timeout <ms>`: time limit of each script. @default the engine's timeoutMs (300000) */
  timeout?: number;
  /** `--threads <n>`: worker threads. @default the engine's (os.availableParallelism()) */
  threads?: number;
  /** `--isolation <mode>`. @default 'process' */
  isolation?: Isolation;
  /** `--memory-limit <mb>`: the engine's memoryLimitMb. @default 512 */
  memoryLimit?: number;
}

/** The largest delay Node's timers accept. */
const MAX_TIMER_MS = 2_147_483_647;

/** A parser of integers from 1 to `max`, for commander (its error exits with a usage message). */
export function integerFrom1To(max: number): (text: string) => number {
  return (text) => {
    const value = Number(text);
    if (!/^\s*\d+\s*$/.test(text) || !Number.isSafeInteger(value) || value < 1 || value > max) {
      throw new InvalidArgumentError(`Expected an integer from 1 to ${max}.`);
    }
    return value;
  };
}

/** Adds the engine flags to `command`. */
export function addEngineOptions(command: Command): Command {
  return command
    .option('--timeout <ms>', `time limit of each script, in milliseconds (default: ${DEFAULT_TIMEOUT_MS})`, integerFrom1To(MAX_TIMER_MS))
    .option('--threads <n>', 'worker threads (default: the number of CPUs)', integerFrom1To(256))
    .addOption(new Option('--isolation <mode>', 'where the worker threads run (default: process)').choices(['process', 'in-process']))
    .option('--memory-limit <mb>', 'memory a script may grow its thread\'s heap by, in MB (default: 512)', integerFrom1To(65_536))
    .option('--stubs', 'tools answer with fake data generated from their output schemas');
}

function engineOptions(catalog: ToolCatalog, flags: EngineFlags): EngineOptions {
  return {
    catalog,
    ...(flags.stubs === true ? { stubs: true } : {}),
    ...(flags.timeout === undefined ? {} : { timeoutMs: flags.timeout }),
    ...(flags.threads === undefined ? {} : { threads: flags.threads }),
    ...(flags.isolation === undefined ? {} : { isolation: flags.isolation }),
    ...(flags.memoryLimit === undefined ? {} : { memoryLimitMb: flags.memoryLimit }),
  };
}

/** Creates the engine for one CLI command (`extra`: options the command sets itself). The caller closes it. */
export function openEngine(catalog: ToolCatalog, flags: EngineFlags, extra: Pick<EngineOptions, 'onApproval'> = {}): Engine {
  try {
    return createEngine({ ...engineOptions(catalog, flags), ...extra });
  } catch (error) {
    if (error instanceof InvalidOptionsError && error.option === 'stubs') {
      throw new UsageError('stub mode is not available yet in this version of toolweaver (`--stubs`)');
    }
    if (error instanceof InvalidOptionsError) throw new UsageError(error.message);
    throw error;
  }
}

/** Parses `--context <json>`: a JSON object, or a usage error. */
export function parseContext(text: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new InvalidArgumentError('Expected a JSON object.');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new InvalidArgumentError('Expected a JSON object.');
  return parsed as Record<string, unknown>;
}
