// Owns the mapping from how a script called a tool (positional or one object of named
// arguments) to the one named-arguments object every handler receives. Pure.

import type { RegisteredTool } from './types.js';

/** Named arguments for the handler, or why the call is malformed (the caller prefixes the tool name the script used). */
export type NamedArguments = { ok: true; value: unknown } | { ok: false; message: string };

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * One plain-object argument is the named form when every key is a declared parameter (or
 * the tool declares none). Otherwise a single argument is positional: it fills the first
 * parameter. This keeps `update_profile({ name })` (named) and `save_doc({ title })` where
 * `doc` is the only parameter (positional) both working.
 */
function isNamedForm(args: readonly unknown[], parameters: readonly string[]): boolean {
  if (args.length !== 1) return false;
  const [only] = args;
  if (!isPlainObject(only)) return false;
  if (parameters.length === 0) return true;
  return Object.keys(only).every((key) => parameters.includes(key));
}

/** Maps the script's argument list onto the tool's named-arguments object. */
export function toNamedArguments(tool: RegisteredTool, args: readonly unknown[]): NamedArguments {
  const { parameters } = tool;
  if (parameters === undefined) {
    if (args.length > 1) {
      return { ok: false, message: `takes at most 1 argument, got ${args.length}` };
    }
    return { ok: true, value: args[0] };
  }
  if (isNamedForm(args, parameters)) return { ok: true, value: args[0] };
  if (args.length > parameters.length) {
    const expected = parameters.length === 0 ? 'no arguments' : `at most ${parameters.length} (${parameters.join(', ')})`;
    return { ok: false, message: `takes ${expected}, got ${args.length} arguments` };
  }
  const named: Record<string, unknown> = {};
  // A loop, not forEach: no closure per tool call (a hole reads undefined: skipped, as before).
  for (let index = 0; index < args.length; index++) {
    const key = parameters[index];
    const value = args[index];
    if (key !== undefined && value !== undefined) named[key] = value;
  }
  return { ok: true, value: named };
}
