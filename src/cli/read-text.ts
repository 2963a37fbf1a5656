// Owns reading the text files named on the command line (scripts). A missing or unreadable
// file is a UsageError naming the flag, not an ENOENT stack trace.

import { readFile } from 'node:fs/promises';
import { UsageError, messageOf } from './usage-error.js';

/** The UTF-8 text of `path`; `what` names it in the error (`script`, `--code`). */
export async function readText(path: string, what: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    throw new UsageError(`Cannot read the ${what} \`${path}\`: ${messageOf(error)}`);
  }
}
