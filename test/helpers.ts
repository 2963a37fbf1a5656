// Shared test helpers: engines that are always closed, and gates that make orderings
// deterministic without wall-clock windows.
import { readdirSync, readFileSync } from 'node:fs';
import { afterEach } from 'vitest';
import { createEngine, ToolCatalog, type Engine, type EngineOptions, type ToolDefinition } from 'toolweaver';
// @ts-expect-error: plain-JS fixtures shared with the bench.
import { poolProcesses as poolProcessPids } from '../fixtures/chaos.mjs';

const open = new Set<Engine>();

afterEach(async () => {
  await Promise.all([...open].map((engine) => engine.close({ force: true })));
  open.clear();
});

/**
 * A runaway no checkpoint can stop: one regexp call backtracking for hours, with no script
 * code running inside it. Only terminating its thread ends it, so tests of that fallback
 * use it (a plain `while (true) {}` now stops itself at its time limit).
 */
export const UNSTOPPABLE_RUNAWAY = '/(a+)+$/.test("a".repeat(40) + "b");';

/** Creates an engine closed automatically after the test. */
export function engineFor(tools: ToolDefinition[] | ToolCatalog, options: Partial<EngineOptions> = {}): Engine {
  const catalog = tools instanceof ToolCatalog ? tools : catalogOf(tools);
  const engine = createEngine({ catalog, threads: 2, ...options });
  open.add(engine);
  return engine;
}

export function catalogOf(tools: ToolDefinition[]): ToolCatalog {
  const catalog = new ToolCatalog();
  for (const tool of tools) catalog.register(tool);
  return catalog;
}

/** A promise opened from outside; `wait` gives up after `ms` so a broken build fails, not hangs. */
export function createGate(): { open: () => void; wait: (ms?: number) => Promise<boolean>; readonly isOpen: boolean } {
  let release!: () => void;
  let isOpen = false;
  const opened = new Promise<void>((resolve) => (release = resolve));
  return {
    open() {
      isOpen = true;
      release();
    },
    async wait(ms = 10_000) {
      let timer: NodeJS.Timeout | undefined;
      const timedOut = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
      const result = await Promise.race([opened.then(() => true), timedOut]);
      clearTimeout(timer);
      return result;
    },
    get isOpen() {
      return isOpen;
    },
  };
}

/** Resolves with the rejection of `promise`; fails the test if it fulfils. */
export async function rejectionOf(promise: Promise<unknown>): Promise<any> {
  try {
    const value = await promise;
    throw new Error(`expected a rejection, got ${JSON.stringify(value)}`);
  } catch (error) {
    return error;
  }
}

/** The pool processes forked by this test process (vitest runs each file in its own process or thread). */
export const poolProcesses: () => number[] = poolProcessPids;

/** CPU clock ticks each thread of process `pid` has used so far (Linux /proc). */
function threadTicks(pid: number): Map<string, number> {
  const ticks = new Map<string, number>();
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      // Fields after the parenthesised name: utime and stime are the 12th and 13th.
      const fields = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8').split(') ')[1]!.split(' ');
      ticks.set(tid, Number(fields[11]) + Number(fields[12]));
    } catch {
      // The thread ended between the listing and the read.
    }
  }
  return ticks;
}

/**
 * Resolves once a thread of the pool process spins: it used most of the CPU in each of two
 * polls in a row (a script running code, not the process starting up).
 */
export async function untilAThreadSpins(): Promise<number> {
  let previous = new Map<string, number>();
  let streak = new Map<string, number>();
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    const [pid] = poolProcesses();
    if (pid === undefined) continue;
    const current = threadTicks(pid);
    const next = new Map<string, number>();
    // 50 ms at 100 ticks per second is 5 ticks; 3 or more is a thread on a CPU.
    for (const [tid, used] of current) if (used - (previous.get(tid) ?? used) >= 3) next.set(tid, (streak.get(tid) ?? 0) + 1);
    if ([...next.values()].some((polls) => polls >= 2)) return pid;
    previous = current;
    streak = next;
  }
}
