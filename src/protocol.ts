// Owns every message between the main thread and a pool worker: the piscina task and its
// result, and the messages on each worker's persistent MessagePort. Shared by both sides, so
// it holds types, type guards and constants only. Everything here is structured-clone safe.

import type { ErrorRecord } from './errors.js';

/** How a script may call one tool; the worker builds one function per entry. */
export interface ToolBinding {
  /** The registered name, which the worker sends back with each call. */
  name: string;
  /** Where the script finds it: one identifier, or a namespace path (`github.list_pull_requests`). */
  path: readonly string[];
}

/** Caps the worker enforces while a script runs. */
export interface ScriptLimits {
  /** Output lines kept per execution. */
  maxOutputLines: number;
  /** Output characters kept per execution (sum of line lengths). */
  maxOutputChars: number;
  /** Characters of JSON of one call's arguments. */
  maxArgumentChars: number;
  /** Characters of JSON of all tool arguments of one execution. */
  maxArgumentCharsPerExecution: number;
  /** Characters of JSON of the returned value. */
  maxValueChars: number;
  /** Tool calls per execution; the worker posts at most one more, which the host refuses. */
  maxToolCalls: number;
  /** Heap a run may grow its thread's heap by (`memoryLimitMb`), judged at its checkpoints. */
  memoryLimitMb: number;
}

/** What every task of one engine and catalog version shares. */
export interface TaskSetup {
  tools: readonly ToolBinding[];
  limits: ScriptLimits;
}

/** The piscina task: one script to run. */
export interface RunTask {
  executionId: string;
  /** Small positive integer naming the execution in the thread's culprit slot. */
  slot: number;
  /** Validated, normalized code, wrapped so top-level `await` and `return` work. */
  code: string;
  /** JSON text of the `context` object, or undefined for none. */
  contextJson: string | undefined;
  /**
   * JSON text of the task's {@link TaskSetup}: one string per engine and catalog version, so
   * a task carries a string (one copy) instead of a tree of tool bindings (measured: the
   * bindings were three quarters of a trivial task's cost to clone), and each thread parses
   * each distinct text once (worker/setup-cache.ts).
   */
  setup: string;
  /**
   * When the run is out of time, on the shared monotonic clock (`sharedNowMs`), set when the
   * host places the task. Absolute, so time a task spends queued behind a spinning script on
   * its thread counts against it, as it does on the host's timer.
   */
  deadlineAt: number;
  /** Post output lines on the port as they are printed (for `executeStreaming`). */
  streamOutput: boolean;
}

/** The piscina task result. Plain data only: a non-cloneable result would kill the thread. */
export type RunOutcome =
  | { ok: true; valueJson: string | undefined; output: string[]; outputTruncated: boolean }
  | { ok: false; error: ErrorRecord; output: string[]; outputTruncated: boolean };

/** One tool call, worker -> main. `argsJson` is JSON text of the arguments array. */
export interface CallRequest {
  executionId: string;
  /** The run's slot: a call from an earlier run of a re-run execution is refused. */
  slot: number;
  callId: number;
  tool: string;
  argsJson: string;
}

/** One tool call's answer, main -> worker: JSON text of the result, or a bounded message. */
export type CallReply = (
  | { executionId: string; callId: number; ok: true; resultJson: string | undefined }
  | { executionId: string; callId: number; ok: false; message: string }
) & {
  /**
   * The run's new deadline (shared clock, see shared-clock.ts), sent with the first reply
   * after its time limit was paused for an approval and moved by the time the pause took.
   */
  deadlineAt?: number;
};

/**
 * Messages a worker posts on its port. Calls made in one turn travel in one message, as one
 * JSON text (`encodeCalls`, call-frame.ts): the pool process relays it without parsing it.
 */
export type WorkerMessage =
  | { type: 'calls'; frame: string }
  | { type: 'output'; executionId: string; slot: number; lines: string[] }
  | { type: 'pong'; threadId: number; seq: number };

/** Messages the main side posts on a worker's port. Replies are coalesced into one `encodeReplies` frame. */
export type MainMessage =
  | { type: 'replies'; frame: string }
  | { type: 'cancel'; executionId: string; reason: 'timeout' | 'aborted' | 'ended' }
  | { type: 'ping'; seq: number };

/** Sent once by each worker on piscina's parentPort, carrying its end of the persistent port. */
export interface HelloMessage {
  type: typeof HELLO_TYPE;
  threadId: number;
  port: MessagePort;
  /**
   * One Int32 the worker keeps set to the `slot` of the script it is running, and to 0
   * while it waits for work. When the thread stops answering, the main side reads it to
   * know exactly which script is spinning.
   */
  culprit: SharedArrayBuffer;
}

export const HELLO_TYPE = 'toolweaver:hello';

type MessagePort = import('node:worker_threads').MessagePort;

export function isHelloMessage(message: unknown): message is HelloMessage {
  return typeof message === 'object' && message !== null && (message as { type?: unknown }).type === HELLO_TYPE;
}
