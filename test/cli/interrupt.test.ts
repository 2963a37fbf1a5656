// Ctrl-C: a real SIGINT sent to the CLI process aborts the work, every job still gets its
// outcome, and the process exits 130; on a terminal the bar shows the aborted state.
import { execFileSync, spawn } from 'node:child_process';
import { open } from 'node:fs/promises';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { CLI, file, hasScriptCommand, inTerminal, jsonLines, quote, scratch, shellCommand } from './run-cli.js';

const work = scratch();
afterAll(() => rmSync(work, { recursive: true, force: true }));

// Every tool of this catalog answers after 60 s: a script awaiting one is surely running.
const TOOLS = fileURLToPath(new URL('../../fixtures/slow-tools.mjs', import.meta.url));
const JOBS = 12;
// The first job ends at once (its outcome says the handler is installed); the rest wait on a tool.
const jobs = file(work, 'waiting.jsonl', [
  JSON.stringify({ id: 'quick', code: 'return 1;' }),
  ...Array.from({ length: JOBS - 1 }, (_, n) => JSON.stringify({ id: `wait-${n}`, code: 'return await echo({ value: 1 });' })),
]);

/** Runs `args`, sends SIGINT once stdout has a line; resolves with the exit code and stdout. */
function interruptAfterFirstLine(args: string[], stdin?: string): Promise<{ code: number | null; signal: string | null; stdout: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd: work, stdio: [stdin === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'] });
    // Written but never ended: a writer that is still there when Ctrl-C comes.
    if (stdin !== undefined) child.stdin!.write(stdin);
    let stdout = '';
    let sent = false;
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      if (!sent && stdout.includes('\n')) {
        sent = true;
        child.kill('SIGINT');
      }
    });
    child.on('close', (code, signal) => resolve({ code, signal, stdout }));
  });
}

describe('Ctrl-C', () => {
  it('batch: aborts the jobs in flight, writes every outcome, exits 130', async () => {
    const { code, signal, stdout } = await interruptAfterFirstLine(['batch', jobs, '--tools', TOOLS, '--threads', '1', '--timeout', '120000']);
    expect(signal).toBeNull();
    expect(code).toBe(130);
    const outcomes = jsonLines(stdout);
    expect(outcomes).toHaveLength(JOBS);
    const byId = new Map(outcomes.map((o) => [o['id'], o]));
    expect(byId.get('quick')).toMatchObject({ status: 'fulfilled' });
    for (let n = 0; n < JOBS - 1; n++) expect(byId.get(`wait-${n}`)).toMatchObject({ status: 'rejected', error: { code: 'ERR_EXECUTION_ABORTED' } });
  });

  it('batch -: stops reading standard input whose writer is still there, exits 130 at once', async () => {
    const { code, signal, stdout } = await interruptAfterFirstLine(['batch', '-', '--tools', TOOLS, '--threads', '1'], `${JSON.stringify({ code: 'return 1;' })}\n`);
    expect(signal).toBeNull();
    expect(code).toBe(130);
    expect(jsonLines(stdout)).toMatchObject([{ index: 0, status: 'fulfilled' }]);
  });

  it('batch <fifo> (as /dev/stdin or <(...) are): stops reading a pipe whose writer is still there, exits 130 at once', async () => {
    const fifo = join(work, 'jobs.fifo');
    execFileSync('mkfifo', [fifo]);
    const exited = interruptAfterFirstLine(['batch', fifo, '--tools', TOOLS, '--threads', '1']);
    // Opened for writing once the CLI opens it for reading; written, never closed until the end.
    const writer = await open(fifo, 'w');
    try {
      await writer.write(`${JSON.stringify({ code: 'return 1;' })}\n`);
      const { code, signal, stdout } = await exited;
      expect(signal).toBeNull();
      expect(code).toBe(130);
      expect(jsonLines(stdout)).toMatchObject([{ index: 0, status: 'fulfilled' }]);
    } finally {
      await writer.close();
    }
  });

  it('run: aborts the script and exits 130', async () => {
    const script = file(work, 'wait-print.js', ['print("started");', 'return await echo({ value: 1 });']);
    const { code, signal, stdout } = await interruptAfterFirstLine(['run', script, '--tools', TOOLS, '--threads', '1', '--timeout', '120000']);
    expect(signal).toBeNull();
    expect(code).toBe(130);
    expect(stdout.split('\n')[0]).toBe('started');
  });

  it.skipIf(!hasScriptCommand())('batch on a terminal: the bar shows the aborted state and the summary counts the aborted jobs', () => {
    const out = join(work, 'tty-interrupted.jsonl');
    // A real SIGINT to the CLI once its first outcome is written (the handler is installed by then).
    const cli = shellCommand(['batch', jobs, '--tools', TOOLS, '--threads', '1']);
    const command = `${cli} > ${quote(out)} & pid=$!; until [ -s ${quote(out)} ]; do sleep 0.05; done; kill -INT $pid; wait $pid`;
    const { code, terminal } = inTerminal(command);
    expect(code).toBe(130);
    expect(terminal).toContain('ABORTED');
    expect(terminal).toContain(`ERR_EXECUTION_ABORTED ${JOBS - 1}`);
    expect(jsonLines(readFileSync(out, 'utf8'))).toHaveLength(JOBS);
  });
});
