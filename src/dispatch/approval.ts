// Owns asking for a tool call's approval: whether the call needs one (the tool's
// `needsApproval`), the deciding handler (the execution's `onApproval`, else the engine's)
// with its own signal and time limit, and the decision as a ToolApprovalError when it is not
// a plain yes. Never lets a call needing approval through on anything but an explicit approval.

import type { RegisteredTool, ToolContext } from '../catalog/index.js';
import { ToolApprovalError } from '../errors.js';

/** What `onApproval` is asked about one call. */
export interface ApprovalRequest {
  /** The tool's registered name. */
  toolName: string;
  /** The name the script called it by (`github.create_issue`). */
  calledAs: string;
  /** The call's named arguments, already checked against the input schema. */
  input: unknown;
  executionId: string;
  /** 1-based index of the call within its execution. */
  callIndex: number;
  /** The execution's `hostContext` (the caller's host value), as handlers get it. */
  hostContext: unknown;
  /** Aborted when the execution ends (time limit, abort, close) or `approvalTimeoutMs` passes. */
  signal: AbortSignal;
}

/** `true` approves; `false` or `{ approved: false, reason }` denies. */
export type ApprovalDecision = boolean | { approved: boolean; reason?: string | undefined };

/** Decides approval requests; may take minutes (a human in the loop). */
export type ApprovalHandler = (request: ApprovalRequest) => ApprovalDecision | PromiseLike<ApprovalDecision>;

/** Longest reason kept from a decision or a failure. */
const MAX_REASON_CHARS = 500;

/** True when `tool` is marked for approval in any form (so an engine needs `onApproval`). */
export function mayNeedApproval(tool: RegisteredTool): boolean {
  return tool.needsApproval !== undefined && tool.needsApproval !== false;
}

/**
 * Whether this call needs approval. A `needsApproval` function that throws counts as yes
 * SECURITY: "A tool marked for approval never runs unasked": a failing check asks rather
 * than lets the call through.
 */
export async function needsApproval(tool: RegisteredTool, input: unknown, context: ToolContext): Promise<boolean> {
  const rule = tool.needsApproval;
  if (rule === undefined || rule === false) return false;
  if (rule === true) return true;
  try {
    return (await rule(input, context)) !== false;
  } catch {
    return true;
  }
}

function bounded(text: string): string {
  return text.length <= MAX_REASON_CHARS ? text : `${text.slice(0, MAX_REASON_CHARS - 1)}…`;
}

/** What a call without a deciding handler is told: the engine has none, or (per-execution mode) its execution has none. */
export function noHandlerReason(perExecution: boolean): string {
  return perExecution ? 'nothing decides approvals for this execution (no `onApproval` in its execute options)' : 'the engine has no approval handler (`onApproval`)';
}

/**
 * Asks `handler` about one call; resolves with undefined when approved, or the
 * ToolApprovalError that refuses it (`noHandler` is the reason when there is no handler).
 * Never rejects.
 */
export async function askApproval(handler: ApprovalHandler | undefined, request: Omit<ApprovalRequest, 'signal'>, executionSignal: AbortSignal, timeoutMs: number, noHandler = noHandlerReason(false)): Promise<ToolApprovalError | undefined> {
  const name = request.calledAs;
  if (handler === undefined) return new ToolApprovalError(name, 'no-handler', noHandler);
  if (executionSignal.aborted) return new ToolApprovalError(name, 'denied', 'the execution ended while the call waited');
  const controller = new AbortController();
  // The execution ended while its call waited: the request is aborted and the wait ends at
  // once (a handler that ignores its signal must not hold the call for approvalTimeoutMs).
  let ended!: (value: 'ended') => void;
  const executionEnded = new Promise<'ended'>((resolve) => (ended = resolve));
  const stop = (): void => {
    controller.abort();
    ended('ended');
  };
  executionSignal.addEventListener('abort', stop, { once: true });
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<'timed-out'>((resolve) => (timer = setTimeout(() => resolve('timed-out'), timeoutMs)));
  try {
    const decision = await Promise.race([Promise.resolve(handler({ ...request, signal: controller.signal })), timedOut, executionEnded]);
    if (decision === 'ended') return new ToolApprovalError(name, 'denied', 'the execution ended while the call waited');
    if (decision === 'timed-out') return new ToolApprovalError(name, 'timed-out', `no decision within ${timeoutMs} ms`);
    if (decision === true) return undefined;
    if (typeof decision === 'object' && decision !== null && decision.approved === true) return undefined;
    const reason = typeof decision === 'object' && decision !== null && typeof decision.reason === 'string' && decision.reason !== '' ? decision.reason : 'denied';
    return new ToolApprovalError(name, 'denied', bounded(reason));
  } catch (error) {
    return new ToolApprovalError(name, 'failed', 'the approval handler failed', { cause: error });
  } finally {
    clearTimeout(timer);
    executionSignal.removeEventListener('abort', stop);
    controller.abort();
  }
}
