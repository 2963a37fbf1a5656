// Owns the dispatcher's view of one execution: the budget and counters a tool call updates,
// and the host errors kept as causes. Types only.

import type { ToolContext, ToolHandler } from '../catalog/index.js';
import type { ApprovalOutcome } from '../errors.js';
import type { ApprovalHandler } from './approval.js';
import type { Answer, Journal } from './journal.js';

/** A failed call's host error, kept on the main side as the `cause` of a ToolCallError. */
export interface FailedCall {
  tool: string;
  callIndex: number;
  error: unknown;
}

/** One answered call, kept only when the execution records calls (`engine.report`). */
export interface CallRecord {
  /** The name the script called. */
  tool: string;
  /** Dependency level: 1 + the highest level among calls answered before this one arrived. */
  level: number;
  ok: boolean;
  /** The result's JSON text ('' for undefined), or the refusal message the script saw. */
  text: string;
  /** Milliseconds from the call reaching the dispatcher to its answer (limits and handler). */
  ms: number;
}

/** The call a handler is about to answer, as `runHandler` sees it. */
export interface HandlerCall {
  readonly executionId: string;
  /** The tool's registered name. */
  readonly toolName: string;
  /** 1-based index of the call within its execution's current run. */
  readonly callIndex: number;
  /** The run making the call (0, then one more per re-run). */
  readonly run: number;
}

/**
 * Sees each call start and end (events, spans). `watching` is read once per call; when it is
 * false the other two are not called, so an engine nobody observes pays one check per call.
 */
export interface CallObserver {
  readonly watching: boolean;
  /** Returns the start time, handed back to `ended`. */
  started(site: CallSite, toolName: string, callIndex: number, argsJson: string): number;
  /** A call that needed approval was decided (`approved`, or the ToolApprovalError's outcome), after `waitedMs`. */
  approval(site: CallSite, toolName: string, callIndex: number, outcome: 'approved' | ApprovalOutcome, waitedMs: number): void;
  /** Called once per `started` call, when the call's answer is ready (also for a lost run's late answer). */
  ended(site: CallSite, toolName: string, callIndex: number, run: number, startedAt: number, replayed: boolean, answer: Answer): void;
}

/** What the dispatcher reads and updates on the execution that made a call. */
export interface CallSite {
  readonly executionId: string;
  readonly maxToolCalls: number;
  /** Aborted when the execution ends for any reason; handed to handlers as `ctx.signal`. */
  readonly signal: AbortSignal;
  /** True once the execution has an outcome or is being stopped (exactly when `signal` is aborted); later calls are refused. */
  readonly ended: boolean;
  /** Counts runs: 0 for the first, one more each time the execution is re-run. */
  readonly run: number;
  /** Answers of the calls made so far, for a re-run; undefined when replay is off. */
  readonly journal: Journal | undefined;
  /** Calls of the current run. */
  toolCalls: number;
  readonly toolCallsByName: Record<string, number>;
  bytesFromTools: number;
  /** Highest dependency level among the answered calls of the current run (0 before any). */
  settledLevel: number;
  /** Highest dependency level among the calls of the current run: its sequential levels. */
  levels: number;
  /** Answered calls in answer order, when recording; undefined otherwise (the default). */
  readonly callLog: CallRecord[] | undefined;
  readonly failedCalls: Map<number, FailedCall>;
  /**
   * Stops the execution's time limit from counting (a call waits for approval) until the
   * returned function is called; pauses may overlap, and the clock runs again after the last.
   */
  pauseClock(): () => void;
  /** The run's deadline if it moved since the last reply (after a pause), once; else undefined. */
  takeDeadlineUpdate(): number | undefined;
  /** The caller's `hostContext` (any host value), handed to handlers as `ctx.hostContext`. */
  readonly hostContext: unknown;
  /** The execution's own `onApproval`: decides its calls in place of the engine's. */
  readonly onApproval: ApprovalHandler | undefined;
  /**
   * Calls `handler(input, context)` in the async context of the call that started the
   * execution (through the execution's handler hook, if one is installed, which it hands a
   * {@link HandlerCall}); returns or throws what the handler does.
   */
  runHandler(handler: ToolHandler, input: unknown, context: ToolContext): unknown;
  /** Called once when a call goes past `maxToolCalls`. */
  exceedToolCallLimit(): void;
  /** Called when a re-run's call cannot be matched to its lost run's (the call is refused); `detail` says why. */
  replayDiverged(detail: string): void;
}
