// Runs a host program in its own Node subprocess, for the cold-start and prewarm tests: the
// pool processes it sees under it are its own (/proc: Linux only). The prelude gives each
// program the package, its pool processes, a liveness check and a JSON printer.
import { execFile } from 'node:child_process';

export const DIST = new URL('../../dist/index.js', import.meta.url).href;

/** Helpers of every host program: the pool processes under this process, and liveness. */
const PRELUDE = `
import { readdirSync, readFileSync } from 'node:fs';
import { createEngine, prewarmPool, ToolCatalog, ToolWeaverError } from ${JSON.stringify(DIST)};
const poolProcesses = () => readdirSync('/proc').filter((name) => /^\\d+$/.test(name)).filter((pid) => {
  try {
    const stat = readFileSync('/proc/' + pid + '/stat', 'utf8');
    const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    return parent === process.pid && readFileSync('/proc/' + pid + '/cmdline', 'utf8').includes('pool-process.js');
  } catch {
    return false;
  }
}).map(Number);
const alive = (pid) => { try { process.kill(pid, 0); return true; } catch { return false; } };
const print = (value) => console.log(JSON.stringify(value));
`;

export interface HostRun {
  code: number | null;
  killed: boolean;
  out: Record<string, unknown>;
}

/** Runs `body` after the prelude as an ES module host; killed after 20 s so a broken build fails, not hangs. */
export function runHost(body: string): Promise<HostRun> {
  return new Promise((resolve) => {
    const child = execFile(process.execPath, ['--input-type=module', '-e', PRELUDE + body], { timeout: 20_000 }, (error, stdout) => {
      const last = stdout.trim().split('\n').pop() ?? '';
      resolve({ code: child.exitCode, killed: error?.killed === true || child.signalCode !== null, out: last.startsWith('{') ? JSON.parse(last) as Record<string, unknown> : {} });
    });
  });
}
