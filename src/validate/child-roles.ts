// Owns the one table of what each child slot of a Babel node means for name resolution:
// a binding pattern, a property name (not a reference), or ordinary code to walk. Shared by
// the fast walk and the scope fallback so both agree on what a reference is.

import { VISITOR_KEYS } from '@babel/types';
import type { Node } from '@babel/types';

/**
 * - `walk`: ordinary code; identifiers in it are references.
 * - `bind`: a binding pattern (declares names; defaults and computed keys inside are code).
 * - `name`: a property or member name, code only when the parent is `computed`.
 * - `skip`: a label or other name that is never a reference.
 */
export type ChildRole = 'walk' | 'bind' | 'name' | 'skip';

/** One child slot of a node type, in VISITOR_KEYS order. */
export interface ChildSlot {
  key: string;
  role: ChildRole;
}

const BINDING_KEYS: Readonly<Record<string, readonly string[]>> = {
  VariableDeclarator: ['id'],
  FunctionDeclaration: ['id', 'params'],
  FunctionExpression: ['id', 'params'],
  ArrowFunctionExpression: ['params'],
  ObjectMethod: ['params'],
  ClassMethod: ['params'],
  ClassPrivateMethod: ['params'],
  ClassDeclaration: ['id'],
  ClassExpression: ['id'],
  CatchClause: ['param'],
  ImportSpecifier: ['local'],
  ImportDefaultSpecifier: ['local'],
  ImportNamespaceSpecifier: ['local'],
};

const NAME_KEYS: Readonly<Record<string, string>> = {
  MemberExpression: 'property',
  OptionalMemberExpression: 'property',
  ObjectProperty: 'key',
  ObjectMethod: 'key',
  ClassMethod: 'key',
  ClassPrivateMethod: 'key',
  ClassProperty: 'key',
  ClassPrivateProperty: 'key',
  ClassAccessorProperty: 'key',
};

const SKIP_KEYS: Readonly<Record<string, readonly string[]>> = {
  LabeledStatement: ['label'],
  BreakStatement: ['label'],
  ContinueStatement: ['label'],
  MetaProperty: ['meta', 'property'],
  PrivateName: ['id'],
  ImportSpecifier: ['imported'],
  ImportAttribute: ['key'],
  ExportSpecifier: ['exported'],
  ExportNamespaceSpecifier: ['exported'],
  ExportDefaultSpecifier: ['exported'],
};

function roleOf(type: string, key: string): ChildRole {
  if (BINDING_KEYS[type]?.includes(key) === true) return 'bind';
  if (NAME_KEYS[type] === key) return 'name';
  if (SKIP_KEYS[type]?.includes(key) === true) return 'skip';
  return 'walk';
}

const SLOTS_BY_TYPE = new Map<string, readonly ChildSlot[]>();

/** The child slots of `type`, computed once per node type. */
export function getChildSlots(type: string): readonly ChildSlot[] {
  let slots = SLOTS_BY_TYPE.get(type);
  if (slots === undefined) {
    slots = (VISITOR_KEYS[type] ?? []).map((key) => ({ key, role: roleOf(type, key) }));
    SLOTS_BY_TYPE.set(type, slots);
  }
  return slots;
}

/** True when the child of `parent` at `key` is a name, never a reference to a variable. */
export function isNamePosition(parent: Node, key: string): boolean {
  const role = roleOf(parent.type, key);
  return role === 'skip' || (role === 'name' && !('computed' in parent && parent.computed));
}
