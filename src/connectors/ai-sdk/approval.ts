// Owns the code tool's approvals in the AI SDK's own idiom: `needsApproval({ code })` says
// whether a script may call a tool marked for approval, and a script the user approved
// (a `tool-approval-response` in the call's messages) gets those calls approved for that one
// execution. Never approves a call the static reading did not name, nor any call without an
// approval the SDK recorded for this very tool call.

import type { ModelMessage } from 'ai';
import type { ApprovalHandler } from '../../dispatch/index.js';
import type { Engine } from '../../engine.js';

/** Whether the user approved the tool call `toolCallId` in `messages` (and never denied it). */
export function approvedInMessages(messages: readonly ModelMessage[], toolCallId: string): boolean {
  const approvalIds = new Set<string>();
  for (const message of messages) {
    if (message.role !== 'assistant' || typeof message.content === 'string') continue;
    for (const part of message.content) {
      if (part.type === 'tool-approval-request' && part.toolCallId === toolCallId) approvalIds.add(part.approvalId);
    }
  }
  let approved = false;
  for (const message of messages) {
    if (message.role !== 'tool') continue;
    for (const part of message.content) {
      if (part.type !== 'tool-approval-response' || !approvalIds.has(part.approvalId)) continue;
      if (part.approved !== true) return false;
      approved = true;
    }
  }
  return approved;
}

/**
 * The `needsApproval` of the code tool: true when the script may call a tool marked for
 * approval (`engine.toolsNeedingApproval`, a static reading that counts aliases, computed
 * keys and namespaces passed around).
 */
export function codeNeedsApproval(engine: Engine): (input: { code: string }) => boolean {
  return ({ code }) => typeof code === 'string' && engine.toolsNeedingApproval(code).length > 0;
}

/**
 * The execution's own `onApproval` for an approved script, or undefined (the engine's then
 * decides). SECURITY: claim 15 ("A tool marked for approval never runs unasked"): only the
 * calls of tools the reading named, in the script the user saw and approved for this tool
 * call, are approved; any other call is denied, never let through.
 */
export function approvalForExecution(engine: Engine, code: string, messages: readonly ModelMessage[], toolCallId: string): ApprovalHandler | undefined {
  if (!approvedInMessages(messages, toolCallId)) return undefined;
  const foreseen = new Set(engine.toolsNeedingApproval(code));
  if (foreseen.size === 0) return undefined;
  return ({ toolName }) => foreseen.has(toolName) || { approved: false, reason: 'the script approved in the chat was not expected to call it' };
}
