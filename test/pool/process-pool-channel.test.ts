// The data channel between the host and a pool process (fd 4, frames.ts), end to end with
// processes: frames cut anywhere arrive whole; a pool process that breaks the framing is
// killed and its tasks lost, after what it framed properly was heard; one that dies mid-frame
// is a death like any other; the real pool process ends itself on a host frame over its cap.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { TaskLostError, type PoolEvent } from '../../dist/pool/types.js';
import { rejectionOf } from '../helpers.js';
import { poolWith, STAND_IN_CHANNEL, STDIO, taskFor, until } from './process-pool-harness.js';

const POOL_PROCESS = fileURLToPath(new URL('../../dist/pool/pool-process.js', import.meta.url));

/** A stand-in pool process that is ready at once and answers each run with `answer` (JS, `slot` in scope). */
const standIn = (answer: string) => () =>
  spawn(process.execPath, ['-e', `${STAND_IN_CHANNEL}
send([{ type: 'ready' }]);
process.on('disconnect', () => process.exit(0));
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
onMessages(async (batch) => {
  for (const message of batch) {
    if (message.type === 'destroy') process.exit(0);
    if (message.type === 'run') { const slot = message.task.slot; ${answer} }
  }
});`], { stdio: STDIO });

const settled = (slot: number, value: string) => ({ type: 'settled', slot, outcome: { ok: true, valueJson: value, output: [`é "${slot}" \u2028`], outputTruncated: false } });
const settledJs = (value: string, slot = 'slot') => `frame(1, 0, JSON.stringify([{ type: 'settled', slot: ${slot}, outcome: { ok: true, valueJson: ${JSON.stringify(value)}, output: ['é "' + ${slot} + '" \\u2028'], outputTruncated: false } }]))`;

describe('the pool process data channel', () => {
  it('hears a frame written in pieces, cut inside its header and inside a multi-byte character', async () => {
    const value = JSON.stringify({ text: 'ü'.repeat(70_000) });
    // Made in the stand-in: an argument of 140 kB is more than one argv string may hold.
    const pool = poolWith(standIn(`
      const value = JSON.stringify({ text: 'ü'.repeat(70_000) });
      const bytes = ${settledJs('VALUE').replace('"VALUE"', 'value')};
      const cuts = [0, 4, bytes.indexOf(Buffer.from('ü')) + 1, 65_536 + 3, bytes.length];
      for (let i = 1; i < cuts.length; i++) { channel.write(bytes.subarray(cuts[i - 1], cuts[i])); await sleep(20); }
    `));
    await until(() => !pool.placementPaused);
    expect(await pool.run(taskFor(1))).toEqual(settled(1, value).outcome);
  });

  it.each([
    ['a header over the cap', `Buffer.from([0xf0, 0xff, 0xff, 0xff, 1, 0, 0, 0, 0])`],
    ['a frame kind only the host sends', `frame(2, 1, '"tw"\\n[]')`],
    ['a message frame that is not JSON', `frame(1, 0, '[{"type":')`],
  ])('kills a pool process that sends %s, after hearing what it framed before', async (_label, bad) => {
    const events: PoolEvent[] = [];
    const pool = poolWith(standIn(`if (slot === 2) channel.write(Buffer.concat([${settledJs('1', '1')}, ${bad}, ${settledJs('2', '2')}]));`), (event) => events.push(event));
    await until(() => !pool.placementPaused);
    const first = pool.run(taskFor(1));
    const second = pool.run(taskFor(2));
    // Slot 2's answer holds slot 1's outcome, then the fault, then slot 2's outcome: never read.
    expect(await first).toEqual(settled(1, '1').outcome);
    const error = await rejectionOf(second);
    expect(error).toBeInstanceOf(TaskLostError);
    expect(error.loss).toMatchObject({ reason: 'process-ended', running: 'no' });
    expect(events).toContainEqual(expect.objectContaining({ type: 'process-died', cause: 'signal', signal: 'SIGKILL' }));
  });

  it('treats a pool process that dies in the middle of a frame as a death: the half frame is never heard', async () => {
    const events: PoolEvent[] = [];
    const pool = poolWith(standIn(`const bytes = ${settledJs('1')}; channel.write(bytes.subarray(0, bytes.length - 5), () => process.exit(3));`), (event) => events.push(event));
    await until(() => !pool.placementPaused);
    const error = await rejectionOf(pool.run(taskFor(1)));
    expect(error).toBeInstanceOf(TaskLostError);
    expect(error.loss).toMatchObject({ reason: 'process-ended', running: 'no' });
    expect(events).toContainEqual(expect.objectContaining({ type: 'process-died', cause: 'exit-code', exitCode: 3 }));
    // Supervision goes on: a fresh stand-in replaces it.
    await until(() => events.some((event) => event.type === 'process-started' && event.replacing));
  });

  it('the real pool process ends itself on a host frame over its cap, without reading further', async () => {
    const child = spawn(process.execPath, [POOL_PROCESS, JSON.stringify({ threads: 1, scriptsPerThread: 1 })], { stdio: STDIO });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    const header = Buffer.alloc(9);
    header.writeUInt32LE(0xffff_fff0, 0);
    header.writeUInt8(1, 4);
    (child.stdio[4] as NodeJS.WritableStream).write(header);
    expect(await exited).toBe(70);
  });
});
