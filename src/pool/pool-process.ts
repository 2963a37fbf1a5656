// Entry of the pool process, the child the host forks in `isolation: 'process'` mode. Runs
// the thread pool, relays its tasks, port messages, probes and terminations over the data
// channel (fd 4, frames: process-wire.ts), and samples which scripts hold a CPU, so the host can name the culprit if this
// process dies. Never dispatches a tool call: those go to the host.

import { Socket } from 'node:net';
import type { MainMessage } from '../protocol.js';
import { DATA_FD } from './child-channel.js';
import { createFrameReader, FrameError } from './frames.js';
import { createOutbox } from './outbox.js';
import { isUrgentChildMessage, type ChildMessage, type HostMessage } from './process-protocol.js';
import { decodeHostFrame, encodeChildBatch } from './process-wire.js';
import { createScriptPool, type ThreadPool } from './script-pool.js';
import { createSetupTable } from './setup-table.js';
import { lossOf, type ScriptPoolOptions } from './types.js';

/**
 * How often the busy threads are sampled. An allocation that aborts a process runs for
 * seconds (1.8-7.9 s measured for the four shapes), so it is seen many times before it ends.
 */
const SAMPLE_INTERVAL_MS = 10;
/** The exit code of a pool process whose channel broke the framing (a frame over the cap). */
const CHANNEL_FAULT_EXIT_CODE = 70;

if (process.send === undefined) throw new Error('the toolweaver pool process must be started by the host with an IPC channel and its data channel on fd 4');

const channel = new Socket({ fd: DATA_FD, readable: true, writable: true });
/** The host or this process broke the framing: nothing sane can follow, so the process ends. */
const fail = (error: unknown): never => {
  if (!(error instanceof FrameError)) throw error;
  process.exit(CHANNEL_FAULT_EXIT_CODE);
};
const outbox = createOutbox<ChildMessage>((batch) => {
  if (channel.destroyed || !channel.writable) return;
  let bytes: Buffer;
  try {
    bytes = encodeChildBatch(batch);
  } catch (error) {
    return fail(error);
  }
  channel.write(bytes);
}, isUrgentChildMessage);
const setups = createSetupTable();
const options = JSON.parse(process.argv[2] ?? '{}') as ScriptPoolOptions;
const pool = createScriptPool(options, (message, link) => outbox.push({ type: 'worker', threadId: link.threadId, message }), (event) => outbox.push({ type: 'pool-event', event }));

function post(threadId: number | undefined, message: MainMessage): void {
  if (threadId === undefined) pool.broadcast(message);
  else pool.send(threadId, message);
}

function run(message: Extract<HostMessage, { type: 'run' }>): void {
  const { slot } = message.task;
  const setup = setups.get(message.setupKey);
  // Only a host that broke the protocol sends a run before its setup.
  if (setup === undefined) return outbox.push({ type: 'lost', slot, loss: { reason: 'thread-ended', running: 'no', detail: 'the task named an unknown setup' } });
  pool.run({ ...message.task, setup }).then(
    (outcome) => outbox.push({ type: 'settled', slot, outcome }),
    (error: unknown) => outbox.push({ type: 'lost', slot, loss: lossOf(error) }),
  );
}

async function destroy(): Promise<void> {
  clearInterval(sampler);
  await pool.destroy();
  process.exit(0);
}

function handle(message: HostMessage): void {
  switch (message.type) {
    case 'setup':
      return setups.add(message.key, message.text);
    case 'run':
      return run(message);
    case 'post':
      return post(message.threadId, message.message);
    case 'probe':
      void pool.findUnresponsiveThreads(message.windowMs).then((stuck) => {
        // In the same batch, before the answer: the host must not place a script between the two.
        outbox.push({ type: 'paused', paused: pool.placementPaused });
        outbox.push({ type: 'probed', id: message.id, stuck });
      });
      return;
    case 'terminate':
      void pool.terminateThread(message.threadId).then(() => outbox.push({ type: 'terminated', id: message.id }));
      return;
    case 'destroy':
      void destroy();
      return;
  }
}

/**
 * A thread whose slot is the same non-zero value at two samples in a row has held its CPU
 * for a whole interval (the worker resets the slot to 0 between macrotasks).
 */
function createSampler(threadPool: ThreadPool): NodeJS.Timeout {
  let previous: number[] = [];
  let reported = '';
  const timer = setInterval(() => {
    const current = threadPool.runningSlots();
    const busy = current.filter((slot) => slot !== 0 && previous.includes(slot));
    previous = current;
    const key = busy.join(',');
    if (key === reported) return;
    reported = key;
    outbox.push({ type: 'busy', slots: busy });
  }, SAMPLE_INTERVAL_MS);
  timer.unref();
  return timer;
}

const sampler = createSampler(pool);
pool.onPlacementResumed(() => outbox.push({ type: 'paused', paused: pool.placementPaused }));
const reader = createFrameReader((kind, id, body) => {
  for (const message of decodeHostFrame(kind, id, body)) handle(message);
});
channel.on('data', (chunk: Buffer) => {
  try {
    reader.push(chunk);
  } catch (error) {
    fail(error);
  }
});
// SECURITY: "Closing leaves nothing behind", even when the host is not closed but killed:
// the host going away (even abruptly) closes both channels, and no pool process outlives it.
process.on('disconnect', () => process.exit(0));
channel.on('end', () => process.exit(0));
channel.on('error', () => process.exit(0));
outbox.push({ type: 'ready' });
