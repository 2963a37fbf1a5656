// Owns the one walk over a TypeScript AST: each code node that can hold TypeScript goes past
// the RangeCollector (its TypeScript ranges, or a refusal) and has its types erased, and the
// facts validation needs are gathered on the way (typescript-facts.ts), so that the erased
// AST is not walked again; type-only children and leaves are never walked. Says whether the
// erased AST is exactly what the blanked text parses to.

import { VISITOR_KEYS } from '@babel/types';
import type { Node } from '@babel/types';
import { getChildSlots, type ChildRole } from './child-roles.js';
import { emptyFacts, factShapeOf, type FactShape, type ScriptFacts } from './note-facts.js';
import { TYPE_KEYS, emptyStatementAt, eraseOwnTypes, isErasedStatement, isTypeWrapper, unwrapTypes } from './erase-typescript.js';
import { CODE, NO_FACTS, isSilentAsCode, noteName, noteOwnFacts, roleOfChild, type FactRole } from './typescript-facts.js';
import { childKeyId, readChild } from './read-child.js';
import { RangeCollector, type BlankRange } from './typescript-ranges.js';

/** What the walk needs to know about a node type, computed once per type. */
interface NodeShape {
  /** Child keys that can hold code (not types). */
  codeKeys: readonly string[];
  /** Child keys that hold only types. */
  typeKeys: readonly string[];
  /** A TypeScript node type (`TS...`). */
  typescript: boolean;
  /** It can be blanked whole: a TypeScript node, or one that can be `declare`, `abstract` or type-only. */
  mayBeWhole: boolean;
  /** It has a parameter list (a `this` parameter is blanked). */
  hasParams: boolean;
  /** An expression with a type around it (erase-typescript.ts `isTypeWrapper`). */
  wrapper: boolean;
  /** A statement that erases to `;` (erase-typescript.ts `isErasedStatement`). */
  erasedStatement: boolean;
  /** RangeCollector.blankParts may find something in it: TypeScript, type keys, parameters or a class. */
  hasParts: boolean;
  /** Nothing in it to blank, erase, walk or note (a literal, `this`, a template element): never pushed. */
  inert: boolean;
  /** The child-roles.ts role of each of `codeKeys`. */
  slotRoles: readonly ChildRole[];
  /** read-child.ts ids of `codeKeys` and of `typeKeys`. */
  codeKeyIds: readonly number[];
  typeKeyIds: readonly number[];
  /** What collectFacts does with the type. */
  facts: FactShape;
  /** In code, it notes nothing by itself (typescript-facts.ts `isSilentAsCode`). */
  silentAsCode: boolean;
}

/** Node types besides `TS...` ones that Babel can mark `declare` or `abstract`, or make type-only. */
const MAY_BE_WHOLE: ReadonlySet<string> = new Set(['VariableDeclaration', 'FunctionDeclaration', 'ImportDeclaration', 'ExportNamedDeclaration']);

const SHAPES = new Map<string, NodeShape>();

function shapeOf(type: string): NodeShape {
  let shape = SHAPES.get(type);
  if (shape === undefined) {
    const keys = VISITOR_KEYS[type] ?? [];
    const typescript = type.startsWith('TS');
    const codeKeys = keys.filter((key) => !TYPE_KEYS.includes(key) && key !== 'implements');
    const typeKeys = keys.filter((key) => TYPE_KEYS.includes(key));
    const mayBeWhole = typescript || type.startsWith('Class') || MAY_BE_WHOLE.has(type);
    const hasParams = keys.includes('params');
    const wrapper = isTypeWrapper({ type } as Node);
    const erasedStatement = isErasedStatement({ type } as Node);
    const hasParts = typescript || typeKeys.length > 0 || hasParams || type.startsWith('Class');
    const facts = factShapeOf(type);
    // `import` in `import(x)` has no children but is a violation.
    const noted = facts.site || facts.call || facts.structural || type === 'Identifier';
    const inert = !hasParts && codeKeys.length === 0 && !mayBeWhole && !wrapper && !erasedStatement && !noted;
    const slots = getChildSlots(type);
    const slotRoles = codeKeys.map((key) => slots.find((slot) => slot.key === key)!.role);
    const codeKeyIds = codeKeys.map(childKeyId);
    const typeKeyIds = typeKeys.map(childKeyId);
    const silentAsCode = isSilentAsCode(type, facts);
    shape = { codeKeys, typeKeys, typescript, mayBeWhole, hasParams, wrapper, erasedStatement, hasParts, inert, slotRoles, facts, codeKeyIds, typeKeyIds, silentAsCode };
    SHAPES.set(type, shape);
  }
  return shape;
}

