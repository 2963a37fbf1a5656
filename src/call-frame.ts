// Owns the wire form of tool calls and replies on a worker's port (and, relayed as is, as the
// raw bytes of a frame on the pool process's data channel): one JSON text per batch, each
// execution id written once, and each result's JSON text spliced in raw, so the worker's one
// JSON.parse makes every value.
// Shared by both sides: pure, no Node APIs. Never splices text it did not get from JSON.stringify.

import type { CallReply, CallRequest } from './protocol.js';

/** A reply as the worker decodes it: the result is already a fresh value. */
export type SettledCall = (
  | { executionId: string; callId: number; ok: true; value: unknown }
  | { executionId: string; callId: number; ok: false; message: string }
) & {
  /** The run's moved deadline (see CallReply.deadlineAt). */
  deadlineAt?: number;
};

/** Reply codes; DEADLINE is added when a moved deadline follows the payload. */
const OK_UNDEFINED = 0;
const OK_VALUE = 1;
const FAILED = 2;
const DEADLINE = 4;

/**
 * `[executionId, slot, count, (callId, tool, argsJson) x count, executionId, ...]`: calls of
 * one execution made in a row share their header.
 */
export function encodeCalls(calls: readonly CallRequest[]): string {
  const flat: Array<string | number> = [];
  let countAt = -1;
  let previous: CallRequest | undefined;
  for (const call of calls) {
    if (previous === undefined || call.executionId !== previous.executionId || call.slot !== previous.slot) {
      flat.push(call.executionId, call.slot, 0);
      countAt = flat.length - 1;
    }
    (flat[countAt] as number)++;
    flat.push(call.callId, call.tool, call.argsJson);
    previous = call;
  }
  return JSON.stringify(flat);
}

/**
 * The calls of a frame, in order. A frame that is not one `encodeCalls` could make (a
 * worker is not trusted to send well-formed ones) yields the calls before the fault.
 */
export function decodeCalls(frame: string): CallRequest[] {
  const calls: CallRequest[] = [];
  let flat: unknown;
  try {
    flat = JSON.parse(frame);
  } catch {
    return calls;
  }
  if (!Array.isArray(flat)) return calls;
  let at = 0;
  while (at + 2 < flat.length) {
    const executionId: unknown = flat[at];
    const slot: unknown = flat[at + 1];
    const count: unknown = flat[at + 2];
    at += 3;
    if (typeof executionId !== 'string' || typeof slot !== 'number' || typeof count !== 'number') return calls;
    for (let i = 0; i < count; i++, at += 3) {
      const callId: unknown = flat[at];
      const tool: unknown = flat[at + 1];
      const argsJson: unknown = flat[at + 2];
      if (typeof callId !== 'number' || typeof tool !== 'string' || typeof argsJson !== 'string') return calls;
      calls.push({ executionId, slot, callId, tool, argsJson });
    }
  }
  return calls;
}

/**
 * One group per execution, in the order each first replied: a line with the execution id as
 * a JSON string, then a line `[(callId, code, payload[, deadlineAt]) x count]`. JSON.stringify
 * never writes a raw line feed, so lines split exactly, and the worker parses a group only
 * once it has entered that execution's script (its heap meter counts what the group makes).
 * A result's JSON text is the payload itself, not a string holding it: it came from
 * JSON.stringify (the dispatcher's, or the replay journal's copy of it), so it is one
 * complete JSON value, and parsing the group makes every value of it at once.
 */
export function encodeReplies(replies: readonly CallReply[]): string {
  const groups = new Map<string, string>();
  for (const reply of replies) {
    const deadline = reply.deadlineAt === undefined ? 0 : DEADLINE;
    let entry: string;
    if (!reply.ok) entry = `${reply.callId},${FAILED + deadline},${JSON.stringify(reply.message)}`;
    else if (reply.resultJson === undefined) entry = `${reply.callId},${OK_UNDEFINED + deadline},0`;
    else entry = `${reply.callId},${OK_VALUE + deadline},${reply.resultJson}`;
    if (deadline !== 0) entry += `,${JSON.stringify(reply.deadlineAt)}`;
    const group = groups.get(reply.executionId);
    groups.set(reply.executionId, group === undefined ? entry : `${group},${entry}`);
  }
  let frame = '';
  for (const [executionId, entries] of groups) frame += `${frame === '' ? '' : '\n'}${JSON.stringify(executionId)}\n[${entries}]`;
  return frame;
}

/** The groups of a reply frame: execution id and the group's text, for `decodeReplyGroup`. */
export function splitReplies(frame: string): Array<[executionId: string, group: string]> {
  const lines = frame.split('\n');
  const groups: Array<[string, string]> = [];
  for (let i = 0; i + 1 < lines.length; i += 2) groups.push([JSON.parse(lines[i]!) as string, lines[i + 1]!]);
  return groups;
}

/** The replies of one group of `splitReplies`, each value freshly made. */
export function decodeReplyGroup(executionId: string, group: string): SettledCall[] {
  const flat = JSON.parse(group) as unknown[];
  const settled: SettledCall[] = [];
  let at = 0;
  while (at < flat.length) {
    const callId = flat[at] as number;
    const code = flat[at + 1] as number;
    const payload = flat[at + 2];
    at += 3;
    const kind = code & ~DEADLINE;
    const reply: SettledCall = kind === FAILED ? { executionId, callId, ok: false, message: payload as string } : { executionId, callId, ok: true, value: kind === OK_VALUE ? payload : undefined };
    if ((code & DEADLINE) !== 0) reply.deadlineAt = flat[at++] as number;
    settled.push(reply);
  }
  return settled;
}
