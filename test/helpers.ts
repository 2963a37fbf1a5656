// Shared test helpers: engines that are always closed, gates that make orderings
// deterministic without wall-clock windows, and the host-health check of the hostile suites.
import { readdirSync, readFileSync } from 'node:fs';
import { afterAll, afterEach, beforeEach, expect } from 'vitest';
import { createEngine, ToolCatalog, type Engine, type EngineOptions, type ToolDefinition } from 'toolweaver';
import { startLoopMonitor, type LoopDelays } from './event-loop-monitor.js';

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

/** What `run` throws; fails the test when it returns instead. */
export function thrownBy(run: () => unknown): any {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
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

/**
 * The pool processes forked by this test process (vitest runs each file in its own process or
 * thread), read from /proc. Not fixtures/chaos.mjs's `ps`: execFileSync held the host event
 * loop 40-170 ms per call on a loaded machine, and the host-health check measures that loop.
 */
export function poolProcesses(): number[] {
  const pids: number[] = [];
  const read = (path: string): string => {
    try {
      return readFileSync(path, 'utf8');
    } catch {
      return ''; // The thread or child ended between the listing and the read.
    }
  };
  for (const tid of readdirSync('/proc/self/task')) {
    for (const child of read(`/proc/self/task/${tid}/children`).split(' ').filter(Boolean)) {
      if (read(`/proc/${child}/cmdline`).includes('pool-process.js')) pids.push(Number(child));
    }
  }
  return pids;
}

/** Kills this test process's pool processes (SIGKILL); returns how many it killed. */
export function killPoolProcesses(): number {
  const pids = poolProcesses();
  for (const pid of pids) process.kill(pid, 'SIGKILL');
  return pids.length;
}

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
 * Resolves once a thread of the pool process spins: it used a good share of a CPU in each of
 * two polls in a row (a script running code, not the process starting up).
 */
export async function untilAThreadSpins(): Promise<number> {
  let previous = new Map<string, number>();
  let streak = new Map<string, number>();
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, 150));
    const [pid] = poolProcesses();
    if (pid === undefined) continue;
    const current = threadTicks(pid);
    const next = new Map<string, number>();
    // 150 ms at 100 ticks per second is 15 ticks; 3 or more is a thread running code, even on
    // a loaded machine where it gets a fifth of a CPU. (The polls were 50 ms apart while each
    // also waited on a `ps` child for 50-150 ms; /proc reads take well under a millisecond.)
    for (const [tid, used] of current) if (used - (previous.get(tid) ?? used) >= 3) next.set(tid, (streak.get(tid) ?? 0) + 1);
    if ([...next.values()].some((polls) => polls >= 2)) return pid;
    previous = current;
    streak = next;
  }
}

/** Longest the host may hold its event loop during a hostile test (issue 15). */
export const MAX_EVENT_LOOP_DELAY_MS = 100;

/**
 * Asserts host health around every test of the calling file: the host does not hold its
 * event loop for MAX_EVENT_LOOP_DELAY_MS or more while the test runs, and afterwards every
 * engine the test opened with engineFor and left open runs a trivial script correctly (a
 * fresh engine does when it left none open). The delay asserted is the loop's delay less the
 * time the thread waited for a CPU other processes held (test/event-loop-monitor.ts), so a
 * loaded machine cannot fail it and a host that blocks always does. Call it once at the top
 * level of a test file, after its imports: its afterEach then runs before the one above that
 * closes the engines. TOOLWEAVER_REPORT_DELAYS=1 prints each test's delays.
 */
export function checkHostHealthAfterEach(): void {
  let monitor: ReturnType<typeof startLoopMonitor> | undefined;
  const worst = { maxDelayMs: 0, maxHostDelayMs: 0 };
  beforeEach(() => {
    monitor = startLoopMonitor();
  });
  afterEach(async (context) => {
    const delays = monitor!.stop();
    worst.maxDelayMs = Math.max(worst.maxDelayMs, delays.maxDelayMs);
    worst.maxHostDelayMs = Math.max(worst.maxHostDelayMs, delays.maxHostDelayMs);
    if (process.env.TOOLWEAVER_REPORT_DELAYS === '1') console.log(`[event-loop] ${formatDelays(delays)}: ${context.task.name}`);
    // Soft: a throw here would skip the afterEach above, leaving the test's engines open.
    await expectEnginesServe();
    expect.soft(delays.maxHostDelayMs, `host event loop held during "${context.task.name}" (${formatDelays(delays)})`).toBeLessThan(MAX_EVENT_LOOP_DELAY_MS);
  });
  afterAll(() => {
    if (process.env.TOOLWEAVER_REPORT_DELAYS === '1') console.log(`[event-loop] worst in file: ${formatDelays(worst)}`);
  });
}

function formatDelays(delays: Partial<LoopDelays>): string {
  const parts = [`delay ${delays.maxDelayMs!.toFixed(1)} ms`, `held by the host ${delays.maxHostDelayMs!.toFixed(1)} ms`];
  if (delays.worstRunQueueMs !== undefined) parts.push(`run-queue wait in the worst interval ${delays.worstRunQueueMs.toFixed(1)} ms`);
  if (delays.worstHeldAtMs !== undefined) parts.push(`longest hold began ${delays.worstHeldAtMs.toFixed(0)} ms into the test`);
  return parts.join(', ');
}

/** Every engine still open runs `return 1 + 1` to 2; with none open, a fresh engine does. */
async function expectEnginesServe(): Promise<void> {
  const serving = [...open].map((engine) =>
    engine.execute('return 1 + 1', { timeoutMs: 10_000 }).then(
      (result) => result.value,
      (error: { code?: string }) => (error.code === 'ERR_ENGINE_CLOSED' ? undefined : error),
    ),
  );
  const outcomes: unknown[] = (await Promise.all(serving)).filter((outcome) => outcome !== undefined);
  if (outcomes.length === 0) {
    outcomes.push(await engineFor([], { threads: 1 }).execute('return 1 + 1').then((result) => result.value, (error: unknown) => error));
  }
  expect.soft(outcomes, 'a trivial script after the test').toEqual(outcomes.map(() => 2));
}
