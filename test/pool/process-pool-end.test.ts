// The end of a pool process: its death is seen on 'close', once stderr is complete, and
// the host stays alive to see it while a task waits; an idle host whose pool process cannot
// start exits on its own. Stand-in children through the fork seam; hosts run in subprocesses.
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { TaskLostError } from '../../dist/pool/types.js';
import { rejectionOf } from '../helpers.js';
import { DIST_POOL, poolWith, runHost, STAND_IN_CHANNEL, STDIO, taskFor, until } from './process-pool-harness.js';

/**
 * A stand-in pool process: ready at once; given a run, it exits, leaving V8's out-of-memory
 * text to a process that shares its stderr and writes it a moment later: the text arrives
 * after 'exit' (as stderr data may), and before 'close'.
 */
const OUT_OF_MEMORY_PROGRAM = `${STAND_IN_CHANNEL}
send([{ type: 'ready' }]);
process.on('disconnect', () => process.exit(0));
onMessages((batch) => {
  for (const message of batch) {
    if (message.type === 'destroy') process.exit(0);
    if (message.type !== 'run') continue;
    const late = 'setTimeout(() => process.stderr.write("FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory"), 300)';
    require('node:child_process').spawn(process.execPath, ['-e', late], { stdio: ['ignore', 'ignore', 'inherit'] });
    process.exit(134);
  }
});
`;

describe('the end of a pool process', () => {
  it('reads the whole stderr of a pool process that ran out of memory before blaming its death', async () => {
    const pool = poolWith(() => spawn(process.execPath, ['-e', OUT_OF_MEMORY_PROGRAM], { stdio: STDIO }));
    await until(() => !pool.placementPaused);
    const error = await rejectionOf(pool.run(taskFor(1)));
    expect(error).toBeInstanceOf(TaskLostError);
    expect(error.loss.reason).toBe('out-of-memory');
  });
});

// A host whose pool process can never start, left idle (or destroyed during the first wait).
const IDLE_HOST_PROGRAM = `
const { createProcessPool } = await import(${JSON.stringify(DIST_POOL)});
let forks = 0;
const fork = () => { forks++; throw new Error('spawn EAGAIN'); };
const pool = createProcessPool({ threads: 1, scriptsPerThread: 1 }, () => {}, fork);
process.on('exit', () => console.log(JSON.stringify({ forks, placementPaused: pool.placementPaused })));
if (process.argv[1] === 'destroy') await pool.destroy();
`;

// A host whose only pending work is one task on a pool process that dies (the stand-in above).
const WAITING_HOST_PROGRAM = `
import { spawn } from 'node:child_process';
const { createProcessPool } = await import(${JSON.stringify(DIST_POOL)});
const fork = () => spawn(process.execPath, ['-e', ${JSON.stringify(OUT_OF_MEMORY_PROGRAM)}], { stdio: ['ignore', 'ignore', 'pipe', 'ipc', 'pipe'] });
const pool = createProcessPool({ threads: 1, scriptsPerThread: 1 }, () => {}, fork);
await new Promise((resolve) => pool.onPlacementResumed(resolve));
const task = { executionId: 'tw-host', slot: 1, code: '', contextJson: undefined, setup: '{}', deadlineAt: ((([s, ns]) => s * 1e3 + ns / 1e6)(process.hrtime())) + 1000, streamOutput: false };
const reason = await pool.run(task).then(() => 'settled', (error) => error.loss.reason);
await pool.destroy();
console.log(JSON.stringify({ reason }));
`;

describe('a host waiting only on the pool process', () => {
  it('stays alive until the death of the pool process under its task is seen, and gets the loss', async () => {
    const host = await runHost(WAITING_HOST_PROGRAM, '');
    expect(host).toMatchObject({ code: 0, killed: false });
    expect(JSON.parse(host.stdout).reason).toBe('out-of-memory');
  });
});

describe('claim: closing leaves nothing behind (a pool process that cannot start)', () => {
  // The first two waits hold queued scripts, so they keep the host alive as a starting child
  // does; from the third failed start on, retries are unref'd.
  it('keeps an idle host alive through the first two waits only, then lets it exit on its own while retries go on', async () => {
    const host = await runHost(IDLE_HOST_PROGRAM, 'idle');
    expect(host).toMatchObject({ code: 0, killed: false });
    expect(JSON.parse(host.stdout)).toEqual({ forks: 3, placementPaused: false });
  });

  it('starts nothing after destroy() during a backoff wait, and the host exits on its own', async () => {
    const host = await runHost(IDLE_HOST_PROGRAM, 'destroy');
    expect(host).toMatchObject({ code: 0, killed: false });
    expect(JSON.parse(host.stdout)).toEqual({ forks: 1, placementPaused: false });
  });
});
