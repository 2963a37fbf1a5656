// Owns what one node of a parsed script says for validation, wherever it is met: a reference
// to a forbidden global, a name it binds, a reserved name, a call of a tool, a structural
// violation, a checkpoint site; and the table of what each node type can say. Shared by the
// walk over a JavaScript AST (collect-facts.ts) and the one over a TypeScript AST.

import type { CallExpression, Identifier, Node, OptionalCallExpression } from '@babel/types';
import type { Violation } from '../errors.js';
import { FORBIDDEN_GLOBALS, isReservedName } from '../globals.js';
import { getChildSlots, type ChildRole } from './child-roles.js';
import { TYPE_KEYS, isTypeWrapper } from './erase-typescript.js';
import { isCheckpointSite, type CheckpointSite } from './insert-checkpoints.js';
import { childKeyId } from './read-child.js';
import { RULE_MESSAGES, createViolation, reservedNameMessage, type RuleId } from './rules.js';

/** What the fast walk learned about a script. */
export interface ScriptFacts {
  /** Violations that need no scope analysis, in walk order. */
  violations: Violation[];
  /** Identifiers in reference position whose name is in FORBIDDEN_GLOBALS. */
  forbiddenReferences: Identifier[];
  /** Names from FORBIDDEN_GLOBALS the script binds somewhere (any scope, any binding form). */
  declaredForbiddenNames: Set<string>;
  /** Every name the script binds somewhere (any scope, any binding form). */
  declaredNames: Set<string>;
  /** Calls whose callee is an identifier or a plain member chain on one (`a.b.c()`). */
  calls: CalledName[];
  /** Every function and loop, in walk order: each body gets one checkpoint call. */
  checkpointSites: CheckpointSite[];
}

/** The callee of one call: its root identifier and the member names after it. */
export interface CalledName {
  root: Identifier;
  members: string[];
}

/**
 * The callee's root and member names. Type wrappers (`(f as any)()`, `a!.b()`) are looked
 * through: the walk over a TypeScript AST reads a callee before its wrappers are erased, and
 * the erased AST has the wrapped expression in their place. A JavaScript AST has none.
 */
function calledName(callee: Node): CalledName | undefined {
  const members: string[] = [];
  let node = skipTypeWrappers(callee);
  while (node.type === 'MemberExpression' || node.type === 'OptionalMemberExpression') {
    if (node.computed || node.property.type !== 'Identifier') return undefined;
    members.unshift(node.property.name);
    node = skipTypeWrappers(node.object);
  }
  return node.type === 'Identifier' ? { root: node, members } : undefined;
}

/** The expression inside the type wrappers `node` is (itself when it is none). */
function skipTypeWrappers(node: Node): Node {
  let inner = node;
  while (isTypeWrapper(inner)) inner = inner.expression;
  return inner;
}

function structuralRule(node: Node): Exclude<RuleId, 'forbidden-global' | 'reserved-name' | 'with-statement'> | undefined {
  switch (node.type) {
    case 'ImportDeclaration':
      return 'import-declaration';
    case 'ExportNamedDeclaration':
    case 'ExportDefaultDeclaration':
    case 'ExportAllDeclaration':
      return 'export-declaration';
    case 'Import':
    case 'ImportExpression':
      return 'dynamic-import';
    case 'MetaProperty':
      return node.meta.name === 'import' ? 'import-meta' : undefined;
    default:
      return undefined;
  }
}

/** What the fast walk does with a node type, computed once per type. */
export interface FactShape {
  /** The child keys to walk (VISITOR_KEYS order, `skip` slots left out), and their roles. */
  keys: readonly string[];
  roles: readonly ChildRole[];
  /** read-child.ts ids of `keys`. */
  keyIds: readonly number[];
  /** A function or loop: its body gets a checkpoint. */
  site: boolean;
  /** A call: its callee may name a tool. */
  call: boolean;
  /** A type structuralRule() may flag. */
  structural: boolean;
}

const STRUCTURAL_TYPES: ReadonlySet<string> = new Set(['ImportDeclaration', 'ExportNamedDeclaration', 'ExportDefaultDeclaration', 'ExportAllDeclaration', 'Import', 'ImportExpression', 'MetaProperty']);
const FACT_SHAPES = new Map<string, FactShape>();

/** The FactShape of `type`. */
export function factShapeOf(type: string): FactShape {
  let shape = FACT_SHAPES.get(type);
  if (shape === undefined) {
    const slots = getChildSlots(type).filter((slot) => slot.role !== 'skip' && !TYPE_KEYS.includes(slot.key));
    shape = {
      keys: slots.map((slot) => slot.key),
      keyIds: slots.map((slot) => childKeyId(slot.key)),
      roles: slots.map((slot) => slot.role),
      site: isCheckpointSite({ type } as Node),
      call: type === 'CallExpression' || type === 'OptionalCallExpression',
      structural: STRUCTURAL_TYPES.has(type),
    };
    FACT_SHAPES.set(type, shape);
  }
  return shape;
}

/**
 * SECURITY: "A runaway script stops itself at its time limit": a script that names an
 * engine-reserved identifier anywhere in scope (declaring, assigning or reading it) never
 * runs, so it cannot shadow the checkpoint. Property names and labels are not in scope and
 * never reach here.
 */
export function checkReservedName(identifier: Identifier, facts: ScriptFacts): void {
  if (isReservedName(identifier.name)) {
    facts.violations.push(createViolation('reserved-name', reservedNameMessage(identifier.name), identifier.loc?.start));
  }
}

/** An identifier in reference position. */
export function noteReference(identifier: Identifier, facts: ScriptFacts): void {
  if (FORBIDDEN_GLOBALS.has(identifier.name)) facts.forbiddenReferences.push(identifier);
  checkReservedName(identifier, facts);
}

/** An identifier a binding pattern declares. */
export function noteBinding(identifier: Identifier, facts: ScriptFacts): void {
  checkReservedName(identifier, facts);
  facts.declaredNames.add(identifier.name);
  if (FORBIDDEN_GLOBALS.has(identifier.name)) facts.declaredForbiddenNames.add(identifier.name);
}

/** What a code node other than an identifier says by itself: a checkpoint site, a call, a structural violation. */
export function noteNode(node: Node, shape: FactShape, facts: ScriptFacts): void {
  if (shape.site) facts.checkpointSites.push(node as CheckpointSite);
  if (shape.call) {
    const called = calledName((node as CallExpression | OptionalCallExpression).callee);
    if (called !== undefined) facts.calls.push(called);
  }
  if (shape.structural) {
    const rule = structuralRule(node);
    if (rule !== undefined) facts.violations.push(createViolation(rule, RULE_MESSAGES[rule], node.loc?.start));
  }
}

/** Facts with nothing in them yet. */
export function emptyFacts(): ScriptFacts {
  return { violations: [], forbiddenReferences: [], declaredForbiddenNames: new Set(), declaredNames: new Set(), calls: [], checkpointSites: [] };
}
