// Owns the fast, scope-free walk over a parsed JavaScript script: structural violations
// (import, export, import.meta, reserved names), identifiers that may reference a forbidden
// global, forbidden names the script declares, and where checkpoints go (what each node says
// is note-facts.ts). Runs on every script not erased from TypeScript: an explicit stack
// instead of recursion over code (only binding patterns recurse), and no allocation per node
// beyond the stack.

import type { File, Node } from '@babel/types';
import { checkReservedName, emptyFacts, factShapeOf, noteBinding, noteNode, noteReference, type FactShape, type ScriptFacts } from './note-facts.js';
import { readChild } from './read-child.js';

export type { CalledName, ScriptFacts } from './note-facts.js';

function pushChild(stack: Node[], child: unknown): void {
  if (Array.isArray(child)) {
    for (const item of child) if (item !== null) stack.push(item as Node);
  } else if (child !== null && typeof child === 'object') {
    stack.push(child as Node);
  }
}

/**
 * Records the names a binding pattern declares; its default values and computed keys are
 * code and go back on the walk stack. Anything unexpected is walked as code, which can only
 * add references (the safe direction).
 */
function bindPattern(node: Node, stack: Node[], facts: ScriptFacts): void {
  switch (node.type) {
    case 'Identifier':
      noteBinding(node, facts);
      return;
    case 'ObjectPattern':
      for (const property of node.properties) {
        if (property.type === 'RestElement') {
          bindPattern(property.argument, stack, facts);
        } else {
          if (property.computed) stack.push(property.key);
          bindPattern(property.value, stack, facts);
        }
      }
      return;
    case 'ArrayPattern':
      for (const element of node.elements) if (element !== null) bindPattern(element, stack, facts);
      return;
    case 'AssignmentPattern':
      bindPattern(node.left, stack, facts);
      stack.push(node.right);
      return;
    case 'RestElement':
      bindPattern(node.argument, stack, facts);
      return;
    default:
      stack.push(node);
  }
}

function visitChildren(node: Node, shape: FactShape, stack: Node[], facts: ScriptFacts): void {
  const record = node as unknown as Record<string, unknown>;
  const { keys, roles, keyIds } = shape;
  for (let i = 0; i < keys.length; i++) {
    const child = readChild(node, keyIds[i]!, keys[i]!);
    if (child === null || child === undefined) continue;
    const role = roles[i];
    if (role === 'name' && record.computed !== true) continue;
    if (role !== 'bind') {
      pushChild(stack, child);
    } else if (Array.isArray(child)) {
      for (const item of child) if (item !== null) bindPattern(item as Node, stack, facts);
    } else {
      bindPattern(child as Node, stack, facts);
    }
  }
}

/** Walks `ast` once, without scope analysis, and returns what validation needs from it. */
export function collectFacts(ast: File): ScriptFacts {
  const facts = emptyFacts();
  const stack: Node[] = [ast.program];
  for (let node = stack.pop(); node !== undefined; node = stack.pop()) {
    if (node.type === 'Identifier') {
      noteReference(node, facts);
      continue;
    }
    if (node.type === 'UnaryExpression' && node.operator === 'typeof' && node.argument.type === 'Identifier') {
      // `typeof process` is feature detection, not a use: it reads "undefined" in the sandbox
      // (SES's scope terminator answers every unknown free name with undefined, and no
      // forbidden name is on a Compartment's global object). Only the name rule still applies.
      checkReservedName(node.argument, facts);
      continue;
    }
    const shape = factShapeOf(node.type);
    noteNode(node, shape, facts);
    visitChildren(node, shape, stack, facts);
  }
  return facts;
}
