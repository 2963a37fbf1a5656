// Owns the books of one CLI batch: which input line each job came from (kept only while the
// job is in flight), outcomes counted by error code, and the check that every job read got
// exactly one outcome. Never lets a batch end quietly with an outcome missing.

import type { BatchOutcome } from '../batch/index.js';
import { InvalidOptionsError } from '../errors.js';
import type { JobLine } from './read-jobs.js';
import { errorToJson, outcomeToJson } from './to-json.js';

/** Jobs read against outcomes written; the counts by error code for the summary. */
export class BatchLedger {
  #read = 0;
  #written = 0;
  #fulfilled = 0;
  readonly #byCode = new Map<string, number>();
  readonly #inFlight = new Map<number, JobLine>();

  /** `inputName` names the input in messages (`jobs.jsonl`, `standard input`). */
  constructor(private readonly inputName: string) {}

  /** Jobs taken from the input so far. */
  get read(): number {
    return this.#read;
  }

  /** Outcomes written so far. */
  get written(): number {
    return this.#written;
  }

  /** Passes the input's lines to the batch, recording each job's line under its index. */
  async *jobs(lines: AsyncIterable<JobLine>): AsyncGenerator<unknown, void, undefined> {
    for await (const line of lines) {
      this.#inFlight.set(this.#read++, line);
      yield line.job;
    }
  }

  /** The JSON record of `outcome`, with its input line; a line that was not JSON says why. */
  record(outcome: BatchOutcome): Record<string, unknown> {
    const source = this.#inFlight.get(outcome.index);
    this.#inFlight.delete(outcome.index);
    this.#written++;
    if (outcome.status === 'fulfilled') this.#fulfilled++;
    else this.#byCode.set(outcome.error.code, (this.#byCode.get(outcome.error.code) ?? 0) + 1);
    const { id, index, ...settled } = outcomeToJson(outcome);
    if (source?.parseError !== undefined) {
      const error = new InvalidOptionsError(`jobs[${outcome.index}]`, `Line ${source.line} of ${this.inputName} is not JSON: ${source.parseError}`);
      settled['error'] = errorToJson(error);
    }
    return { id, index, line: source?.line, ...settled };
  }

  /** A message when the batch lost outcomes (or invented some); undefined when the books balance. */
  imbalance(): string | undefined {
    if (this.#read === this.#written) return undefined;
    return `the batch read ${this.#read} jobs from ${this.inputName} but wrote ${this.#written} outcomes; the results are incomplete`;
  }

  /** One line: `N jobs: F fulfilled, R rejected (CODE n, ...)`, codes by count. */
  summary(): string {
    const rejected = this.#written - this.#fulfilled;
    const codes = [...this.#byCode].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([code, n]) => `${code} ${n}`);
    return `${this.#written} jobs: ${this.#fulfilled} fulfilled, ${rejected} rejected${codes.length === 0 ? '' : ` (${codes.join(', ')})`}`;
  }

  /** Outcomes rejected so far. */
  get rejected(): number {
    return this.#written - this.#fulfilled;
  }
}
