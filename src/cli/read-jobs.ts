// Owns reading a JSONL jobs file for `batch`: one job per non-blank line, parsed only when
// the batch asks for it (readline pauses the file while the batch is full), so a file of a
// million jobs is never held in memory. A bad line becomes that job's rejected outcome.

import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';

function linesOf(path: string): AsyncIterable<string> {
  return createInterface({ input: createReadStream(path, 'utf8'), crlfDelay: Infinity });
}

function parseLine(line: string): unknown {
  try {
    return JSON.parse(line) as unknown;
  } catch {
    // Left as text: the batch rejects it as a malformed job (or context), with this job's index.
    return line;
  }
}

/**
 * The jobs of the file at `path`. Without `code`, each line is a job `{ code, context?, id? }`;
 * with `code`, each line is the context of one run of that script.
 */
export async function* readJobs(path: string, code: string | undefined): AsyncGenerator<unknown, void, undefined> {
  for await (const line of linesOf(path)) {
    if (line.trim() === '') continue;
    const parsed = parseLine(line);
    yield code === undefined ? parsed : { code, context: parsed };
  }
}

/** How many jobs `readJobs` will give, counted in one streaming pass (for the progress bar's ETA). */
export async function countJobs(path: string): Promise<number> {
  let count = 0;
  for await (const line of linesOf(path)) if (line.trim() !== '') count++;
  return count;
}
