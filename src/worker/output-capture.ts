// Owns one script's printed output inside the worker: print() and console.*, with the
// line and character caps. Lines can also be streamed out as they are printed.

import type { ScriptLimits } from '../protocol.js';
import { formatLine } from './format-value.js';

/** The output side of one script run. */
export interface OutputCapture {
  /** The functions endowed into the Compartment. Hardened by the caller. */
  readonly print: (...args: unknown[]) => void;
  readonly console: Readonly<Record<'log' | 'info' | 'warn' | 'error' | 'debug', (...args: unknown[]) => void>>;
  /** Lines kept so far, in order. */
  readonly lines: string[];
  /** True once a cap dropped or cut a line. */
  readonly truncated: () => boolean;
}

/**
 * Creates a capture. `onLine` sees each kept line as it is printed (for streaming).
 * SECURITY: "Printed output cannot grow without bound": past `maxOutputLines` lines or
 * `maxOutputChars` characters, lines are cut or dropped and the run is marked truncated.
 */
export function createOutputCapture(limits: Pick<ScriptLimits, 'maxOutputLines' | 'maxOutputChars'>, onLine?: (line: string) => void): OutputCapture {
  const lines: string[] = [];
  let chars = 0;
  let truncated = false;
  const write = (...args: unknown[]): void => {
    if (truncated && (lines.length >= limits.maxOutputLines || chars >= limits.maxOutputChars)) return;
    if (lines.length >= limits.maxOutputLines) {
      truncated = true;
      return;
    }
    const room = limits.maxOutputChars - chars;
    if (room <= 0) {
      truncated = true;
      return;
    }
    let line = formatLine(args, room + 1);
    if (line.length > room) {
      line = line.slice(0, room);
      truncated = true;
    }
    chars += line.length;
    lines.push(line);
    onLine?.(line);
  };
  const print = (...args: unknown[]): void => write(...args);
  // One function per method, so each has its own name (`console.log.name` is "log").
  const console = {
    log: (...args: unknown[]): void => write(...args),
    info: (...args: unknown[]): void => write(...args),
    warn: (...args: unknown[]): void => write(...args),
    error: (...args: unknown[]): void => write(...args),
    debug: (...args: unknown[]): void => write(...args),
  };
  return { print, console, lines, truncated: () => truncated };
}
