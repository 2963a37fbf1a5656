import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { MemoryLimitError, ScriptError, WorkerCrashedError } from 'toolweaver';
import { checkHostHealthAfterEach, createGate, engineFor, poolProcesses, rejectionOf, untilAThreadSpins } from '../helpers.js';

checkHostHealthAfterEach();

const DIST = fileURLToPath(new URL('../../dist/index.js', import.meta.url));

// Single builtin calls that abort a whole Node process from a worker thread despite its heap
// limit (nodejs/node#47224): no checkpoint runs inside them, so the heap meter cannot stop
// them first. (Loops that would abort it are stopped at their checkpoints: memory.test.ts.)
// Lengths stay under the array-walk bound (2 ** 25): past it, the guarded builtins refuse
// the call before allocating anything (test/security/jams.test.ts).
const ALLOCATION_BOMBS = [
  ['new Array(3e7).fill(1.5)', 'new Array(3e7).fill(1.5);'],
  ['Array.from({ length: 3e7 }, () => 1.5)', 'Array.from({ length: 3e7 }, () => 1.5);'],
] as const;

describe('claim: an allocation that aborts a whole Node process cannot take the host down', () => {
  it.each(ALLOCATION_BOMBS)('fails %s with MemoryLimitError, re-runs its neighbours (replaying their tool calls), and keeps serving', async (_label, bomb) => {
    const entered = createGate();
    const release = createGate();
    let waits = 0;
    const engine = engineFor(
      [
        { name: 'wait_here', handler: async () => { waits++; entered.open(); await release.wait(); return 'late'; } },
        { name: 'echo', handler: ({ value }: { value: string }) => value },
      ],
      { threads: 1, memoryLimitMb: 64 },
    );
    const waiting = engine.execute('return await wait_here();');
    expect(await entered.wait()).toBe(true);
    const bomber = rejectionOf(engine.execute(bomb));
    const toolFree = engine.execute('return 6 * 7');
    const error = await bomber;
    release.open();
    expect(error).toBeInstanceOf(MemoryLimitError);
    expect(error.code).toBe('ERR_MEMORY_LIMIT');
    // A neighbour that had called a tool is re-run, and gets that call's answer from the
    // journal: the handler ran once. A tool-free one is re-run.
    const neighbour = await waiting;
    expect(neighbour.value).toBe('late');
    expect(neighbour.metadata.reruns).toBe(1);
    expect(waits).toBe(1);
    expect((await toolFree).value).toBe(42);
    expect((await engine.execute('return await echo({ value: "still serving" })')).value).toBe('still serving');
  });

  it('fails plain string doubling with the RangeError V8 throws at the longest string', async () => {
    const engine = engineFor([], { threads: 1, memoryLimitMb: 64 });
    const error = await rejectionOf(engine.execute('let s = "x"; for (;;) s = s + s;'));
    expect(error).toBeInstanceOf(ScriptError);
    expect(error.errorName).toBe('RangeError');
    expect((await engine.execute('return "still serving"')).value).toBe('still serving');
  });

  it('runs the pool in a child process by default, and replaces it when it dies', async () => {
    const engine = engineFor([{ name: 'echo', handler: ({ value }: { value: string }) => value }], { threads: 1 });
    expect((await engine.execute('return await echo({ value: "first" })')).value).toBe('first');
    const [first] = poolProcesses();
    expect(first).toBeGreaterThan(0);
    process.kill(first!, 'SIGKILL');
    expect((await engine.execute('return await echo({ value: "second" })')).value).toBe('second');
    expect(poolProcesses()).not.toContain(first);
  });

  it('starts the pool process with its own flags: NODE_OPTIONS of the host is not inherited', async () => {
    // A flag the child could not start with: inherited, every start would fail.
    const saved = process.env.NODE_OPTIONS;
    process.env.NODE_OPTIONS = '--require=/nonexistent/toolweaver-inherited-flag.cjs';
    try {
      const engine = engineFor([], { threads: 1 });
      expect((await engine.execute('return "own flags"')).value).toBe('own flags');
    } finally {
      if (saved === undefined) delete process.env.NODE_OPTIONS;
      else process.env.NODE_OPTIONS = saved;
    }
  });

  it('re-runs a script that held a CPU when the pool process was killed once, and blames it at a second death', async () => {
    // Two threads: the other one answers while the spinner holds its own.
    const engine = engineFor([], { threads: 2 });
    await engine.execute('return 0');
    // Tool-free, so only the busy samples decide: re-run once, then WorkerCrashedError.
    const spinner = rejectionOf(engine.execute('const end = Date.now() + 3000; while (Date.now() < end) {} return "re-run twice"'));
    // Killed only once it runs: the pool process has sampled it as busy by then (every 10 ms).
    process.kill(await untilAThreadSpins(), 'SIGKILL');
    // The restarted pool answers first (its start-up is no spin), then the re-run spins.
    expect((await engine.execute('return "restarted"')).value).toBe('restarted');
    process.kill(await untilAThreadSpins(), 'SIGKILL');
    const error = await spinner;
    expect(error).toBeInstanceOf(WorkerCrashedError);
    expect(error.sideEffectsPossible).toBe(false);
    expect((await engine.execute('return "after"')).value).toBe('after');
  });

  it('does not blame a long tool-free script that held the other CPU while a bomb aborted the pool process', async () => {
    const engine = engineFor([], { threads: 2, memoryLimitMb: 64 });
    await engine.execute('return 0');
    const [first] = poolProcesses();
    // Busy at the bomb's death, and again at a second death if the two were re-run together.
    const innocent = engine.execute('const end = Date.now() + 3000; while (Date.now() < end) {} return "innocent"');
    await untilAThreadSpins();
    const bomber = rejectionOf(engine.execute(ALLOCATION_BOMBS[0][1]));
    expect((await innocent).value).toBe('innocent');
    expect(await bomber).toBeInstanceOf(MemoryLimitError);
    expect(poolProcesses()).not.toContain(first);
  });
});

// What `isolation: 'in-process'` gives up, shown in a subprocess so the runner survives.
const IN_PROCESS_PROGRAM = `
const { createEngine, ToolCatalog } = await import(${JSON.stringify(DIST)});
const engine = createEngine({ catalog: new ToolCatalog(), threads: 1, memoryLimitMb: 64, isolation: process.argv[1] });
const outcome = await engine.execute('const m = new Map(); for (let i = 0; ; i++) m.set(i, i);').then(() => 'ok', (error) => error.code);
await engine.close();
console.log(outcome);
`;

describe('non-claim: with isolation "in-process", such an allocation aborts the host', () => {
  const runHost = (isolation: string) =>
    new Promise<{ signal: string | null; stdout: string }>((resolve) => {
      const child = execFile(process.execPath, ['--input-type=module', '-e', IN_PROCESS_PROGRAM, isolation], { timeout: 60_000 }, (_error, stdout) => {
        resolve({ signal: child.signalCode, stdout: stdout.trim() });
      });
    });

  it('aborts a host running the pool in-process, and not one running it in a child process', async () => {
    const [inProcess, isolated] = await Promise.all([runHost('in-process'), runHost('process')]);
    expect(inProcess.signal).toBe('SIGABRT');
    expect(isolated).toEqual({ signal: null, stdout: 'ERR_MEMORY_LIMIT' });
  });
});
