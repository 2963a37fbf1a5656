// Owns the producer's check of a job before it enters the queue: its shape (as executeMany
// checks it), its script validated once per distinct source (with the catalog's tool names
// when the producer has one), its context as JSON data. Throws the job's typed error; a job
// that passes is stored as plain data: the source, the context, the id.

import type { BatchJob, JobId } from '../batch/index.js';
import { checkJob } from '../batch/index.js';
import type { ToolCatalog } from '../catalog/index.js';
import { InvalidOptionsError, ToolWeaverError } from '../errors.js';
import { resolveContext } from '../options.js';
import { validateScript } from '../validate/index.js';

/** Most distinct sources whose verdict a producer keeps. */
const MAX_CHECKED_SOURCES = 64;

/** A job as stored in the queue (BullMQ's job data). */
export interface QueuedJobData {
  code: string;
  context?: Record<string, unknown>;
  id: JobId;
  index: number;
}

/** A job that passed the check, before the queue numbers it. */
export type CheckedQueueJob = Omit<QueuedJobData, 'index' | 'id'> & { id: JobId | undefined };

/** Checks jobs for one producer. */
export interface JobChecker {
  /** The job `raw` (the `position`-th of the call, for messages), or throws its typed error. */
  check(raw: BatchJob, position: number): CheckedQueueJob;
}

/** A checker validating scripts against `catalog` (tool names too) or, without one, syntax and security rules only. */
export function createJobChecker(catalog: ToolCatalog | undefined): JobChecker {
  const verdicts = new Map<string, ToolWeaverError | true>();
  let names: ReadonlySet<string> = new Set();
  let version = -1;
  // Verdicts and names follow the catalog: a changed catalog means checking again.
  const refresh = (): void => {
    if (catalog === undefined || catalog.version === version) return;
    version = catalog.version;
    names = new Set(catalog.list().flatMap((tool) => [tool.name, tool.scriptPath[0]!]));
    verdicts.clear();
  };
  const validate = (code: string): void => {
    let verdict = verdicts.get(code);
    if (verdict === undefined) {
      try {
        validateScript(code, { tools: catalog === undefined ? undefined : { tree: catalog.scriptNames, names: catalog.scriptNameList } });
        verdict = true;
      } catch (error) {
        if (!(error instanceof ToolWeaverError)) throw error;
        error.script ??= code;
        verdict = error;
      }
      verdicts.set(code, verdict);
      if (verdicts.size > MAX_CHECKED_SOURCES) verdicts.delete(verdicts.keys().next().value!);
    }
    // SECURITY: "Nothing invalid enters the queue" (docs/queue.md): a script that fails
    // validation is refused at `add`; workers validate again against their own catalog.
    if (verdict !== true) throw verdict;
  };
  return {
    check(raw, index) {
      refresh();
      const job = checkJob(raw, index);
      const id = (raw as { id?: JobId }).id;
      if (job instanceof InvalidOptionsError) throw job;
      if (job.hostContext !== undefined) throw new InvalidOptionsError(`jobs[${index}].hostContext`, `A queued job cannot carry \`hostContext\` (a host value does not cross machines); job ${index} has one`);
      // A CompiledScript was validated by its engine; its source is what a worker compiles.
      const code = typeof job.code === 'string' ? job.code : job.code.source;
      if (typeof job.code === 'string') validate(code);
      // The context is stored as JSON: only JSON data with names usable as script globals.
      resolveContext(job.context, names);
      return job.context === undefined ? { code, id } : { code, context: job.context, id };
    },
  };
}
