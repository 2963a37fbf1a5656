import { describe, expect, it } from 'vitest';
import { createFrameReader, encodeFrames, FRAME_HEADER_BYTES, FrameError, type OutgoingFrame } from '../../src/pool/frames.js';
import { thrownBy } from '../helpers.js';

interface Received {
  kind: number;
  id: number;
  text: string;
}

function readerInto(received: Received[], maxFrameBytes?: number) {
  return createFrameReader((kind, id, body) => received.push({ kind, id, text: body.toString('utf8') }), maxFrameBytes);
}

/** Texts a frame must carry unchanged: quotes, escapes, line breaks, JSON's own separators, multi-byte characters. */
const FRAMES: OutgoingFrame[] = [
  { kind: 1, id: 0, text: '[{"type":"ready"}]' },
  { kind: 2, id: 7, text: '"tw-1"\n[1,1,{"a":"quote \\" backslash \\\\ tab \\t"},2,2,"no"]' },
  { kind: 3, id: 4_294_967_295, text: '' },
  { kind: 2, id: 1, text: 'é ∑ 😀 \u2028 \u2029 \u0000 end' },
];

describe('frames', () => {
  it('reads back every frame, in order, whatever the chunks the stream is cut into', () => {
    const bytes = encodeFrames(FRAMES);
    // Every cut point into two chunks (a header, a body or a multi-byte character split), then byte by byte.
    for (let cut = 0; cut <= bytes.length; cut++) {
      const received: Received[] = [];
      const reader = readerInto(received);
      reader.push(bytes.subarray(0, cut));
      reader.push(bytes.subarray(cut));
      expect(received).toEqual(FRAMES);
      expect(reader.pendingBytes).toBe(0);
    }
    const received: Received[] = [];
    const reader = readerInto(received);
    for (let at = 0; at < bytes.length; at++) reader.push(bytes.subarray(at, at + 1));
    expect(received).toEqual(FRAMES);
  });

  it('hands over a frame only once all of it has arrived, and counts what waits', () => {
    const bytes = encodeFrames([{ kind: 1, id: 0, text: 'x'.repeat(100) }]);
    const received: Received[] = [];
    const reader = readerInto(received);
    reader.push(bytes.subarray(0, 50));
    expect(received).toEqual([]);
    expect(reader.pendingBytes).toBe(50);
    reader.push(bytes.subarray(50, bytes.length - 1));
    expect(received).toEqual([]);
    expect(reader.pendingBytes).toBe(bytes.length - 1);
    reader.push(bytes.subarray(bytes.length - 1));
    expect(received).toEqual([{ kind: 1, id: 0, text: 'x'.repeat(100) }]);
    expect(reader.pendingBytes).toBe(0);
  });

  it('refuses a header that claims more than the cap before its body arrives, and reads nothing after it', () => {
    const received: Received[] = [];
    const reader = readerInto(received, 1_000);
    const good = encodeFrames([{ kind: 1, id: 0, text: 'y'.repeat(1_000) }]);
    const header = Buffer.alloc(FRAME_HEADER_BYTES);
    header.writeUInt32LE(1_001, 0);
    // A frame at the cap passes; the next header, one byte over, is refused at once.
    expect(() => reader.push(Buffer.concat([good, header]))).toThrow(FrameError);
    expect(received).toHaveLength(1);
    const thrown = thrownBy(() => reader.push(good));
    expect(thrown).toBeInstanceOf(FrameError);
    expect(thrown.code).toBe('too-large');
    expect(received).toHaveLength(1);
    expect(reader.pendingBytes).toBe(0);
  });

  it('refuses the largest header a u32 can write under the default cap', () => {
    const header = Buffer.alloc(FRAME_HEADER_BYTES);
    header.writeUInt32LE(0xffff_ffff, 0);
    const reader = createFrameReader(() => {});
    const error = thrownBy(() => reader.push(header));
    expect(error).toBeInstanceOf(FrameError);
    expect(error.code).toBe('too-large');
  });

  it('refuses to encode a body over the cap, counting UTF-8 bytes, not characters', () => {
    expect(encodeFrames([{ kind: 1, id: 0, text: 'a'.repeat(30) }], 30).length).toBe(FRAME_HEADER_BYTES + 30);
    const error = thrownBy(() => encodeFrames([{ kind: 1, id: 0, text: 'é'.repeat(16) }], 30));
    expect(error).toBeInstanceOf(FrameError);
    expect(error.code).toBe('too-large');
  });
});
