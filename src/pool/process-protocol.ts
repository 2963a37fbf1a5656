// Owns the messages between the host and the pool process. Each side sends arrays of these
// (see outbox.ts) over the data channel, as frames (process-wire.ts); tool calls and replies
// ride in them as frames of call-frame.ts, strings the pool process relays unparsed. Plain
// data only: the other messages cross as JSON, so no undefined inside arrays. (The IPC
// channel's serialization "advanced" measured 2-3x cheaper for a quote-heavy 20 kB reply
// frame but about 2x dearer for a task message; replies now cross as raw bytes instead.)

import type { MainMessage, RunOutcome, RunTask, WorkerMessage } from '../protocol.js';
import type { PoolEvent, StuckThread, TaskLoss } from './types.js';

/** Host -> pool process. */
export type HostMessage =
  /** A task setup's text, sent once before the first run that names it (setup-table.ts). */
  | { type: 'setup'; key: number; text: string }
  /** A task without its setup text, which `setupKey` names. */
  | { type: 'run'; task: Omit<RunTask, 'setup'>; setupKey: number }
  /** To one thread's port, or to every thread when `threadId` is undefined. */
  | { type: 'post'; threadId: number | undefined; message: MainMessage }
  | { type: 'probe'; id: number; windowMs: number }
  | { type: 'terminate'; id: number; threadId: number }
  | { type: 'destroy' };

/** Pool process -> host. */
export type ChildMessage =
  | { type: 'ready' }
  | { type: 'settled'; slot: number; outcome: RunOutcome }
  | { type: 'lost'; slot: number; loss: TaskLoss }
  /** A worker's port message (tool calls, output lines), from thread `threadId`. */
  | { type: 'worker'; threadId: number; message: WorkerMessage }
  | { type: 'probed'; id: number; stuck: StuckThread[] }
  /**
   * Whether the pool process's own placement is paused (every thread missed a ping). Sent
   * before the 'probed' that caused it, and again whenever its placement resumes.
   */
  | { type: 'paused'; paused: boolean }
  | { type: 'terminated'; id: number }
  /**
   * Slots of the scripts that have held a thread's CPU since the previous sample: if the
   * process dies now, these were running.
   */
  | { type: 'busy'; slots: number[] }
  /** A lifecycle event of the threads (thread replaced), for the engine's events. */
  | { type: 'pool-event'; event: PoolEvent };

/**
 * Whether the pool process sends `message` at the end of its turn rather than of the loop
 * iteration (outbox.ts). Tool calls, output lines and outcomes of every thread wait for the
 * iteration's end and go together: each thread's outcome arrives in a port message of its
 * own, and one write per outcome was the largest item of this process's profile on trivial
 * scripts. A stopped script's outcome still arrives well within the host's wait for it
 * (scheduler.ts, STOP_OUTPUT_WAIT_MS). The rest (a lost task, a pong, a probe's answer) is urgent.
 */
export function isUrgentChildMessage(message: ChildMessage): boolean {
  if (message.type === 'settled') return false;
  return message.type !== 'worker' || message.message.type === 'pong';
}
