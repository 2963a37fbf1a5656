// Owns one tool call on the host from the moment it is routed to its one answer: the result's
// JSON data boundary, size bound and output check, the journal and observer bookkeeping, and
// the reply to the thread. One object per call, no closures or promises of its own (issue 13,
// W2). Never counts or replies for a run other than the one that asked.

import { performance } from 'node:perf_hooks';
import type { SchemaCheck } from '../catalog/index.js';
import { PayloadTooLargeError, ToolApprovalError, ToolOutputError } from '../errors.js';
import { toJsonTextAndCopy, truncate } from '../json-data.js';
import type { CallReply, CallRequest } from '../protocol.js';
import type { CallObserver, CallSite, FailedCall } from './call-site.js';
import type { Answer, JournalEntry, JournalSink } from './journal.js';

const MAX_SCRIPT_MESSAGE_CHARS = 1_000;

/** What every call of one dispatcher shares. */
export interface CallConfig {
  /** Bound on one result's JSON text. */
  readonly maxResultChars: number;
}

function describeHostError(error: unknown): string {
  try {
    if (error instanceof Error) return error.message;
    return String(error);
  } catch {
    return 'unknown error';
  }
}

/**
 * One call being answered. The dispatcher makes it, sets its journal `entry`, `ticket` and
 * `checkOutput`, and hands it the handler's outcome (`settle`, `reject`, or `holdOutcome`
 * then `answerOutcome`); every path ends in exactly one `send`.
 */
export class ToolCall {
  /** The run that asked: counters, causes and replies belong to it. */
  readonly run: number;
  /** O(1) dependency level (README "Measured: traditional against programmatic"). */
  readonly level: number;
  /** The call's record in the replay journal, when it keeps one. */
  entry: JournalEntry | undefined = undefined;
  /** The call's record outside the engine (a queue job's), when it has one. */
  ticket: ReturnType<JournalSink['open']> | undefined = undefined;
  /** Answered from the journal: its handler is not called. */
  replayed = false;
  /** The tool's output check, once routing found one (and output checking is on). */
  checkOutput: SchemaCheck | undefined = undefined;
  readonly #startedAt: number;
  readonly #calledAt: number;
  /** A synchronous handler's value or exception, held until the end of the turn. */
  #outcome: unknown = undefined;
  #threw = false;

  constructor(
    readonly config: CallConfig,
    readonly request: CallRequest,
    readonly site: CallSite,
    readonly calledAs: string,
    readonly callIndex: number,
    readonly reply: (reply: CallReply) => void,
    readonly observer: CallObserver | undefined,
  ) {
    this.run = site.run;
    // Calls answered before this one arrived may have fed it; calls still in flight cannot have.
    const level = site.settledLevel + 1;
    if (level > site.levels) site.levels = level;
    this.level = level;
    this.#startedAt = observer?.started(site, request.tool, callIndex, request.argsJson) ?? 0;
    // Only engine.report() keeps a call log, and only it reads the time.
    this.#calledAt = site.callLog === undefined ? 0 : performance.now();
  }

  /** Hands `answer` to the journal, the record, the observer and, if its run is current, the thread. */
  send(answer: Answer): void {
    const { site, request } = this;
    if (this.entry !== undefined) site.journal!.settle(this.entry, answer);
    this.ticket?.settle(answer);
    this.observer?.ended(site, request.tool, this.callIndex, this.run, this.#startedAt, this.replayed, answer);
    // A dead run's late answer is only recorded, never counted against its re-run nor sent
    // (its call ids restart).
    if (site.run !== this.run) return;
    if (this.level > site.settledLevel) site.settledLevel = this.level;
    site.callLog?.push({ tool: this.calledAs, level: this.level, ok: answer.ok, text: answer.ok ? (answer.resultJson ?? '') : answer.message, ms: performance.now() - this.#calledAt });
    if (answer.ok) site.bytesFromTools += answer.bytes;
    // A replayed failure is numbered as this run's call.
    else if (answer.failed !== undefined) site.failedCalls.set(request.callId, { ...answer.failed, callIndex: this.callIndex });
    const settled: CallReply = answer.ok ? { executionId: request.executionId, callId: request.callId, ok: true, resultJson: answer.resultJson } : { executionId: request.executionId, callId: request.callId, ok: false, message: answer.message };
    // After an approval paused the time limit, the worker learns the moved deadline.
    const deadlineAt = site.takeDeadlineUpdate();
    if (deadlineAt !== undefined) settled.deadlineAt = deadlineAt;
    this.reply(settled);
  }

  /** Answers with a bounded message; `failed` keeps the host error as the cause. */
  refuse(message: string, failed?: FailedCall): void {
    this.send({ ok: false, message: truncate(message, MAX_SCRIPT_MESSAGE_CHARS), failed });
  }

  fail(error: unknown, message: string): void {
    this.refuse(message, { tool: this.calledAs, callIndex: this.callIndex, error });
  }

  holdOutcome(outcome: unknown, threw: boolean): void {
    this.#outcome = outcome;
    this.#threw = threw;
  }

  /** Answers with what `holdOutcome` held. Never throws. */
  answerOutcome(): void {
    const outcome = this.#outcome;
    this.#outcome = undefined;
    if (this.#threw) this.reject(outcome);
    else this.settle(outcome);
  }

  /** The handler returned `result` (or its promise fulfilled with it). Never throws. */
  settle(result: unknown): void {
    try {
      this.#answer(result);
    } catch (error) {
      // Checking an unusual result (nested too deep, say) must fail the call, not escape.
      try {
        this.fail(error, `${this.calledAs} returned a result that could not be checked`);
      } catch {
        // As in `reject`: never an unhandled rejection nor an exception in a microtask.
      }
    }
  }

  /** The handler (or its approval) threw or rejected with `error`. Never throws. */
  reject(error: unknown): void {
    try {
      this.fail(error, error instanceof ToolApprovalError ? error.message : `${this.calledAs} failed: ${describeHostError(error)}`);
    } catch {
      // SECURITY: "A script cannot kill its thread or the host": nothing above throws today;
      // if it ever did, it must not escape into a microtask (an unhandled rejection).
    }
  }

  #answer(result: unknown): void {
    const { calledAs } = this;
    const { maxResultChars } = this.config;
    // SECURITY: "No script can make the host allocate without bound": a result past
    // maxResultChars is refused, and serializing it stops at the bound.
    const { json, copy } = toJsonTextAndCopy(result, 'lenient', 'result', maxResultChars);
    if (!json.ok && json.tooLarge !== undefined) {
      const error = new PayloadTooLargeError('result', json.tooLarge, `${calledAs} returned a result larger than ${json.tooLarge} characters of JSON`);
      return this.fail(error, error.message);
    }
    if (!json.ok) {
      const message = `${calledAs} returned data that cannot be sent to the script: ${json.reason} (at ${json.path})`;
      return this.fail(new TypeError(message), message);
    }
    const checkOutput = this.checkOutput;
    if (checkOutput !== undefined) {
      // The fast path's copy is what parsing the text would make, already made and private
      // to this check (which fills schema defaults into it; the script gets the text).
      const outputCheck = checkOutput(copy !== undefined ? copy.value : json.text === undefined ? undefined : JSON.parse(json.text));
      if (!outputCheck.ok) {
        const error = new ToolOutputError(calledAs, outputCheck.issues);
        return this.fail(error, error.message);
      }
    }
    this.send({ ok: true, resultJson: json.text, bytes: json.text === undefined ? 0 : Buffer.byteLength(json.text) });
  }
}
