// Owns the CLI's exit codes and its usage error. A UsageError never leaves the CLI process:
// it becomes a one-line message and EXIT_USAGE, so it is not part of the library's
// ToolWeaverError hierarchy (whose codes are public API).

/** Every job (or the script) succeeded. */
export const EXIT_OK = 0;
/** The script failed, or at least one job of the batch was rejected. */
export const EXIT_FAILURE = 1;
/** Bad arguments or unusable input: nothing ran. */
export const EXIT_USAGE = 2;
/** Ctrl-C (SIGINT) aborted the work; what had an outcome was still written. 128 + SIGINT, as shells report it. */
export const EXIT_INTERRUPTED = 130;

/** Bad arguments, an unreadable file or an unusable tools module. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** The message of anything thrown, without its stack. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
