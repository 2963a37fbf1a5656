// Owns what the TypeScript walk (typescript-walk.ts) notes about the nodes it passes, so that
// its facts are the ones collectFacts finds in the erased AST: each node's role there (code,
// a binding pattern, the name of `typeof name`, or none: a property name, a label), which a
// type wrapper hands on to the expression that takes its place. Never blanks or erases.

import type { Identifier, Node } from '@babel/types';
import type { ChildRole } from './child-roles.js';
import { checkReservedName, noteBinding, noteNode, noteReference, type FactShape, type ScriptFacts } from './note-facts.js';
import { isTypeWrapper } from './erase-typescript.js';

/**
 * How collectFacts reaches a node of the erased AST: not at all (`NO_FACTS`: a property name,
 * a label, a type wrapper's own parts), as code (`CODE`), inside a binding pattern
 * (`BINDING`), or as the name of `typeof name` (`TYPEOF_NAME`, only its reserved-name check).
 * `TYPEOF` is the role a `typeof name` operator hands its children in.
 */
export type FactRole = 0 | 1 | 2 | 3 | 4;
export const NO_FACTS = 0;
export const CODE = 1;
export const BINDING = 2;
export const TYPEOF_NAME = 3;
const TYPEOF = 4;

/** The children collectFacts binds (or walks as code) in each binding pattern (`bindPattern`). */
const PATTERN_SLOTS: Readonly<Record<string, Readonly<Record<string, FactRole>>>> = {
  ObjectPattern: { properties: BINDING },
  // A property of an ObjectPattern; its key is code when computed (see roleOfChild).
  ObjectProperty: { value: BINDING },
  ArrayPattern: { elements: BINDING },
  AssignmentPattern: { left: BINDING, right: CODE },
  RestElement: { argument: BINDING },
};

/** Notes a name in `role`: a reference, a binding, or the name of `typeof name`. */
export function noteName(identifier: Identifier, role: FactRole, facts: ScriptFacts): void {
  if (role === CODE) noteReference(identifier, facts);
  else if (role === BINDING) noteBinding(identifier, facts);
  else if (role === TYPEOF_NAME) checkReservedName(identifier, facts);
}

/** True for `typeof name`, with type wrappers around the name or not (they are erased). */
function isTypeofName(node: Node): boolean {
  if (node.type !== 'UnaryExpression' || node.operator !== 'typeof') return false;
  let argument: Node = node.argument;
  while (isTypeWrapper(argument)) argument = argument.expression;
  return argument.type === 'Identifier';
}

/**
 * Notes what `node` (not a type wrapper, `role` not NO_FACTS) says by itself, as collectFacts
 * does, and returns the role its children are then seen in (roleOfChild). A node in a pattern
 * that is no pattern is walked as code there, and so here.
 */
export function noteOwnFacts(node: Node, shape: FactShape, role: FactRole, facts: ScriptFacts): FactRole {
  if (node.type === 'Identifier') {
    noteName(node, role, facts);
    return NO_FACTS;
  }
  if (role === BINDING && PATTERN_SLOTS[node.type] !== undefined) return BINDING;
  if (isTypeofName(node)) return TYPEOF;
  noteNode(node, shape, facts);
  return CODE;
}

/**
 * True when noteOwnFacts would note nothing for a node of `type` seen as code, and hand its
 * children on as code (most expressions and statements), so the walk need not call it.
 */
export function isSilentAsCode(type: string, shape: FactShape): boolean {
  return !shape.site && !shape.call && !shape.structural && type !== 'Identifier' && type !== 'UnaryExpression';
}

/** The role of `node`'s child under `key` (child-roles.ts calls it `slotRole`), `node` in `own`. */
export function roleOfChild(node: Node, own: FactRole, key: string, slotRole: ChildRole): FactRole {
  if (own === CODE) {
    if (slotRole === 'walk') return CODE;
    if (slotRole === 'bind') return BINDING;
    return slotRole === 'name' && isComputed(node) ? CODE : NO_FACTS;
  }
  if (own === BINDING) {
    if (node.type === 'ObjectProperty' && key === 'key') return isComputed(node) ? CODE : NO_FACTS;
    return PATTERN_SLOTS[node.type]![key] ?? NO_FACTS;
  }
  return own === TYPEOF && key === 'argument' ? TYPEOF_NAME : NO_FACTS;
}

function isComputed(node: Node): boolean {
  return (node as { computed?: boolean }).computed === true;
}
