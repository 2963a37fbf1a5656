// Owns routing one tool call to its handler (or its stub): the per-execution budget, the
// per-tool concurrency limit (p-limit), approvals, argument mapping and checking, and which
// path a call takes (direct, or waiting for a limit, an approval or a record). Host errors
// stay as causes; the script only ever gets a bounded message, under the name it called.
// Answering (the JSON data boundary, result bound and check) is tool-call.ts's.

import { performance } from 'node:perf_hooks';
import pLimit, { type LimitFunction } from 'p-limit';
import { checksOf, toNamedArguments, type RegisteredTool, type ToolCatalog, type ToolContext } from '../catalog/index.js';
import { PayloadTooLargeError, ToolApprovalError, ToolInputError } from '../errors.js';
import type { CallReply, CallRequest } from '../protocol.js';
import { askApproval, mayNeedApproval, needsApproval, noHandlerReason, type ApprovalHandler } from './approval.js';
import type { CallObserver, CallSite } from './call-site.js';
import { createStubber, type StubOptions } from './stubber.js';
import { ToolCall } from './tool-call.js';

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

/** The arguments of a call made with none: never written (toNamedArguments only reads them). */
const NO_ARGUMENTS: readonly unknown[] = Object.freeze([]);

function isObjectLike(value: unknown): value is object {
  return (typeof value === 'object' && value !== null) || typeof value === 'function';
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
  const config = { maxResultChars: options.maxResultChars };
  const limiterFor = (tool: RegisteredTool): LimitFunction | undefined => {
    if (tool.concurrency === undefined) return undefined;
    let limiter = limiters.get(tool);
    if (limiter === undefined) limiters.set(tool, (limiter = pLimit(tool.concurrency)));
    return limiter;
  };
  // Calls whose handler answered synchronously, answered together at the end of the turn: as
  // a promise's answer would be, after every call of the same frame arrived (dependency
  // levels, event order), without a promise per call.
  let ready: ToolCall[] = [];
  const answerReady = (): void => {
    // Taken first: a call queued from here on gets a turn end of its own.
    const batch = ready;
    ready = [];
    for (const toolCall of batch) toolCall.answerOutcome();
  };
  const answerAtTurnEnd = (toolCall: ToolCall, outcome: unknown, threw: boolean): void => {
    toolCall.holdOutcome(outcome, threw);
    if (ready.push(toolCall) === 1) queueMicrotask(answerReady);
  };

  return {
    dispatch(call, site, reply) {
      const tool = catalog.get(call.tool);
      const calledAs = tool?.scriptName ?? call.tool;
      if (site === undefined || site.ended) return reply({ executionId: call.executionId, callId: call.callId, ok: false, message: `${calledAs}: the execution has ended` });
      const callIndex = ++site.toolCalls;
      site.toolCallsByName[call.tool] = (site.toolCallsByName[call.tool] ?? 0) + 1;
      const observer = options.observer?.watching === true ? options.observer : undefined;
      const toolCall = new ToolCall(config, call, site, calledAs, callIndex, reply, observer);
      const journal = site.journal;
      if (journal?.replaying === true) {
        const taken = journal.take(call.tool, call.argsJson);
        // SECURITY: "A re-run never repeats a tool call": a call an earlier run made gets its
        // recorded answer, and its handler is not called again; a re-run that took another
        // path is ended before that path reaches a handler.
        if ('replay' in taken) {
          toolCall.replayed = true;
          return journal.whenAnswered(taken.replay, (answer) => toolCall.send(answer));
        }
        if ('diverged' in taken) {
          site.replayDiverged(
            taken.diverged === 'dropped'
              ? `its lost run's answer to \`${calledAs}\` was too large to keep for the re-run`
              : `its re-run called \`${calledAs}\` with arguments its lost run had not used, so it was ended before that call`,
          );
          return toolCall.send({ ok: false, message: `${calledAs}: the re-run made a call its lost run had not made`, failed: undefined });
        }
        toolCall.entry = taken.record;
      } else if (journal !== undefined) {
        toolCall.entry = journal.record(call.tool, call.argsJson);
      }
      toolCall.ticket = journal?.sink?.open(call.tool, call.argsJson);
      try {
        route(toolCall, tool);
      } catch (error) {
        // SECURITY: "A script cannot kill its thread or the host": whatever a call carries, an
        // exception while routing it (before any handler runs) becomes that call's refusal.
        const detail = error instanceof RangeError ? 'the arguments are nested too deeply' : 'the call could not be processed';
        toolCall.send({ ok: false, message: `${calledAs}: ${detail}`, failed: { tool: calledAs, callIndex, error } });
      }
    },
  };

  function route(toolCall: ToolCall, tool: RegisteredTool | undefined): void {
    const { request: call, site, calledAs, callIndex } = toolCall;
    // SECURITY: "The call past maxToolCalls never reaches a handler, and the execution
    // fails with ToolCallLimitError even if the script catches the error."
    if (callIndex > site.maxToolCalls) {
      site.exceedToolCallLimit();
      return toolCall.refuse(`${calledAs}: the limit of ${site.maxToolCalls} tool calls is reached`);
    }
    if (tool === undefined) return toolCall.refuse(`${calledAs}: no such tool`);
    // SECURITY: "No script can make the host allocate without bound": arguments past the
    // bound are refused before they are parsed.
    if (call.argsJson.length > options.maxArgumentChars) {
      const error = new PayloadTooLargeError('arguments', options.maxArgumentChars, `${calledAs}: arguments are larger than ${options.maxArgumentChars} characters of JSON`);
      return toolCall.fail(error, error.message);
    }
    const named = toNamedArguments(tool, call.argsJson === '[]' ? NO_ARGUMENTS : (JSON.parse(call.argsJson) as unknown[]));
    if (!named.ok) return toolCall.fail(new ToolInputError(calledAs, [named.message]), `${calledAs}: ${named.message}`);
    const checks = checksOf(tool);
    const checkInput = checks.input;
    if (options.validateOutput) toolCall.checkOutput = checks.output;
    // The check fills schema defaults into `args` in place, so the handler sees them.
    const args = checkInput !== undefined ? (named.value ?? {}) : named.value;
    const inputCheck = checkInput?.(args);
    if (inputCheck !== undefined && !inputCheck.ok) {
      const error = new ToolInputError(calledAs, inputCheck.issues);
      return toolCall.fail(error, error.message);
    }
    const { executionId } = site;
    const signal = site.signal;
    const context: ToolContext = { signal, abortSignal: signal, executionId, toolName: tool.name, callIndex, toolCallId: `${executionId}:${callIndex}`, messages: [], hostContext: site.hostContext };
    const limiter = limiterFor(tool);
    const recorded = toolCall.ticket?.ready;
    const approval = mayNeedApproval(tool);
    if (limiter === undefined && recorded === undefined && !approval) {
      // Nothing to wait for (no concurrency limit, no record to reach, no approval): the
      // handler runs now, as it did at the start of the async path below.
      let result: unknown;
      try {
        result = invoke(toolCall, tool, args, context);
      } catch (error) {
        return answerAtTurnEnd(toolCall, error, true);
      }
      let then: unknown;
      try {
        then = isObjectLike(result) ? (result as { then?: unknown }).then : undefined;
      } catch (error) {
        return answerAtTurnEnd(toolCall, error, true);
      }
      if (typeof then !== 'function') return answerAtTurnEnd(toolCall, result, false);
      Promise.resolve(result).then(
        (value) => toolCall.settle(value),
        (error: unknown) => toolCall.reject(error),
      );
      return;
    }
    const invokeWhenRecorded = async (): Promise<unknown> => {
      // SECURITY: "A re-run never repeats a tool call" (across hosts, docs/queue.md): a
      // handler runs only once the call is in the record a re-delivered job is checked against.
      if (recorded !== undefined) await recorded;
      return invoke(toolCall, tool, args, context);
    };
    // SECURITY: per-tool `concurrency`: a limited tool's handler runs only in a p-limit turn.
    const run = (): Promise<unknown> => (limiter === undefined ? invokeWhenRecorded() : limiter(invokeWhenRecorded));
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
    (approval ? approveThenRun() : run()).then(
      (result) => toolCall.settle(result),
      (error: unknown) => toolCall.reject(error),
    );
  }

  /** Calls the handler (or the stub), in the execution's async context; throws what it throws. */
  function invoke(toolCall: ToolCall, tool: RegisteredTool, args: unknown, context: ToolContext): unknown {
    const { site, calledAs } = toolCall;
    // `ended` is true exactly when `site.signal` is aborted (CallSite), without making a signal.
    if (site.ended) throw new Error('the execution has ended');
    if (stubber.covers(tool)) return stubber.generate(tool, calledAs, args);
    if (tool.handler === undefined) throw new Error(`tool \`${calledAs}\` has no handler; register one or run with stubs`);
    return site.runHandler(tool.handler, args, context);
  }
}
