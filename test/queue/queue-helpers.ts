// Helpers of the queue tests: `toolweaver worker` as a real child process, the effects the
// fixture's report tool wrote (one line per call, one file per process), jobs of the
// team-expenses script, and the value each job must return, computed from the fixture data.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
// @ts-expect-error: a plain JavaScript fixture module without types
import { expenses, members } from '../../fixtures/data.mjs';
// @ts-expect-error: a plain JavaScript fixture module without types
import { QUEUE_SCRIPT } from '../../fixtures/queue-tools.mjs';

export const CLI = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));
export const QUEUE_TOOLS = fileURLToPath(new URL('../../fixtures/queue-tools.mjs', import.meta.url));
export const SCRIPT: string = QUEUE_SCRIPT;
export const TEAMS = ['t-eng', 't-sales', 't-mkt', 't-ops', 't-sup'] as const;

/** A `toolweaver worker` process, ready (it said so on stderr). */
export interface WorkerProcess {
  readonly child: ChildProcess;
  readonly stderr: () => string;
  /** Resolves with the exit code (or the signal's name). */
  readonly exited: Promise<number | string>;
}

/** Starts `toolweaver worker` with the fixture tools; `env` adds TW_QUEUE_* settings. */
export async function startWorker(redisUrl: string, queue: string, extraArgs: string[], env: Record<string, string>): Promise<WorkerProcess> {
  const child = spawn(process.execPath, [CLI, 'worker', '--queue', queue, '--redis', redisUrl, '--tools', QUEUE_TOOLS, '--threads', '1', ...extraArgs], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let log = '';
  const exited = new Promise<number | string>((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal ?? -1)));
  await new Promise<void>((resolve, reject) => {
    child.stderr!.on('data', (chunk: Buffer) => {
      log += chunk.toString();
      if (log.includes('taking jobs')) resolve();
    });
    void exited.then((code) => reject(new Error(`worker exited (${code}) before it was ready: ${log}`)));
  });
  return { child, stderr: () => log, exited };
}

/** How often each job key's report was filed, over every process's effect file in `dir`. */
export function countEffects(dir: string): Map<string, number> {
  const counts = new Map<string, number>();
  if (!existsSync(dir)) return counts;
  for (const name of readdirSync(dir).filter((entry) => entry.startsWith('effects-'))) {
    for (const key of readFileSync(join(dir, name), 'utf8').split('\n')) {
      if (key !== '') counts.set(key, (counts.get(key) ?? 0) + 1);
    }
  }
  return counts;
}

/** Job `i` of a run: team-expenses of one team, keyed for its report. */
export function job(i: number, prefix = 'job'): { code: string; context: { teamId: string; jobKey: string }; id: string } {
  return { code: SCRIPT, context: { teamId: TEAMS[i % TEAMS.length]!, jobKey: `${prefix}-${i}` }, id: `${prefix}-${i}` };
}

type Member = { id: string; name: string; teamId: string };
type Expense = { memberId: string; quarter: string; amount: number };

/** What SCRIPT returns for `teamId`, from the fixture data itself. */
export function expectedValue(teamId: string): Array<{ name: string; total: number }> {
  return (members as Member[])
    .filter((m) => m.teamId === teamId)
    .map((m) => ({ name: m.name, total: (expenses as Expense[]).filter((e) => e.memberId === m.id && e.quarter === 'Q3').reduce((s, e) => s + e.amount, 0) }))
    .filter((m) => m.total > 5000);
}

/** Resolves once `check` is true, polling every 50 ms. */
export async function until(check: () => boolean | Promise<boolean>): Promise<void> {
  while (!(await check())) await new Promise((resolve) => setTimeout(resolve, 50));
}
