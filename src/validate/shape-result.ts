// Owns making a script's intended result its returned value: the last bare expression
// (`summary;`, `main();`, `(async () => {...})()`) is returned, a bare function is called,
// `export default async function` is called. Applies only to a script with no top-level
// `return`, so a script that returns its value is never touched. Never adds a line.

import type { ExpressionStatement, Node, Program, Statement } from '@babel/types';
import type { SourceEdit } from './insert-checkpoints.js';

/** What shape-result changed, for `metadata.normalized`. */
export type ResultShape = 'wrapper' | 'last-expression';

/** Edits (merged with the checkpoints) that return the last expression, and their kind. */
export interface ResultEdits {
  edits: SourceEdit[];
  shape: ResultShape | undefined;
}

const NO_EDITS: ResultEdits = { edits: [], shape: undefined };

/** True when a `return` sits at the script's top level (in any block, branch or loop, not in a function). */
export function hasTopLevelReturn(statements: readonly Statement[]): boolean {
  return statements.some(returnsAtTopLevel);
}

function returnsAtTopLevel(node: Statement | null | undefined): boolean {
  if (node == null) return false;
  switch (node.type) {
    case 'ReturnStatement':
      return true;
    case 'BlockStatement':
      return hasTopLevelReturn(node.body);
    case 'IfStatement':
      return returnsAtTopLevel(node.consequent) || returnsAtTopLevel(node.alternate);
    case 'ForStatement':
    case 'ForInStatement':
    case 'ForOfStatement':
    case 'WhileStatement':
    case 'DoWhileStatement':
    case 'LabeledStatement':
    case 'WithStatement':
      return returnsAtTopLevel(node.body);
    case 'TryStatement':
      return returnsAtTopLevel(node.block) || returnsAtTopLevel(node.handler?.body) || returnsAtTopLevel(node.finalizer);
    case 'SwitchStatement':
      return node.cases.some((c) => hasTopLevelReturn(c.consequent));
    default:
      return false;
  }
}

/** The last statement that is not empty (`;`, or TypeScript blanked away). */
export function lastStatement(program: Program): Statement | undefined {
  for (let i = program.body.length - 1; i >= 0; i--) {
    if (program.body[i]!.type !== 'EmptyStatement') return program.body[i];
  }
  return undefined;
}

/** `x = 1`, `i++`, `delete o.k`, `void f()`, `print(...)`, `console.log(...)`: done for effect, never returned. */
function isForEffect(expression: Node): boolean {
  switch (expression.type) {
    case 'AssignmentExpression':
    case 'UpdateExpression':
      return true;
    case 'UnaryExpression':
      return expression.operator === 'delete' || expression.operator === 'void';
    case 'AwaitExpression':
      return isForEffect(expression.argument);
    case 'CallExpression': {
      const { callee } = expression;
      if (callee.type === 'Identifier') return callee.name === 'print';
      return callee.type === 'MemberExpression' && callee.object.type === 'Identifier' && callee.object.name === 'console';
    }
    default:
      return false;
  }
}

function topLevelFunctionNames(program: Program): Set<string> {
  const names = new Set<string>();
  for (const statement of program.body) if (statement.type === 'FunctionDeclaration' && statement.id != null) names.add(statement.id.name);
  return names;
}

/** `main()`, `await main()`, `main().catch(...)`, `(async () => {...})()`: running a wrapper. */
function callsWrapper(expression: Node, functions: ReadonlySet<string>): boolean {
  let node = expression.type === 'AwaitExpression' ? expression.argument : expression;
  while (node.type === 'CallExpression' && node.callee.type === 'MemberExpression' && node.callee.object.type === 'CallExpression') {
    node = node.callee.object;
  }
  if (node.type !== 'CallExpression') return false;
  const { callee } = node;
  if (callee.type === 'Identifier') return functions.has(callee.name);
  return callee.type === 'ArrowFunctionExpression' || callee.type === 'FunctionExpression';
}

/** Where `)()` goes to call a bare function statement: before its `;`, after any parenthesis. */
function callAt(statement: ExpressionStatement, text: string): number {
  const end = statement.end!;
  return text[end - 1] === ';' ? end - 1 : end;
}

/**
 * The edits that make the script return its last top-level expression, if it has no
 * top-level `return` and ends with an expression statement not done for effect.
 */
export function findResultEdits(program: Program, text: string): ResultEdits {
  if (hasTopLevelReturn(program.body)) return NO_EDITS;
  const last = lastStatement(program);
  if (last?.type !== 'ExpressionStatement') return NO_EDITS;
  const { expression } = last;
  const start = last.start!;
  if (expression.type === 'ArrowFunctionExpression' || expression.type === 'FunctionExpression') {
    const end = callAt(last, text);
    return {
      edits: [
        { at: start, text: 'return (', closing: false, spanStart: start, spanEnd: end },
        { at: end, text: ')()', closing: true, spanStart: start, spanEnd: end },
      ],
      shape: 'wrapper',
    };
  }
  if (isForEffect(expression)) return NO_EDITS;
  const edits: SourceEdit[] = [{ at: start, text: 'return ', closing: false, spanStart: start, spanEnd: last.end! }];
  return { edits, shape: callsWrapper(expression, topLevelFunctionNames(program)) ? 'wrapper' : 'last-expression' };
}

const LINE_BREAK = /[\n\r\u2028\u2029]/;
const NOT_LINE_BREAK = /[^\n\r\u2028\u2029]/g;

/**
 * `export default async function () {...}` (or an arrow, or a named function) as the last
 * statement of a script with no top-level `return`: the text with `export default` replaced
 * in place by `return (` and `)()` after the function, so it is called and its value
 * returned; undefined when the script has no such statement. Columns before `)()` stay.
 */
export function rewriteExportDefault(program: Program, text: string): string | undefined {
  const last = lastStatement(program);
  if (last?.type !== 'ExportDefaultDeclaration') return undefined;
  const { declaration } = last;
  const isFunction = declaration.type === 'FunctionDeclaration' || declaration.type === 'ArrowFunctionExpression' || declaration.type === 'FunctionExpression';
  if (!isFunction || hasTopLevelReturn(program.body)) return undefined;
  const head = text.slice(last.start!, declaration.start!);
  // `return` followed by a line break would return undefined (ASI).
  if (LINE_BREAK.test(head.slice(0, 8))) return undefined;
  const replaced = `return (${head.slice(8).replace(NOT_LINE_BREAK, ' ')}`;
  return text.slice(0, last.start!) + replaced + text.slice(declaration.start!, declaration.end!) + ')()' + text.slice(declaration.end!);
}
