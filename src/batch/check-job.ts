// Owns the shape check of one job taken from a batch's source. A malformed job becomes that
// job's InvalidOptionsError outcome; it never throws and never stops the batch.

import { CompiledScript } from '../compiled-script.js';
import { InvalidOptionsError } from '../errors.js';
import type { JobId } from './types.js';

const JOB_KEYS: ReadonlySet<string> = new Set(['code', 'context', 'id', 'hostContext']);

/** A job that passed the shape check. `context` is checked later, by `execute`. */
export interface CheckedJob {
  id: JobId;
  code: string | CompiledScript;
  context: Record<string, unknown> | undefined;
  hostContext: unknown;
}

function isJobId(value: unknown): value is JobId {
  return typeof value === 'string' || (typeof value === 'number' && Number.isFinite(value));
}

/** The id an outcome carries: the job's own when usable, else its index. */
export function idOf(raw: unknown, index: number): JobId {
  const id = typeof raw === 'object' && raw !== null ? (raw as { id?: unknown }).id : undefined;
  return isJobId(id) ? id : index;
}

function invalid(index: number, field: string, message: string): InvalidOptionsError {
  return new InvalidOptionsError(field === '' ? `jobs[${index}]` : `jobs[${index}].${field}`, message);
}

/** Checks the job at `index`; returns it typed, or the error its outcome carries. */
export function checkJob(raw: unknown, index: number): CheckedJob | InvalidOptionsError {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    const got = raw === null ? 'null' : Array.isArray(raw) ? 'an array' : typeof raw;
    return invalid(index, '', `Expected job ${index} to be an object \`{ code, context?, id? }\`, got ${got}`);
  }
  const unknown = Object.keys(raw).find((key) => !JOB_KEYS.has(key));
  if (unknown !== undefined) return invalid(index, unknown, `Unknown field \`${unknown}\` in job ${index}; expected code, context, id, hostContext`);
  const { code, context, id, hostContext } = raw as { code?: unknown; context?: unknown; id?: unknown; hostContext?: unknown };
  if (typeof code !== 'string' && !(code instanceof CompiledScript)) {
    return invalid(index, 'code', `Expected \`code\` of job ${index} to be a string or CompiledScript, got ${code === null ? 'null' : typeof code}`);
  }
  if (id !== undefined && !isJobId(id)) {
    return invalid(index, 'id', `Expected \`id\` of job ${index} to be a string or a finite number, got ${id === null ? 'null' : typeof id}`);
  }
  return { id: id ?? index, code, context: context as Record<string, unknown> | undefined, hostContext };
}
