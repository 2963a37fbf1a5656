#!/usr/bin/env node
// Owns the `toolweaver` executable: one commander program made of one module per command,
// and the mapping of every failure to a message and an exit code (0 ok, 1 a script or job
// failed, 2 usage, 130 Ctrl-C). Never prints a stack trace for bad arguments or unusable input.

import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { registerBatchCommand } from './batch-command.js';
import { registerPromptCommand } from './prompt-command.js';
import { registerQueueCommands } from './queue-commands.js';
import { registerReportCommand } from './report-command.js';
import { registerMcpCommand } from './mcp-command.js';
import { registerRunCommand } from './run-command.js';
import { registerTypesCommand } from './types-command.js';
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE, UsageError, messageOf } from './usage-error.js';

const USAGE_HINT = '(run `toolweaver --help` or `toolweaver <command> --help` for usage)';

function readVersion(): string {
  const manifest = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: unknown };
  return String(manifest.version);
}

function createProgram(): Command {
  const program = new Command('toolweaver')
    .description('Run LLM-written tool scripts in SES compartments on a worker pool.')
    .version(readVersion())
    // Subcommands made with .command() inherit both: errors come back here, not process.exit.
    .exitOverride()
    .showHelpAfterError(USAGE_HINT);
  registerRunCommand(program);
  registerBatchCommand(program);
  registerTypesCommand(program);
  registerPromptCommand(program);
  registerReportCommand(program);
  registerMcpCommand(program);
  registerQueueCommands(program);
  return program;
}

function exitCodeOf(error: unknown): number {
  // Commander has already printed its message (or the help / version asked for).
  if (error instanceof CommanderError) return error.exitCode === 0 ? EXIT_OK : EXIT_USAGE;
  if (error instanceof UsageError) {
    process.stderr.write(`error: ${error.message}\n${USAGE_HINT}\n`);
    return EXIT_USAGE;
  }
  process.stderr.write(`error: ${messageOf(error)}\n`);
  return EXIT_FAILURE;
}

// A reader that went away (`| head`) ends the command quietly rather than with an EPIPE trace.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  process.exit(error.code === 'EPIPE' ? (Number(process.exitCode) || EXIT_OK) : EXIT_FAILURE);
});

try {
  await createProgram().parseAsync(process.argv);
} catch (error) {
  process.exitCode = exitCodeOf(error);
}
