// Owns reading the JSONL jobs of `batch` from a file, a pipe or standard input (`-`): one job
// per non-blank line, parsed only when the batch asks for it, so a file of a million jobs is
// never held in memory. Counts ahead only for regular files: a pipe can be read only once.

import { closeSync, createReadStream, fstat, open as openFd, type Stats } from 'node:fs';
import { Socket } from 'node:net';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';
import { UsageError, messageOf } from './usage-error.js';

/** One non-blank line of the jobs input. */
export interface JobLine {
  /** 1-based line number in the input; blank lines count. */
  line: number;
  /** What the batch receives: the job, `{ code, context }` with `--code`, or the raw text when not JSON. */
  job: unknown;
  /** JSON.parse's message when the line is not JSON; the batch then rejects the job without running it. */
  parseError?: string;
}

/** The jobs input of one batch, opened and checked. */
export interface JobsInput {
  /** How the input is named in messages: its path, or `standard input`. */
  name: string;
  /** Jobs the input will give, counted ahead for a regular file; undefined for a pipe or `-`. */
  total: number | undefined;
  /**
   * The jobs, read once, in order. `interrupt` stops the reading of a stream (a pipe may never
   * end); a regular file is read to its end, so each of its jobs gets an outcome.
   */
  lines(interrupt: AbortSignal): AsyncGenerator<JobLine, void, undefined>;
  /** Releases the file, read or not. Never throws. */
  close(): Promise<void>;
}

type Stream = NodeJS.ReadableStream;

async function* nonBlankLines(input: Stream, stop?: AbortSignal): AsyncGenerator<{ line: number; text: string }, void, undefined> {
  let line = 0;
  // An aborted `stop` closes the interface, which ends this loop without an error.
  for await (const text of createInterface({ input, crlfDelay: Infinity, ...(stop === undefined ? {} : { signal: stop }) })) {
    line++;
    if (text.trim() !== '') yield { line, text };
  }
}

function toJobLine(line: number, text: string, code: string | undefined): JobLine {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text) as unknown;
  } catch (error) {
    // The raw text is not an object: the batch rejects it as malformed and never runs it.
    return { line, job: text, parseError: messageOf(error) };
  }
  return { line, job: code === undefined ? parsed : { code, context: parsed } };
}

async function* jobLines(input: Stream, code: string | undefined, stop?: AbortSignal): AsyncGenerator<JobLine, void, undefined> {
  for await (const { line, text } of nonBlankLines(input, stop)) yield toJobLine(line, text, code);
}

async function countJobs(fd: number): Promise<number> {
  let count = 0;
  // Positional reads from offset 0: the file's own offset is left for the real pass.
  for await (const _ of nonBlankLines(createReadStream('', { fd, encoding: 'utf8', start: 0, autoClose: false }))) count++;
  return count;
}

async function openFile(path: string): Promise<{ fd: number; stats: Stats }> {
  let fd: number | undefined;
  try {
    fd = await promisify(openFd)(path, 'r');
    const stats = await promisify(fstat)(fd);
    if (stats.isDirectory()) throw new Error('it is a directory');
    return { fd, stats };
  } catch (error) {
    if (fd !== undefined) closeSync(fd);
    throw new UsageError(`Cannot read the jobs file \`${path}\`: ${messageOf(error)}`);
  }
}

/** A stream on `fd` and how to release it. A pipe is read as a socket, so closing it never waits for its writer. */
function streamOf(fd: number, stats: Stats): { stream: () => Stream; close: () => void } {
  if (stats.isFIFO() || stats.isSocket()) {
    // The socket owns the descriptor from here: destroying it closes it.
    const socket = new Socket({ fd, readable: true, writable: false });
    return { stream: () => socket.setEncoding('utf8'), close: () => void socket.destroy() };
  }
  const start = stats.isFile() ? { start: 0 } : {};
  return {
    stream: () => createReadStream('', { fd, encoding: 'utf8', autoClose: false, ...start }),
    close: () => closeSync(fd),
  };
}

/**
 * Opens the jobs at `path` (`-`: standard input). Without `code`, each line is a job
 * `{ code, context?, id? }`; with `code`, each line is the context of one run of that script.
 */
export async function openJobs(path: string, code: string | undefined): Promise<JobsInput> {
  if (path === '-') {
    // Closed at the end so a writer still attached (a batch ended early) cannot keep the CLI alive.
    const close = async (): Promise<void> => void process.stdin.destroy();
    return { name: 'standard input', total: undefined, lines: (interrupt) => jobLines(process.stdin.setEncoding('utf8'), code, interrupt), close };
  }
  const { fd, stats } = await openFile(path);
  // A pipe, a FIFO, /dev/stdin or a process substitution is read once, by the batch itself.
  const total = stats.isFile() ? await countJobs(fd) : undefined;
  const { stream, close } = streamOf(fd, stats);
  let closed = false;
  return {
    name: `\`${path}\``,
    total,
    lines: (interrupt) => jobLines(stream(), code, total === undefined ? interrupt : undefined),
    close: async () => {
      if (closed) return;
      closed = true;
      try {
        close();
      } catch {
        // Already closed by its stream: nothing left to release.
      }
    },
  };
}
