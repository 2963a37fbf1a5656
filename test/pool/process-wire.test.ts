import { describe, expect, it } from 'vitest';
import { createFrameReader, FrameError } from '../../src/pool/frames.js';
import type { ChildMessage, HostMessage } from '../../src/pool/process-protocol.js';
import { decodeChildFrame, decodeHostFrame, encodeChildBatch, encodeHostBatch } from '../../src/pool/process-wire.js';
import { thrownBy } from '../helpers.js';

/** A reply frame as call-frame.ts makes it: JSON text full of what JSON escapes. */
const REPLIES = '"tw-1"\n[1,1,{"q":"a \\"quoted\\" \\\\ line\\nbreak","u":"é 😀 \u2028"},2,2,"failed: \\"x\\""]';
const CALLS = '["tw-1",3,1,1,"get_users","[{\\"team\\":\\"a\\\\\\"b\\"}]"]';

function framesOf(bytes: Buffer): Array<{ kind: number; id: number; body: Buffer }> {
  const frames: Array<{ kind: number; id: number; body: Buffer }> = [];
  createFrameReader((kind, id, body) => frames.push({ kind, id, body: Buffer.from(body) })).push(bytes);
  return frames;
}

describe('the pool process wire', () => {
  it('sends a host batch in order, each reply frame as its own raw UTF-8 body, the other messages as JSON arrays between them', () => {
    const batch: HostMessage[] = [
      { type: 'setup', key: 1, text: '{"tools":[]}' },
      { type: 'post', threadId: 3, message: { type: 'replies', frame: REPLIES } },
      { type: 'post', threadId: 4, message: { type: 'replies', frame: REPLIES } },
      { type: 'post', threadId: 3, message: { type: 'cancel', executionId: 'tw-1', reason: 'timeout' } },
      { type: 'post', threadId: undefined, message: { type: 'ping', seq: 2 } },
      { type: 'probe', id: 9, windowMs: 50 },
    ];
    const frames = framesOf(encodeHostBatch(batch));
    expect(frames.map(({ kind, id }) => [kind, id])).toEqual([[1, 0], [2, 3], [2, 4], [1, 0]]);
    // The reply text crosses byte for byte: not escaped into a JSON string.
    expect(frames[1]!.body.equals(Buffer.from(REPLIES, 'utf8'))).toBe(true);
    expect(frames.flatMap(({ kind, id, body }) => decodeHostFrame(kind, id, body))).toEqual(batch);
  });

  it('sends a pool process batch in order, each calls frame raw', () => {
    const batch: ChildMessage[] = [
      { type: 'worker', threadId: 2, message: { type: 'calls', frame: CALLS } },
      { type: 'worker', threadId: 2, message: { type: 'output', executionId: 'tw-1', slot: 3, lines: ['a "b"'] } },
      { type: 'settled', slot: 3, outcome: { ok: true, valueJson: '{"a":"\\"x\\""}', output: [], outputTruncated: false } },
      { type: 'worker', threadId: 5, message: { type: 'calls', frame: CALLS } },
    ];
    const frames = framesOf(encodeChildBatch(batch));
    expect(frames.map(({ kind, id }) => [kind, id])).toEqual([[3, 2], [1, 0], [3, 5]]);
    expect(frames[0]!.body.equals(Buffer.from(CALLS, 'utf8'))).toBe(true);
    expect(frames.flatMap(({ kind, id, body }) => decodeChildFrame(kind, id, body))).toEqual(batch);
  });

  it('refuses a frame kind meant for the other direction, an unknown kind, and a body that is not a JSON array', () => {
    const body = Buffer.from('[]');
    for (const thrown of [
      thrownBy(() => decodeChildFrame(2, 1, body)),
      thrownBy(() => decodeHostFrame(3, 1, body)),
      thrownBy(() => decodeHostFrame(0, 0, body)),
      thrownBy(() => decodeChildFrame(9, 0, body)),
      thrownBy(() => decodeChildFrame(1, 0, Buffer.from('[{"type":'))),
      thrownBy(() => decodeHostFrame(1, 0, Buffer.from('{"type":"destroy"}'))),
    ]) {
      expect(thrown).toBeInstanceOf(FrameError);
      expect(thrown.code).toBe('malformed');
    }
  });
});
