// Owns the one call to @babel/parser and the mapping of its errors to ScriptSyntaxError.
// Scripts parse as modules (strict, top-level await) with `return` allowed at top level.
// Must never let a parse error through as anything but ScriptSyntaxError or a violation.

import { parse } from '@babel/parser';
import type { ParseError, ParseResult } from '@babel/parser';
import type { File } from '@babel/types';
import { ScriptSyntaxError, type Violation } from '../errors.js';
import type { ScriptFacts } from './note-facts.js';
import { RULE_MESSAGES, createViolation } from './rules.js';

/** A parsed script and the violations the parser itself found. */
export interface ParsedScript {
  ast: File;
  /** `with` statements, reported by the parser as recovered strict-mode errors. */
  violations: Violation[];
  /** collectFacts(ast), when the walk that erased a TypeScript AST gathered them already. */
  facts?: ScriptFacts;
}

/** What a thrown Babel error carries besides its message. */
interface BabelErrorShape {
  message?: unknown;
  loc?: { line?: unknown; column?: unknown } | null;
}

/** Babel appends ` (line:column)` to its messages; the error carries them as fields already. */
function toSyntaxError(error: BabelErrorShape | ParseError): ScriptSyntaxError {
  const message = typeof error.message === 'string' ? error.message : 'Invalid script';
  const line = typeof error.loc?.line === 'number' ? error.loc.line : 1;
  const column = typeof error.loc?.column === 'number' ? error.loc.column + 1 : 1;
  return new ScriptSyntaxError(message.replace(/ \(\d+:\d+\)$/, ''), line, column, { cause: error });
}

function isBabelError(error: unknown): error is BabelErrorShape & Error {
  return error instanceof SyntaxError && 'loc' in error;
}

/** Babel's parse of `source`, its errors thrown as Babel's, without stack traces. */
function parseWithBabel(source: string, options: { typescript?: boolean; recover?: boolean }): ParseResult<File> {
  // Babel's TypeScript plugin tries readings that fail (`(a: T) =>` or a parenthesized
  // expression?) and catches its own errors; capturing a stack for each of them was a tenth
  // of a TypeScript parse. A ScriptSyntaxError made from one gets its own stack.
  const stackTraceLimit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return parse(source, {
      // Code from a TypeScript fence, or that failed to parse as JavaScript: TypeScript
      // reads some valid JavaScript differently (`a < b > (c)` is a call there).
      plugins: options.typescript === true ? ['typescript'] : [],
      sourceType: 'module',
      allowReturnOutsideFunction: true,
      // `export { x }` of an undeclared `x` would otherwise be a syntax error that hides the
      // `export-declaration` violation.
      allowUndeclaredExports: true,
      errorRecovery: options.recover !== false,
      // Comments are never printed back (normalize drops them); attaching them costs time.
      attachComment: false,
    });
  } finally {
    Error.stackTraceLimit = stackTraceLimit;
  }
}

/**
 * Parses `source` once. Throws ScriptSyntaxError for the first real syntax error, including
 * the ones Babel recovers from (`errorRecovery` is on only so that `with` can be reported as
 * a violation next to the others rather than as a syntax error). With `typescript`, the AST
 * holds TypeScript nodes: only strip-typescript.ts reads such an AST (and hands it on only
 * once erased to JavaScript). With `recover: false`, the parse stops at the first error (a
 * cheap probe: recovering, Babel reads a whole markdown reply as JavaScript with a recovered
 * error per line).
 */
export function parseScript(source: string, options: { typescript?: boolean; recover?: boolean } = {}): ParsedScript {
  let ast: ParseResult<File>;
  try {
    ast = parseWithBabel(source, options);
  } catch (error) {
    if (isBabelError(error)) throw toSyntaxError(error);
    throw error;
  }
  const violations: Violation[] = [];
  for (const error of ast.errors ?? []) {
    if (error.reasonCode !== 'StrictWith') throw toSyntaxError(error);
    // SECURITY: "Scripts cannot reach eval, Function, require, import, process or the
    // host globals": `with` would let a script re-scope free names.
    violations.push(createViolation('with-statement', RULE_MESSAGES['with-statement'], error.loc));
  }
  return { ast, violations };
}

/**
 * `source` parsed as JavaScript, stopping at its first error, or undefined when it does not
 * parse: a probe whose error nobody reads, so none is made (a reply's prose fails on line 1).
 * The AST holds no violation: a `with` statement fails the parse.
 */
export function probeScript(source: string): ParsedScript | undefined {
  try {
    return { ast: parseWithBabel(source, { recover: false }), violations: [] };
  } catch (error) {
    if (isBabelError(error)) return undefined;
    throw error;
  }
}
