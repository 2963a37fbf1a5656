// Owns the framing of the byte stream between the host and the pool process: each frame is a
// 9-byte header (body length, kind, a number such as a thread id) and a UTF-8 body, so a text
// crosses as its bytes, never escaped into another JSON text. Knows nothing of messages
// (process-wire.ts). Never buffers a frame whose header claims more than the reader's cap.

/** Bytes before each body: u32 body length, u8 kind, u32 number (little-endian). */
export const FRAME_HEADER_BYTES = 9;

/**
 * The largest body a frame may have: the UTF-8 of the longest string V8 can make
 * (2^29 - 24 UTF-16 units, 3 bytes each at most) and then some. Every text the channel carries
 * is one JS string, so no legitimate frame is refused; a header claiming more is a corrupt or
 * hostile stream, refused before anything is buffered for it.
 */
export const MAX_FRAME_BYTES = 3 * 2 ** 29 + 64 * 1024;

/** One frame as the sender gives it: `text` is written as UTF-8. */
export interface OutgoingFrame {
  kind: number;
  id: number;
  text: string;
}

/** Why a stream broke the framing: its sender is not speaking this protocol, or is hostile. */
export type FrameFault = 'too-large' | 'malformed';

/** A frame refused by its sender or its reader. Internal: the channel's owner ends the channel. */
export class FrameError extends Error {
  readonly code: FrameFault;
  constructor(code: FrameFault, detail: string) {
    super(detail);
    this.name = 'FrameError';
    this.code = code;
  }
}

/** The frames as one buffer, for one write. Throws FrameError (`too-large`) for a body over `maxFrameBytes`. */
export function encodeFrames(frames: readonly OutgoingFrame[], maxFrameBytes = MAX_FRAME_BYTES): Buffer {
  const lengths = new Array<number>(frames.length);
  let total = 0;
  for (let i = 0; i < frames.length; i++) {
    const length = Buffer.byteLength(frames[i]!.text, 'utf8');
    if (length > maxFrameBytes) throw new FrameError('too-large', `a frame of ${length} bytes exceeds the channel's ${maxFrameBytes}`);
    lengths[i] = length;
    total += FRAME_HEADER_BYTES + length;
  }
  const buffer = Buffer.allocUnsafe(total);
  let at = 0;
  for (let i = 0; i < frames.length; i++) {
    const { kind, id, text } = frames[i]!;
    buffer.writeUInt32LE(lengths[i]!, at);
    buffer.writeUInt8(kind, at + 4);
    buffer.writeUInt32LE(id, at + 5);
    at += FRAME_HEADER_BYTES;
    at += buffer.write(text, at, 'utf8');
  }
  return buffer;
}

/** Receives each complete frame, in order; `body` is a view valid only during the call. */
export type FrameHandler = (kind: number, id: number, body: Buffer) => void;

/** Reassembles frames from a byte stream cut anywhere (a header or body split across chunks). */
export interface FrameReader {
  /**
   * Hands over the next chunk; calls the handler for each frame it completes. Throws
   * FrameError (`too-large`) at a header over the cap, and nothing is read after that.
   */
  push(chunk: Buffer): void;
  /** Bytes received that do not yet make a whole frame (a sender that died mid-frame left them). */
  readonly pendingBytes: number;
}

export function createFrameReader(onFrame: FrameHandler, maxFrameBytes = MAX_FRAME_BYTES): FrameReader {
  const chunks: Buffer[] = [];
  /** Bytes in `chunks`, less `offset`: the unread part. */
  let buffered = 0;
  /** Read position in chunks[0]. */
  let offset = 0;
  let header: { length: number; kind: number; id: number } | undefined;
  let broken: FrameError | undefined;

  /** The next `n` buffered bytes: a view when they lie in one chunk, else one copy. */
  const take = (n: number): Buffer => {
    const first = chunks[0]!;
    if (first.length - offset >= n) {
      const view = first.subarray(offset, offset + n);
      offset += n;
      if (offset === first.length) {
        chunks.shift();
        offset = 0;
      }
      buffered -= n;
      return view;
    }
    const joined = Buffer.allocUnsafe(n);
    let filled = 0;
    while (filled < n) {
      const chunk = chunks[0]!;
      const copied = chunk.copy(joined, filled, offset, Math.min(chunk.length, offset + n - filled));
      filled += copied;
      offset += copied;
      if (offset === chunk.length) {
        chunks.shift();
        offset = 0;
      }
    }
    buffered -= n;
    return joined;
  };

  return {
    push(chunk) {
      if (broken !== undefined) throw broken;
      if (chunk.length === 0) return;
      chunks.push(chunk);
      buffered += chunk.length;
      for (;;) {
        if (header === undefined) {
          if (buffered < FRAME_HEADER_BYTES) return;
          const bytes = take(FRAME_HEADER_BYTES);
          const length = bytes.readUInt32LE(0);
          if (length > maxFrameBytes) {
            broken = new FrameError('too-large', `a frame header claims ${length} bytes, over the channel's ${maxFrameBytes}`);
            chunks.length = 0;
            buffered = 0;
            throw broken;
          }
          header = { length, kind: bytes.readUInt8(4), id: bytes.readUInt32LE(5) };
        }
        if (buffered < header.length) return;
        const { length, kind, id } = header;
        header = undefined;
        onFrame(kind, id, length === 0 ? Buffer.alloc(0) : take(length));
      }
    },
    get pendingBytes() {
      return buffered + (header === undefined ? 0 : FRAME_HEADER_BYTES);
    },
  };
}
