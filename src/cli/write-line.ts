// Owns writing lines to stdout with backpressure: a reader slower than the batch (a pipe)
// slows the batch instead of growing the stream's buffer without bound.

import { once } from 'node:events';

/** Writes `text` and a newline; waits for `drain` when the stream's buffer is full. */
export async function writeLine(stream: NodeJS.WritableStream, text: string): Promise<void> {
  if (!stream.write(`${text}\n`)) await once(stream, 'drain');
}
