// Owns how the messages of process-protocol.ts ride in frames (frames.ts). A reply or call
// frame (call-frame.ts: JSON text made on one side, parsed only by the other end) is a frame
// body of its own, its UTF-8 bytes as they are: no JSON escaping on the host, no unescaping
// in the pool process, which relays it as text. Consecutive other messages go as one JSON
// array per frame. Never accepts a frame kind meant for the other direction.

import { FrameError, encodeFrames, type OutgoingFrame } from './frames.js';
import type { ChildMessage, HostMessage } from './process-protocol.js';

/** A JSON array of messages. */
const KIND_JSON = 1;
/** Host -> pool process: a `replies` frame for thread `id`. */
const KIND_REPLIES = 2;
/** Pool process -> host: a `calls` frame from thread `id`. */
const KIND_CALLS = 3;

/** The text frame a message rides in alone, or undefined for one that goes in a JSON array. */
type RawOf<T> = (message: T) => OutgoingFrame | undefined;

const rawHostFrame: RawOf<HostMessage> = (message) =>
  message.type === 'post' && message.threadId !== undefined && message.message.type === 'replies' ? { kind: KIND_REPLIES, id: message.threadId, text: message.message.frame } : undefined;

const rawChildFrame: RawOf<ChildMessage> = (message) =>
  message.type === 'worker' && message.message.type === 'calls' ? { kind: KIND_CALLS, id: message.threadId, text: message.message.frame } : undefined;

function encodeBatch<T>(batch: readonly T[], rawOf: RawOf<T>): Buffer {
  const frames: OutgoingFrame[] = [];
  let plain: T[] = [];
  const flushPlain = (): void => {
    if (plain.length === 0) return;
    frames.push({ kind: KIND_JSON, id: 0, text: JSON.stringify(plain) });
    plain = [];
  };
  for (const message of batch) {
    const raw = rawOf(message);
    if (raw === undefined) {
      plain.push(message);
      continue;
    }
    flushPlain();
    frames.push(raw);
  }
  flushPlain();
  return encodeFrames(frames);
}

/** One write's worth of bytes for the host's batch. Throws FrameError for a message over the cap. */
export const encodeHostBatch = (batch: readonly HostMessage[]): Buffer => encodeBatch(batch, rawHostFrame);

/** One write's worth of bytes for the pool process's batch. Throws FrameError for a message over the cap. */
export const encodeChildBatch = (batch: readonly ChildMessage[]): Buffer => encodeBatch(batch, rawChildFrame);

function parseArray(body: Buffer): unknown[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch {
    throw new FrameError('malformed', 'a message frame is not JSON');
  }
  if (!Array.isArray(parsed)) throw new FrameError('malformed', 'a message frame is not an array');
  return parsed;
}

/** The messages of one frame the pool process received. Throws FrameError for a frame the host cannot send. */
export function decodeHostFrame(kind: number, id: number, body: Buffer): HostMessage[] {
  if (kind === KIND_REPLIES) return [{ type: 'post', threadId: id, message: { type: 'replies', frame: body.toString('utf8') } }];
  if (kind === KIND_JSON) return parseArray(body) as HostMessage[];
  throw new FrameError('malformed', `frame kind ${kind} is not one the host sends`);
}

/** The messages of one frame the host received. Throws FrameError for a frame the pool process cannot send. */
export function decodeChildFrame(kind: number, id: number, body: Buffer): ChildMessage[] {
  if (kind === KIND_CALLS) return [{ type: 'worker', threadId: id, message: { type: 'calls', frame: body.toString('utf8') } }];
  if (kind === KIND_JSON) return parseArray(body) as ChildMessage[];
  throw new FrameError('malformed', `frame kind ${kind} is not one the pool process sends`);
}
