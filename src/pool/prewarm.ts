// Owns pool processes started ahead of an engine (`prewarmPool`): forked on request, never at
// import; held unref'd, so one never keeps the host alive and it exits with the host; adopted
// by the next process-isolation pool of the same shape, or ended by its handle's close().
// Keeps what the child says before adoption and hands it over. Never runs a script itself.

import type { ChildProcess } from 'node:child_process';
import type { Socket } from 'node:net';
import { openChildChannel, type ChildChannel } from './child-channel.js';
import type { ChildMessage } from './process-protocol.js';
import type { ScriptPoolOptions } from './types.js';

/** The end of the child's stderr kept, as process-pool.ts keeps it. */
const STDERR_TAIL_CHARS = 4_096;
/**
 * Batches kept before adoption. A healthy pool process sends one ('ready'); a child that
 * sends this many is failing in a loop (a thread that dies at boot, again and again) and is
 * ended rather than handed to an engine.
 */
const MAX_HELD_BATCHES = 64;

/** A prewarmed child handed to a pool: the process and what it said before. */
export interface AdoptedChild {
  process: ChildProcess;
  /** Its data channel, with whatever part of a frame it has read. */
  channel: ChildChannel;
  batches: ChildMessage[][];
  stderrTail: string;
}

interface Held extends AdoptedChild {
  key: string;
  adopted: boolean;
  exited: boolean;
  ended: Promise<void>;
  detach: () => void;
}

/** Prewarmed children not yet adopted, oldest first, by pool shape. */
const waiting = new Map<string, Held[]>();

function keyOf(options: ScriptPoolOptions): string {
  return JSON.stringify([options.threads, options.scriptsPerThread, options.memoryLimitMb]);
}

function release(held: Held): void {
  const list = waiting.get(held.key) ?? [];
  const index = list.indexOf(held);
  if (index !== -1) list.splice(index, 1);
  if (list.length === 0) waiting.delete(held.key);
}

/** The handle `prewarmPool` returns. */
export interface PrewarmedChild {
  readonly pid: number | undefined;
  readonly adopted: boolean;
  close(): Promise<void>;
}

/**
 * Forks a pool process for `options` with `fork` and holds it until a pool of that shape
 * adopts it. A fork that throws leaves nothing held: the engine then forks its own.
 */
export function holdPrewarmed(options: ScriptPoolOptions, fork: (options: ScriptPoolOptions) => ChildProcess): PrewarmedChild {
  let spawned: ChildProcess;
  try {
    spawned = fork(options);
  } catch {
    return { pid: undefined, adopted: false, close: () => Promise.resolve() };
  }
  let markEnded!: () => void;
  const ended = new Promise<void>((resolve) => (markEnded = resolve));
  const stderr = spawned.stderr as Socket | null;
  const channel = openChildChannel(spawned);
  const onMessage = (batch: ChildMessage[]): void => {
    held.batches.push(batch);
    if (held.batches.length > MAX_HELD_BATCHES) {
      release(held);
      spawned.kill('SIGKILL');
    }
  };
  const onData = (chunk: string): void => {
    held.stderrTail = (held.stderrTail + chunk).slice(-STDERR_TAIL_CHARS);
  };
  // A child that dies before adoption is never handed over; a spawn that failed reports only
  // 'error' (and, for EMFILE, nothing more).
  const onEnd = (): void => {
    held.exited = true;
    release(held);
    markEnded();
  };
  const onError = (): void => {
    if (spawned.pid === undefined) onEnd();
  };
  const held: Held = {
    process: spawned,
    channel,
    batches: [],
    stderrTail: '',
    key: keyOf(options),
    adopted: false,
    exited: false,
    ended,
    detach: () => {
      channel.listen(() => {});
      stderr?.off('data', onData);
      spawned.off('error', onError);
    },
  };
  stderr?.setEncoding('utf8');
  stderr?.on('data', onData);
  channel.listen(onMessage);
  spawned.on('close', onEnd);
  spawned.on('error', onError);
  // SECURITY: "Closing leaves nothing behind": a prewarmed process never keeps the host
  // alive; when the host exits, the channel closes and the pool process ends itself.
  const handles = [spawned, spawned.channel, stderr, channel.handle];
  for (const handle of handles) handle?.unref();
  const list = waiting.get(held.key) ?? [];
  list.push(held);
  waiting.set(held.key, list);
  return {
    pid: spawned.pid,
    get adopted() {
      return held.adopted;
    },
    close() {
      if (held.adopted) return Promise.resolve();
      release(held);
      if (held.exited) return held.ended;
      // Someone waits on its end now: the host stays up until it is gone. It has run no
      // script, so it is killed rather than asked to stop its threads.
      for (const handle of handles) handle?.ref();
      spawned.kill('SIGKILL');
      return held.ended;
    },
  };
}

/**
 * The oldest live prewarmed child of `options`' shape, now the caller's: its listeners are
 * removed (the caller attaches its own, then replays `batches`), and its handle's close()
 * leaves it alone. Undefined when none waits.
 */
export function adoptPrewarmed(options: ScriptPoolOptions): AdoptedChild | undefined {
  const list = waiting.get(keyOf(options));
  const held = list?.find((candidate) => !candidate.exited);
  if (held === undefined) return undefined;
  release(held);
  held.adopted = true;
  held.detach();
  // Its 'close' listener stays: it only marks the handle's state.
  return { process: held.process, channel: held.channel, batches: held.batches, stderrTail: held.stderrTail };
}
