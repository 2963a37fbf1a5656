// Owns reading the JSONL jobs of `batch` from a file, a pipe or standard input (`-`): one job
// per non-blank line, parsed only when the batch asks for it, so a file of a million jobs is
// never held in memory. Counts ahead only for regular files: a pipe can be read only once.

import type { FileHandle } from 'node:fs/promises';
import { open } from 'node:fs/promises';
import { createInterface } from 'node:readline';
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
  /** The jobs, read once, in order. */
  lines(): AsyncGenerator<JobLine, void, undefined>;
  /** Releases the file, read or not. Never throws. */
  close(): Promise<void>;
}

type Stream = NodeJS.ReadableStream;

async function* nonBlankLines(input: Stream): AsyncGenerator<{ line: number; text: string }, void, undefined> {
  let line = 0;
  for await (const text of createInterface({ input, crlfDelay: Infinity })) {
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

async function* jobLines(input: Stream, code: string | undefined): AsyncGenerator<JobLine, void, undefined> {
  for await (const { line, text } of nonBlankLines(input)) yield toJobLine(line, text, code);
}

async function countJobs(handle: FileHandle): Promise<number> {
  let count = 0;
  // Positional reads from offset 0: the handle's own offset is left for the real pass.
  for await (const _ of nonBlankLines(handle.createReadStream({ encoding: 'utf8', start: 0, autoClose: false }))) count++;
  return count;
}

async function openFile(path: string): Promise<FileHandle> {
  let handle: FileHandle | undefined;
  try {
    handle = await open(path, 'r');
    if ((await handle.stat()).isDirectory()) throw new Error('it is a directory');
    return handle;
  } catch (error) {
    await handle?.close();
    throw new UsageError(`Cannot read the jobs file \`${path}\`: ${messageOf(error)}`);
  }
}

/**
 * Opens the jobs at `path` (`-`: standard input). Without `code`, each line is a job
 * `{ code, context?, id? }`; with `code`, each line is the context of one run of that script.
 */
export async function openJobs(path: string, code: string | undefined): Promise<JobsInput> {
  if (path === '-') {
    return { name: 'standard input', total: undefined, lines: () => jobLines(process.stdin.setEncoding('utf8'), code), close: async () => {} };
  }
  const handle = await openFile(path);
  // A pipe, a FIFO, /dev/stdin or a process substitution is read once, by the batch itself.
  const total = (await handle.stat()).isFile() ? await countJobs(handle) : undefined;
  const stream = (): Stream => handle.createReadStream({ encoding: 'utf8', autoClose: false, ...(total === undefined ? {} : { start: 0 }) });
  return { name: `\`${path}\``, total, lines: () => jobLines(stream(), code), close: () => handle.close().catch(() => {}) };
}
