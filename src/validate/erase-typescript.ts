// Owns turning a TypeScript AST, in place, into the AST its blanked text parses to as
// JavaScript, so validation needs one parse, not two. Only for blanks it knows exactly
// (annotations, type arguments, `as`, `satisfies`, `!`, interfaces, type aliases, on one
// line); anything else makes the caller parse the blanked text again. Never edits text.

import type { Node } from '@babel/types';
import { hasLineBreak } from './blank-text.js';
import { childKeyId, readChild } from './read-child.js';

/** Keys of JavaScript nodes that hold only types (set to undefined when erased). */
export const TYPE_KEYS: readonly string[] = ['typeAnnotation', 'returnType', 'typeParameters', 'typeArguments', 'superTypeParameters', 'superTypeArguments'];

/** Expressions that are their `expression` plus a type: erased, they are that expression. */
const WRAPPERS: ReadonlySet<string> = new Set(['TSAsExpression', 'TSSatisfiesExpression', 'TSNonNullExpression', 'TSTypeAssertion', 'TSInstantiationExpression']);

/** Statements blanked whole that erase to an empty statement: types, gone at run time. */
const ERASED_STATEMENTS: ReadonlySet<string> = new Set(['TSInterfaceDeclaration', 'TSTypeAliasDeclaration']);

/** True when `node` is an expression with a type around it (`x as T`, `x!`, `<T>x`, `f<T>`). */
export function isTypeWrapper(node: Node): node is Node & { expression: Node } {
  return WRAPPERS.has(node.type);
}

/** True when a statement blanked whole erases to `;` (an interface or a type alias). */
export function isErasedStatement(node: Node): boolean {
  return ERASED_STATEMENTS.has(node.type);
}

/**
 * True when blanking [start, end) of `text` cannot change how the code around it parses:
 * no line break in it nor between it and the code on either side, and no comment or slash
 * next to it. Automatic semicolon insertion looks at line breaks between tokens, and only
 * those can make a blank change the parse (TypeScript and JavaScript tokens are the same
 * otherwise); a range that fails this is re-parsed, never guessed.
 */
export function isLineLocal(text: string, start: number, end: number): boolean {
  // Character codes: 32 space, 9 tab, 47 slash.
  let before = start - 1;
  while (before >= 0 && (text.charCodeAt(before) === 32 || text.charCodeAt(before) === 9)) before--;
  let after = end;
  while (after < text.length && (text.charCodeAt(after) === 32 || text.charCodeAt(after) === 9)) after++;
  if (before < 0 || after >= text.length) return false;
  if (text.charCodeAt(before) === 47 || text.charCodeAt(after) === 47 || hasLineBreak(text, before, before + 1) || hasLineBreak(text, after, after + 1)) return false;
  return !hasLineBreak(text, start, end);
}

/** The empty statement a statement blanked to `;` parses to, at that `;`. */
export function emptyStatementAt(node: Node): Node {
  const start = node.loc!.start;
  const empty = {
    type: 'EmptyStatement',
    start: node.start!,
    end: node.start! + 1,
    loc: { start, end: { line: start.line, column: start.column + 1, index: start.index + 1 }, filename: undefined, identifierName: undefined },
  };
  return empty as unknown as Node;
}

/**
 * The expression inside the type wrappers `node` is, marked parenthesized when the outer
 * wrapper was (`(x as T)` blanks to `(x     )`, whose `x` is parenthesized).
 */
export function unwrapTypes(node: Node): Node {
  let inner: Node = node;
  let parenStart: unknown;
  while (isTypeWrapper(inner)) {
    // Babel records the outermost parenthesis of an expression.
    if (inner.extra?.parenthesized === true && parenStart === undefined) parenStart = inner.extra.parenStart;
    inner = inner.expression;
  }
  if (parenStart !== undefined) {
    inner.extra = { ...inner.extra, parenthesized: true, parenStart };
  }
  return inner;
}

/**
 * Drops the types `node` (of `text`) holds itself (under `typeKeys`, those of its type among
 * TYPE_KEYS); an identifier ends where its name ends again, a generic arrow starts at its `(`.
 */
export function eraseOwnTypes(node: Node, text: string, typeKeys: readonly string[] = TYPE_KEYS, typeKeyIds: readonly number[] = typeKeys.map(childKeyId)): void {
  const record = node as unknown as Record<string, unknown>;
  // `<T,>(x) => x` starts at `<`; erased, it starts at `(`, past the blanks (on its line).
  if (node.type === 'ArrowFunctionExpression' && node.typeParameters != null && node.typeParameters.start === node.start) {
    let start = node.typeParameters.end!;
    while (text[start] === ' ' || text[start] === '\t') start++;
    const shift = start - node.start!;
    const { line, column, index } = node.loc!.start;
    node.start = start;
    node.loc = { ...node.loc!, start: { line, column: column + shift, index: index + shift } };
  }
  for (let k = 0; k < typeKeys.length; k++) if (readChild(node, typeKeyIds[k]!, typeKeys[k]!) != null) record[typeKeys[k]!] = undefined;
  if (node.type === 'Identifier' && node.end! > node.start! + node.name.length) {
    if (node.optional === true) node.optional = undefined;
    node.end = node.start! + node.name.length;
    const start = node.loc!.start;
    node.loc = { ...node.loc!, end: { line: start.line, column: start.column + node.name.length, index: start.index + node.name.length } };
  }
}
