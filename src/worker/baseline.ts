// Owns the unsafe baseline used only by bench/ to measure the physical floor of this design:
// the same task run with plain `new Function` in the same kind of worker. No isolation at all.

import type { RunOutcome, RunTask } from '../protocol.js';
import { toJsonText } from '../json-data.js';
import { createOutputCapture } from './output-capture.js';

/**
 * SECURITY: not a sandbox. Exported from the worker for benchmarks only; the engine never
 * posts a task to it, and scripts cannot choose the handler their task runs on.
 */
export async function unsafeRunBaseline(task: RunTask): Promise<RunOutcome> {
  const output = createOutputCapture(task.limits);
  const run = new Function('print', 'console', `return ${task.code}`) as (...args: unknown[]) => Promise<unknown>;
  const value = await run(output.print, output.console);
  const json = toJsonText(value, 'strict', 'value');
  if (!json.ok) {
    return { ok: false, error: { code: 'ERR_RESULT_NOT_SERIALIZABLE', path: json.path, message: json.reason }, output: output.lines, outputTruncated: false };
  }
  return { ok: true, valueJson: json.text, output: output.lines, outputTruncated: output.truncated() };
}
