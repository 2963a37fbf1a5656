// Owns approvals over MCP: a call of a tool marked `needsApproval`, made by a script that an
// `execute_code` request runs, is put to the client that sent that request, as a form
// elicitation (`elicitation/create`) tied to the request (`relatedRequestId`), so over HTTP it
// reaches that session's stream. Never approves on anything but an accepted `approve: true`.

import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import type { ElicitRequestFormParams, ElicitResult, RequestId } from '@modelcontextprotocol/sdk/types.js';
import type { ApprovalHandler, ApprovalRequest } from '../../dispatch/index.js';
import type { Engine } from '../../engine.js';
import { truncate } from '../../json-data.js';

/** Who decides approvals for scripts an MCP server runs. */
export type McpApprovals = 'elicitation' | 'engine';

/** Characters of arguments shown to the user; the rest is cut with `…`. */
const MAX_ARGUMENT_CHARS = 2_000;
/** The SDK's request timeout, lifted: the engine's `approvalTimeoutMs` bounds the wait and aborts the request. */
const MAX_TIMER_MS = 2_147_483_647;

const REQUESTED_SCHEMA: ElicitRequestFormParams['requestedSchema'] = {
  type: 'object',
  properties: {
    approve: { type: 'boolean', title: 'Approve this call', description: 'Let the tool run with these arguments', default: false },
    reason: { type: 'string', title: 'Reason (optional)', description: 'Passed to the script, and so to the model, when you do not approve' },
  },
  required: ['approve'],
};

/** The message the user reads: the tool, the name the script used, the bounded arguments. */
export function describeApproval(request: Pick<ApprovalRequest, 'toolName' | 'calledAs' | 'input' | 'callIndex'>): string {
  const calledAs = request.calledAs === request.toolName ? '' : ` (called as \`${request.calledAs}\`)`;
  let input: string;
  try {
    input = JSON.stringify(request.input, null, 2) ?? 'none';
  } catch {
    input = '(not shown: not JSON)';
  }
  return `A script run by \`execute_code\` wants to call \`${request.toolName}\`${calledAs} (its call #${request.callIndex}), which needs your approval.\nArguments:\n${truncate(input, MAX_ARGUMENT_CHARS)}`;
}

function reasonOf(content: Record<string, unknown> | undefined, fallback: string): string {
  const reason = content?.['reason'];
  return typeof reason === 'string' && reason.trim() !== '' ? reason : fallback;
}

/** Asks the client of `server` about one call, tied to the request `requestId`. */
function elicitFrom(server: Server, requestId: RequestId): ApprovalHandler {
  return async (request) => {
    // The request's signal aborts after every decision too; linked only while the question is
    // open, so the SDK cancels (`notifications/cancelled`) a question left open, not one answered.
    const asking = new AbortController();
    const cancel = (): void => asking.abort(request.signal.reason);
    request.signal.addEventListener('abort', cancel, { once: true });
    let result: ElicitResult;
    try {
      result = await server.elicitInput(
        { mode: 'form', message: describeApproval(request), requestedSchema: REQUESTED_SCHEMA },
        { relatedRequestId: requestId, signal: asking.signal, timeout: MAX_TIMER_MS },
      );
    } finally {
      request.signal.removeEventListener('abort', cancel);
    }
    if (result.action === 'accept' && result.content?.['approve'] === true) return true;
    if (result.action === 'cancel') return { approved: false, reason: reasonOf(result.content, 'the user dismissed the approval request') };
    if (result.action === 'decline') return { approved: false, reason: reasonOf(result.content, 'the user declined') };
    return { approved: false, reason: reasonOf(result.content, 'the user did not approve') };
  };
}

/** Denies every call: nothing can ask this client, and the engine has no handler. */
const cannotAsk: ApprovalHandler = () => ({
  approved: false,
  reason: 'the MCP client cannot be asked (it does not support form elicitation) and the server has no other approval handler',
});

/**
 * The `onApproval` of one `execute_code` request, or undefined to leave its calls to the
 * engine's. Precedence: `engine` mode, the engine's handler always; otherwise the client that
 * sent the request if it supports form elicitation, else the engine's own `onApproval` if it
 * has one, else a denial saying why. SECURITY: claim 15 ("A tool marked for approval never
 * runs unasked"): no path approves without an answer from the client or the engine's handler.
 */
export function approvalForRequest(engine: Engine, server: Server, requestId: RequestId, mode: McpApprovals): ApprovalHandler | undefined {
  if (mode === 'engine') return undefined;
  if (server.getClientCapabilities()?.elicitation?.form !== undefined) return elicitFrom(server, requestId);
  return engine.hasApprovalHandler ? undefined : cannotAsk;
}