/** What findTypeScriptRanges found and did. */
export interface TypeScriptParts {
  /** The ranges to blank, in walk order. */
  ranges: BlankRange[];
  /**
   * True when the AST, erased in place, is the one the blanked text parses to as JavaScript
   * (up to the ends of nodes that ended in a type); false when the text must be parsed again.
   */
  erased: boolean;
  /** What collectFacts finds in the erased AST (up to order); to be dropped unless `erased`. */
  facts: ScriptFacts;
}

/** The nodes left to walk, with their shapes (looked up once, when pushed) and roles. */
interface WalkStack {
  nodes: Node[];
  shapes: NodeShape[];
  roles: FactRole[];
  facts: ScriptFacts;
}

/**
 * Pushes the child `value`, which is `slot[key]`, to be seen in `role`; for an expression in
 * a type wrapper or a type statement, the wrapper is pushed (its parts are blanked) while the
 * slot gets what it erases to. A name without a type is noted at once, never pushed.
 */
function takeChild(value: unknown, slot: Record<string | number, unknown>, key: string | number, stack: WalkStack, parent: Node, collector: RangeCollector, role: FactRole): void {
  if (value === null || typeof value !== 'object') return;
  const child = value as Node;
  // Most nodes are names with no type: nothing to blank, erase or walk in them.
  if (child.type === 'Identifier' && child.typeAnnotation == null && child.optional !== true && child.decorators == null) {
    noteName(child, role, stack.facts);
    return;
  }
  const shape = shapeOf(child.type);
  if (shape.inert) return;
  if (shape.wrapper) {
    slot[key] = unwrapTypes(child);
  } else if (shape.erasedStatement) {
    slot[key] = emptyStatementAt(child);
    // Only where `;` is a statement: `export default interface I {}` blanks to text that
    // does not parse, so the text is parsed and its error reported.
    if (!STATEMENT_PARENTS.has(parent.type)) collector.exact = false;
  }
  stack.nodes.push(child);
  stack.shapes.push(shape);
  stack.roles.push(role);
}

/** Nodes whose children are statements, where a type statement erases to `;`. */
const STATEMENT_PARENTS: ReadonlySet<string> = new Set([
  'Program', 'BlockStatement', 'StaticBlock', 'SwitchCase', 'IfStatement', 'LabeledStatement',
  'WhileStatement', 'DoWhileStatement', 'ForStatement', 'ForInStatement', 'ForOfStatement',
]);

/**
 * The TypeScript-only ranges of `ast` (parsed from `text` with the `typescript` plugin), in
 * walk order, erasing the types from `ast` on the way: the AST is for validation only when
 * `erased` is true, and is to be dropped otherwise.
 */
export function findTypeScriptRanges(ast: Node, text: string): TypeScriptParts {
  const collector = new RangeCollector(text);
  const stack: WalkStack = { nodes: [ast], shapes: [shapeOf(ast.type)], roles: [CODE], facts: emptyFacts() };
  for (let node = stack.nodes.pop(); node !== undefined; node = stack.nodes.pop()) {
    const shape = stack.shapes.pop()!;
    const role = stack.roles.pop()!;
    if (shape.mayBeWhole && collector.takeWhole(node)) continue;
    if (shape.hasParts) collector.blankParts(node, shape);
    if (shape.typeKeys.length > 0) eraseOwnTypes(node, text, shape.typeKeys, shape.typeKeyIds);
    // A type wrapper is not in the erased AST: its expression takes its place, and its role.
    const handsOn = role === NO_FACTS || shape.wrapper || (role === CODE && shape.silentAsCode);
    const own = handsOn ? role : noteOwnFacts(node, shape.facts, role, stack.facts);
    const record = node as unknown as Record<string, unknown>;
    const { codeKeys, slotRoles, codeKeyIds } = shape;
    for (let k = 0; k < codeKeys.length; k++) {
      const key = codeKeys[k]!;
      const child = readChild(node, codeKeyIds[k]!, key);
      if (child === null || child === undefined) continue;
      const childRole = own === NO_FACTS || shape.wrapper ? own : roleOfChild(node, own, key, slotRoles[k]!);
      if (Array.isArray(child)) {
        for (let i = 0; i < child.length; i++) takeChild(child[i], child as unknown as Record<number, unknown>, i, stack, node, collector, childRole);
      } else {
        takeChild(child, record, key, stack, node, collector, childRole);
      }
    }
  }
  return { ranges: collector.ranges, erased: collector.exact, facts: stack.facts };
}
