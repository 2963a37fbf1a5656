// Owns the CLI's `--verbose` log: one stderr line per tool call, written when the call is
// answered, with its timing and outcome. Never logs the script's data (arguments, results).

import type { Engine } from '../engine.js';
import type { ToolEndEvent } from '../observe/index.js';

/** Formats one answered call: `toolweaver: tw-1a2b3c4d #2 get_user ok 3.1 ms 120 B`. */
export function formatToolCall(event: ToolEndEvent): string {
  const outcome = event.ok ? `ok ${event.durationMs} ms ${event.bytes} B` : `failed ${event.code ?? event.errorName ?? 'refused'} ${event.durationMs} ms`;
  const rerun = event.run > 0 ? ` (re-run ${event.run}${event.replayed ? ', replayed' : ''})` : '';
  return `toolweaver: ${event.executionId.slice(0, 11)} #${event.callIndex} ${event.toolName} ${outcome}${rerun}\n`;
}

/** Logs each tool call of `engine` to `stream` as it is answered. */
export function logToolCalls(engine: Engine, stream: NodeJS.WritableStream): void {
  engine.on('tool:end', (event) => void stream.write(formatToolCall(event)));
}
