// Owns routing one tool call to its handler (or its stub): the per-execution budget, the
// per-tool concurrency limit (p-limit), argument mapping and checking, the JSON data boundary
// for results, and result checking. Host errors stay here as causes; the script only ever
// gets a bounded message, under the name it called.

import { performance } from 'node:perf_hooks';
import pLimit, { type LimitFunction } from 'p-limit';
import { checksOf, toNamedArguments, type RegisteredTool, type ToolCatalog } from '../catalog/index.js';
import { PayloadTooLargeError, ToolApprovalError, ToolInputError, ToolOutputError } from '../errors.js';
import { toJsonTextAndCopy, truncate } from '../json-data.js';
import type { CallReply, CallRequest } from '../protocol.js';
import { askApproval, mayNeedApproval, needsApproval, noHandlerReason, type ApprovalHandler } from './approval.js';
import type { CallObserver, CallSite, FailedCall } from './call-site.js';
import type { Answer, JournalEntry, JournalSink } from './journal.js';
import { createStubber, type StubOptions } from './stubber.js';

const MAX_SCRIPT_MESSAGE_CHARS = 1_000;

/** How calls are checked and answered. */
export interface DispatcherOptions {
  /** Check handler results against output schemas. */
  validateOutput: boolean;
  /** Bound on one result's JSON text. */
  maxResultChars: number;
  /** Bound on one call's arguments (the worker enforces it first; checked again here). */
  maxArgumentChars: number;
  stubs: StubOptions;
  /** Decides calls of tools marked `needsApproval` when their execution has no `onApproval`; undefined denies them. */
  onApproval?: ApprovalHandler | undefined;
  /** The engine's `onApproval` is `'per-execution'`: a denial for want of a handler says so. */
  approvalsPerExecution?: boolean | undefined;
  /** How long one approval may take before the call is denied. */
  approvalTimeoutMs: number;
  /** Sees each call start and end; checked once per call (`watching`). */
  observer?: CallObserver | undefined;
}

