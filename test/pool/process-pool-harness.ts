// Shared by the process-pool tests: a pool created straight from dist (the pool forks the
// compiled pool-process.js, so these tests need the build) and destroyed after each test,
// a run task, a real-turn wait, and a host program run in a subprocess.
import { execFile, type ChildProcess } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { afterEach, vi } from 'vitest';
import { createProcessPool } from '../../dist/pool/process-pool.js';
import { sharedNowMs } from '../../dist/shared-clock.js';
import type { PoolEventHandler, ScriptPool, ScriptPoolOptions } from '../../dist/pool/types.js';
import type { RunTask } from '../../dist/protocol.js';

export const OPTIONS: ScriptPoolOptions = { threads: 1, scriptsPerThread: 1, memoryLimitMb: 64 };
export const STDIO: ['ignore', 'ignore', 'pipe', 'ipc', 'pipe'] = ['ignore', 'ignore', 'pipe', 'ipc', 'pipe'];
/**
 * Plain JS (CommonJS) for a stand-in pool process: the data channel on fd 4, spoken by hand
 * (a 9-byte header: u32 body length, u8 kind, u32 id; kind 1 is a JSON array of messages), so
 * these tests also pin the wire format. `send(messages)`, `onMessages(handler)`, `channel`.
 */
export const STAND_IN_CHANNEL = `
const channel = new (require('node:net').Socket)({ fd: 4, readable: true, writable: true });
const frame = (kind, id, text) => {
  const body = Buffer.from(text, 'utf8');
  const header = Buffer.alloc(9);
  header.writeUInt32LE(body.length, 0);
  header.writeUInt8(kind, 4);
  header.writeUInt32LE(id, 5);
  return Buffer.concat([header, body]);
};
const send = (messages) => channel.write(frame(1, 0, JSON.stringify(messages)));
let pending = Buffer.alloc(0);
const onMessages = (handler) => channel.on('data', (chunk) => {
  pending = Buffer.concat([pending, chunk]);
  while (pending.length >= 9 && pending.length >= 9 + pending.readUInt32LE(0)) {
    const length = pending.readUInt32LE(0);
    const kind = pending.readUInt8(4);
    const body = pending.subarray(9, 9 + length).toString('utf8');
    pending = pending.subarray(9 + length);
    if (kind === 1) handler(JSON.parse(body));
  }
});
channel.on('end', () => process.exit(0));
`;
export const DIST_POOL = fileURLToPath(new URL('../../dist/pool/process-pool.js', import.meta.url));
const LIMITS = { maxOutputLines: 100, maxOutputChars: 10_000, maxArgumentChars: 10_000, maxArgumentCharsPerExecution: 10_000, maxValueChars: 10_000, maxToolCalls: 10, memoryLimitMb: 64 };

let pools: ScriptPool[] = [];
afterEach(async () => {
  vi.useRealTimers();
  await Promise.all(pools.map((pool) => pool.destroy()));
  pools = [];
});

/** A process pool whose starts go through `fork` (the seam); destroyed after the test. */
export function poolWith(fork: (options: ScriptPoolOptions) => ChildProcess, onPoolEvent?: PoolEventHandler): ScriptPool {
  const pool = createProcessPool(OPTIONS, () => {}, fork, onPoolEvent);
  pools.push(pool);
  return pool;
}

/** A run task for `slot`; the default code returns 42. */
export function taskFor(slot: number, code = '(async () => 6 * 7)()'): RunTask {
  return { executionId: `tw-test-${slot}`, slot, code, contextJson: undefined, setup: JSON.stringify({ tools: [], limits: LIMITS }), deadlineAt: sharedNowMs() + 10_000, streamOutput: false };
}

/** Waits, a real turn at a time, until `condition` holds; throws after 10 s so a broken build fails, not hangs. */
export async function until(condition: () => boolean): Promise<void> {
  const deadline = performance.now() + 10_000;
  while (!condition()) {
    if (performance.now() > deadline) throw new Error('condition not reached');
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/** Runs `program` as an ES module host with `mode` as its argument; killed after 15 s. */
export const runHost = (program: string, mode: string) =>
  new Promise<{ code: number | null; killed: boolean; stdout: string }>((resolve) => {
    const child = execFile(process.execPath, ['--input-type=module', '-e', program, mode], { timeout: 15_000 }, (error, stdout) => {
      resolve({ code: child.exitCode, killed: error?.killed === true || child.signalCode !== null, stdout: stdout.trim() });
    });
  });

