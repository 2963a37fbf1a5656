// Owns turning a validated script into a body SES will accept: the source verbatim when no
// SES-rejected sequence appears in it, otherwise code regenerated from the escaped AST. Must
// never change what the script computes, and never hand on text SES would reject.

import generatorModule from '@babel/generator';
import { ScriptSyntaxError } from '../errors.js';
import { escapeSesSequences } from './escape-ast.js';
import { parseScript } from './parse.js';
import { describeSesRejection, findSesRejection } from './ses-patterns.js';

// @babel/generator is CommonJS; under NodeNext its default export arrives on `.default`.
type Generate = typeof generatorModule.default;
const generate: Generate =
  (generatorModule as unknown as { default?: Generate }).default ?? (generatorModule as unknown as Generate);

/** A script body ready to be wrapped for `compartment.evaluate()`. */
export interface NormalizedBody {
  /** The body text; its line N is line N of the submitted script. */
  body: string;
  /** True when the body was regenerated from the AST. */
  regenerated: boolean;
}

/** 1-based line and column of `index` in `text`. */
function positionOf(text: string, index: number): { line: number; column: number } {
  const before = text.slice(0, index);
  const lineStart = before.lastIndexOf('\n') + 1;
  return { line: before.split('\n').length, column: index - lineStart + 1 };
}

/**
 * SECURITY: SES rejects `import(`, `eval(`, `<!--` and `-->` anywhere in the source text.
 * Regenerating drops comments and escapes literals, and this re-check makes sure the engine
 * never ships a body SES would reject: a clear syntax error names the place instead.
 */
function assertSesAccepts(body: string): void {
  const rejection = findSesRejection(body);
  if (rejection === undefined) return;
  const { line, column } = positionOf(body, rejection.index);
  throw new ScriptSyntaxError(
    `${describeSesRejection(rejection.kind)} cannot appear here, even in a name or a tagged ` +
      'template: the sandbox rejects that text anywhere in a script; rename or rephrase it',
    line,
    column,
  );
}

/**
 * The body to evaluate for `text`, an already-validated script (with its checkpoints in).
 * The fast path (no rejected sequence) returns `text` untouched, but for a `#!` line, and
 * never parses or runs the generator. Otherwise `text` is parsed again (the checkpoints must
 * be in the AST that is printed; this path is rare), escaped and printed with `retainLines`.
 */
export function normalizeForSes(text: string): NormalizedBody {
  if (findSesRejection(text) === undefined) {
    // `#!` is only legal as the first characters of a file; as a comment it keeps its line.
    return { body: text.startsWith('#!') ? `//${text.slice(2)}` : text, regenerated: false };
  }
  const { ast } = parseScript(text);
  ast.program.interpreter = null;
  escapeSesSequences(ast);
  const body = generate(ast, { comments: false, retainLines: true }).code;
  assertSesAccepts(body);
  return { body, regenerated: true };
}