/** Routes tool calls of every execution of one engine. */
export interface Dispatcher {
  /** Handles one call; `reply` receives exactly one answer for it. */
  dispatch(call: CallRequest, site: CallSite | undefined, reply: (reply: CallReply) => void): void;
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
 * Creates the dispatcher. Each tool with a `concurrency` gets its own p-limit per engine;
 * the per-execution budget is a counter, never a shared limiter (style: no re-entered
 * p-limit, which can deadlock).
 */
export function createDispatcher(catalog: ToolCatalog, options: DispatcherOptions): Dispatcher {
  const limiters = new WeakMap<RegisteredTool, LimitFunction>();
  const stubber = createStubber(options.stubs);
  const noHandler = noHandlerReason(options.approvalsPerExecution === true);
  const limiterFor = (tool: RegisteredTool): LimitFunction | undefined => {
    if (tool.concurrency === undefined) return undefined;
    let limiter = limiters.get(tool);
    if (limiter === undefined) limiters.set(tool, (limiter = pLimit(tool.concurrency)));
    return limiter;
  };

  return {
    dispatch(call, site, reply) {
      const tool = catalog.get(call.tool);
      const calledAs = tool?.scriptName ?? call.tool;
      if (site === undefined || site.ended) return reply({ executionId: call.executionId, callId: call.callId, ok: false, message: `${calledAs}: the execution has ended` });
      const callIndex = ++site.toolCalls;
      site.toolCallsByName[call.tool] = (site.toolCallsByName[call.tool] ?? 0) + 1;
      const run = site.run;
      // O(1) dependency level (README "Measured: traditional against programmatic"): calls
      // answered before this one arrived may have fed it; calls still in flight cannot have.
      const level = site.settledLevel + 1;
      if (level > site.levels) site.levels = level;
      const journal = site.journal;
      let entry: JournalEntry | undefined;
      const observer = options.observer?.watching === true ? options.observer : undefined;
      const startedAt = observer?.started(site, call.tool, callIndex, call.argsJson) ?? 0;
      // Only engine.report() keeps a call log, and only it reads the time.
      const calledAt = site.callLog === undefined ? 0 : performance.now();
      let replayed = false;
      let ticket: ReturnType<JournalSink['open']> | undefined;
      // Counters, causes and replies belong to the run that asked: a dead run's late answer
      // is only recorded, never counted against its re-run nor sent (its call ids restart).
      const send = (answer: Answer): void => {
        if (entry !== undefined) journal!.settle(entry, answer);
        ticket?.settle(answer);
        observer?.ended(site, call.tool, callIndex, run, startedAt, replayed, answer);
        if (site.run !== run) return;
        if (level > site.settledLevel) site.settledLevel = level;
        site.callLog?.push({ tool: calledAs, level, ok: answer.ok, text: answer.ok ? (answer.resultJson ?? '') : answer.message, ms: performance.now() - calledAt });
        if (answer.ok) site.bytesFromTools += answer.bytes;
        // A replayed failure is numbered as this run's call.
        else if (answer.failed !== undefined) site.failedCalls.set(call.callId, { ...answer.failed, callIndex });
        const settled: CallReply = answer.ok ? { executionId: call.executionId, callId: call.callId, ok: true, resultJson: answer.resultJson } : { executionId: call.executionId, callId: call.callId, ok: false, message: answer.message };
        // After an approval paused the time limit, the worker learns the moved deadline.
        const deadlineAt = site.takeDeadlineUpdate();
        if (deadlineAt !== undefined) settled.deadlineAt = deadlineAt;
        reply(settled);
      };
      if (journal?.replaying === true) {
        const taken = journal.take(call.tool, call.argsJson);
        // SECURITY: "A re-run never repeats a tool call": a call an earlier run made gets its
        // recorded answer, and its handler is not called again; a re-run that took another
        // path is ended before that path reaches a handler.
        if ('replay' in taken) {
          replayed = true;
          return journal.whenAnswered(taken.replay, send);
        }
        if ('diverged' in taken) {
          site.replayDiverged(
            taken.diverged === 'dropped'
              ? `its lost run's answer to \`${calledAs}\` was too large to keep for the re-run`
              : `its re-run called \`${calledAs}\` with arguments its lost run had not used, so it was ended before that call`,
          );
          return send({ ok: false, message: `${calledAs}: the re-run made a call its lost run had not made`, failed: undefined });
        }
        entry = taken.record;
      } else {
        entry = journal?.record(call.tool, call.argsJson);
      }
      ticket = journal?.sink?.open(call.tool, call.argsJson);
      try {
        route(call, site, tool, calledAs, callIndex, send, ticket?.ready);
      } catch (error) {
        // SECURITY: "A script cannot kill its thread or the host": whatever a call carries, an
        // exception while routing it (before any handler runs) becomes that call's refusal.
        const detail = error instanceof RangeError ? 'the arguments are nested too deeply' : 'the call could not be processed';
        send({ ok: false, message: `${calledAs}: ${detail}`, failed: { tool: calledAs, callIndex, error } });
      }
    },
  };

  function route(call: CallRequest, site: CallSite, tool: RegisteredTool | undefined, calledAs: string, callIndex: number, send: (answer: Answer) => void, recorded: Promise<void> | undefined): void {
    const refuse = (message: string, failed?: FailedCall): void => send({ ok: false, message: truncate(message, MAX_SCRIPT_MESSAGE_CHARS), failed });
    // SECURITY: "The call past maxToolCalls never reaches a handler, and the execution
    // fails with ToolCallLimitError even if the script catches the error."
    if (callIndex > site.maxToolCalls) {
      site.exceedToolCallLimit();
      return refuse(`${calledAs}: the limit of ${site.maxToolCalls} tool calls is reached`);
    }
    if (tool === undefined) return refuse(`${calledAs}: no such tool`);
    const fail = (error: unknown, message: string): void => refuse(message, { tool: calledAs, callIndex, error });
    // SECURITY: "No script can make the host allocate without bound": arguments past the
    // bound are refused before they are parsed.
    if (call.argsJson.length > options.maxArgumentChars) {
      const error = new PayloadTooLargeError('arguments', options.maxArgumentChars, `${calledAs}: arguments are larger than ${options.maxArgumentChars} characters of JSON`);
      return fail(error, error.message);
    }
    const named = toNamedArguments(tool, JSON.parse(call.argsJson) as unknown[]);
    if (!named.ok) return fail(new ToolInputError(calledAs, [named.message]), `${calledAs}: ${named.message}`);
    const { input: checkInput, output: checkOutput } = checksOf(tool);
    // The check fills schema defaults into `args` in place, so the handler sees them.
    const args = checkInput !== undefined ? (named.value ?? {}) : named.value;
    const inputCheck = checkInput?.(args);
    if (inputCheck !== undefined && !inputCheck.ok) {
      const error = new ToolInputError(calledAs, inputCheck.issues);
      return fail(error, error.message);
    }
    const { executionId } = site;
    const signal = site.signal;
    const context = { signal, abortSignal: signal, executionId, toolName: tool.name, callIndex, toolCallId: `${executionId}:${callIndex}`, messages: [] as [], hostContext: site.hostContext };
    const invoke = async (): Promise<unknown> => {
      // SECURITY: "A re-run never repeats a tool call" (across hosts, docs/queue.md): a
      // handler runs only once the call is in the record a re-delivered job is checked against.
      if (recorded !== undefined) await recorded;
      if (site.signal.aborted) throw new Error('the execution has ended');
      if (stubber.covers(tool)) return stubber.generate(tool, calledAs, args);
      if (tool.handler === undefined) throw new Error(`tool \`${calledAs}\` has no handler; register one or run with stubs`);
      const handler = tool.handler;
      return site.runHandler({ executionId, toolName: tool.name, callIndex, run: site.run }, () => handler(args, context));
    };
    const limiter = limiterFor(tool);
    const run = (): Promise<unknown> => (limiter === undefined ? invoke() : limiter(invoke));
    // SECURITY: "A tool marked for approval never runs unasked": the handler runs only after
    // an explicit approval; the wait holds no concurrency slot and pauses the time limit.
    // A stubbed tool has no effects to approve.
    const approveThenRun = async (): Promise<unknown> => {
      if (stubber.covers(tool) || !(await needsApproval(tool, args, context))) return run();
      const resume = site.pauseClock();
      const askedAt = performance.now();
      let refusal: ToolApprovalError | undefined;
      try {
        // SECURITY: claim 15: the execution's own handler (an MCP client's elicitation, an AI
        // SDK approval) decides only that execution's calls; without one, the engine's does.
        const handler = site.onApproval ?? options.onApproval;
        refusal = await askApproval(handler, { toolName: tool.name, calledAs, input: args, executionId, callIndex, hostContext: site.hostContext }, signal, options.approvalTimeoutMs, noHandler);
      } finally {
        resume();
      }
      options.observer?.approval(site, tool.name, callIndex, refusal?.outcome ?? 'approved', performance.now() - askedAt);
      if (refusal !== undefined) throw refusal;
      return run();
    };
    (mayNeedApproval(tool) ? approveThenRun() : run()).then(
      (result) => {
        try {
          answer(result);
        } catch (error) {
          // Checking an unusual result (nested too deep, say) must fail the call, not escape.
          fail(error, `${calledAs} returned a result that could not be checked`);
        }
      },
      (error: unknown) => fail(error, error instanceof ToolApprovalError ? error.message : `${calledAs} failed: ${describeHostError(error)}`),
    ).catch(() => {
      // SECURITY: "A script cannot kill its thread or the host": nothing above throws today;
      // if it ever did, it must not become an unhandled rejection in the host.
    });
    function answer(result: unknown): void {
      const { json, copy } = toJsonTextAndCopy(result, 'lenient', 'result', options.maxResultChars);
      if (!json.ok && json.tooLarge !== undefined) {
        const error = new PayloadTooLargeError('result', json.tooLarge, `${calledAs} returned a result larger than ${json.tooLarge} characters of JSON`);
        return fail(error, error.message);
      }
      if (!json.ok) {
        const message = `${calledAs} returned data that cannot be sent to the script: ${json.reason} (at ${json.path})`;
        return fail(new TypeError(message), message);
      }
      if (options.validateOutput && checkOutput !== undefined) {
        // The fast path's copy is what parsing the text would make, already made and private
        // to this check (which fills schema defaults into it; the script gets the text).
        const outputCheck = checkOutput(copy !== undefined ? copy.value : json.text === undefined ? undefined : JSON.parse(json.text));
        if (!outputCheck.ok) {
          const error = new ToolOutputError(calledAs, outputCheck.issues);
          return fail(error, error.message);
        }
      }
      send({ ok: true, resultJson: json.text, bytes: json.text === undefined ? 0 : Buffer.byteLength(json.text) });
    }
  }
}
