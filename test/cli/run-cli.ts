// Helpers of the CLI tests: the built `toolweaver` run as a real child process, files in a
// scratch directory, and commands run on a real pseudo-terminal through util-linux `script`.
import { execFile, execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const CLI = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));
export const TOOLS = fileURLToPath(new URL('../../fixtures/tools.mjs', import.meta.url));
export const STACK_LINE = /^\s+at /m;

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** A scratch directory for one test file. */
export function scratch(): string {
  return mkdtempSync(join(tmpdir(), 'toolweaver-cli-'));
}

/** Runs `toolweaver ...args` in `cwd` with pipes for stdin/stdout/stderr. */
export function toolweaver(cwd: string, args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args], { cwd }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === 'number' ? error.code : -1;
      resolve({ code, stdout, stderr });
    });
  });
}

/** Writes `lines` (newline-terminated) to `dir/name`; returns the path. */
export function file(dir: string, name: string, lines: string[]): string {
  const path = join(dir, name);
  writeFileSync(path, `${lines.join('\n')}\n`);
  return path;
}

export const jsonLines = (text: string): Array<Record<string, any>> =>
  text.trim() === '' ? [] : text.trim().split('\n').map((line) => JSON.parse(line));

export function hasScriptCommand(): boolean {
  try {
    execFileSync('script', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Quotes `arg` for a POSIX shell. */
export const quote = (arg: string): string => `'${arg.replaceAll("'", "'\\''")}'`;

/** The `toolweaver` command line, quoted for a shell. */
export const shellCommand = (args: string[]): string => [process.execPath, CLI, ...args].map(quote).join(' ');

/**
 * Runs the bash command line `command` on a pseudo-terminal (stdin, stdout and stderr of the
 * shell are the terminal; redirect inside `command` to keep data off it). Returns everything
 * the terminal showed and the command's exit code.
 */
export function inTerminal(command: string): { code: number; terminal: string } {
  const result = spawnSync('script', ['-qec', `bash -c ${quote(command)}`, '/dev/null'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 60_000 });
  return { code: result.status ?? -1, terminal: result.stdout };
}

/** Runs the bash command line `command` without a terminal; returns its exit code and stderr. */
export function inShell(command: string): { code: number; stderr: string } {
  const result = spawnSync('bash', ['-c', command], { encoding: 'utf8', timeout: 60_000 });
  return { code: result.status ?? -1, stderr: result.stderr };
}
