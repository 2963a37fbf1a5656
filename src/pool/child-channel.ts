// Owns the host's end of a pool process's data channel: the extra stdio pipe (fd 4) that
// carries every message both ways as frames (frames.ts, process-wire.ts). The IPC channel
// fork() opens stays, unused, as the child's lifeline. A child whose stream breaks the
// framing is killed: nothing more it sends is read, and its death is handled as any other.

import type { ChildProcess } from 'node:child_process';
import type { Socket } from 'node:net';
import { createFrameReader, FrameError } from './frames.js';
import type { ChildMessage, HostMessage } from './process-protocol.js';
import { decodeChildFrame, encodeHostBatch } from './process-wire.js';

/**
 * The stdio index of the data channel, in the host's fork and in the pool process. Both ends
 * read and write it: libuv makes a stdio pipe a socketpair on Linux and macOS (not verified
 * on Windows, where the pool process has not been tested).
 */
export const DATA_FD = 4;

/** The host's end of one child's data channel. */
export interface ChildChannel {
  /**
   * Who hears the child's messages from now on, a batch per read (the messages its frames
   * completed). A prewarmed child's holder listens first and the adopting pool takes over.
   */
  listen(onBatch: (batch: ChildMessage[]) => void): void;
  /** Sends a batch in one write; nothing once the channel is gone. */
  send(batch: HostMessage[]): void;
  /** The pipe, to ref or unref with the child's other handles; undefined for a failed spawn. */
  readonly handle: Socket | undefined;
  /** Why the channel was cut, if the child broke the framing (the death's detail). */
  readonly fault: FrameError | undefined;
}

export function openChildChannel(spawned: ChildProcess): ChildChannel {
  const socket = (spawned.stdio[DATA_FD] ?? undefined) as Socket | undefined;
  let onBatch: (batch: ChildMessage[]) => void = () => {};
  let fault: FrameError | undefined;
  let batch: ChildMessage[] = [];
  const reader = createFrameReader((kind, id, body) => {
    for (const message of decodeChildFrame(kind, id, body)) batch.push(message);
  });
  const cut = (error: unknown): void => {
    if (!(error instanceof FrameError)) throw error;
    fault = error;
    spawned.kill('SIGKILL');
  };
  socket?.on('data', (chunk: Buffer) => {
    if (fault !== undefined) return;
    try {
      reader.push(chunk);
    } catch (error) {
      // SECURITY: "An allocation that aborts a whole Node process cannot take the host down":
      // a pool process is not trusted to frame its stream; one that breaks it is ended and
      // never makes the host buffer what a header claims.
      cut(error);
    }
    // What the frames before a fault said is still heard: the child sent it.
    const complete = batch;
    batch = [];
    if (complete.length > 0) onBatch(complete);
  });
  // A write to a pipe the child just closed fails; its 'close' follows.
  socket?.on('error', () => {});
  return {
    listen(listener) {
      onBatch = listener;
    },
    send(messages) {
      if (socket === undefined || socket.destroyed || !socket.writable || fault !== undefined) return;
      let bytes: Buffer;
      try {
        bytes = encodeHostBatch(messages);
      } catch (error) {
        // A message over the frame cap (no JS string is): the child cannot be told, so it is
        // ended, and its tasks are lost like any other death's.
        return cut(error);
      }
      socket.write(bytes);
    },
    handle: socket,
    get fault() {
      return fault;
    },
  };
}
