// Owns the static, conservative answer to "which of these tools may this script call?", for
// approvals asked before a script runs (the AI SDK code tool's `needsApproval`). Must never
// answer less than the script can reach: a script reaches a tool only through an identifier
// naming its root (compile-cache.ts: tools are constants of the script's scope, never on a
// global object), so every such identifier counts, wherever it sits, unless a plain chain of
// member names (`crm.find_leads`) pins down the one tool it reads.

import type { MemberExpression, Node, OptionalMemberExpression } from '@babel/types';
import type { KnownNode, KnownTools } from './find-unknown-tools.js';
import { getChildSlots } from './child-roles.js';
import { normalizeInput } from './normalize-input.js';
import { parseScript } from './parse.js';

/** Which tools count, and how the script is read. */
export interface ToolReachOptions {
  /** The catalog's script names. */
  tools: KnownTools;
  /** Whether a registered tool counts (is marked for approval, say). */
  counts: (tool: string) => boolean;
  /** Read the script as the engine's `normalize` option does. @default true */
  normalize?: boolean;
}

type Member = MemberExpression | OptionalMemberExpression;

function isMember(node: Node): node is Member {
  return node.type === 'MemberExpression' || node.type === 'OptionalMemberExpression';
}

/** Adds every counted tool at or under `node`. */
function addSubtree(node: KnownNode, options: ToolReachOptions, found: Set<string>): void {
  if (node.tool !== undefined && options.counts(node.tool)) found.add(node.tool);
  for (const child of node.members.values()) addSubtree(child, options, found);
}

/**
 * A member chain on an identifier (`a.b[c].d`): follows the plain names from a tool root as
 * far as they go. Reaching a tool counts that tool (a method of it, `.call`, still calls it);
 * stopping on a namespace (a computed key, or the namespace object itself escaping into a
 * variable, an argument, a destructuring) counts everything under it. Computed keys are code
 * and go back on the walk.
 */
function visitChain(outer: Member, stack: Node[], options: ToolReachOptions, found: Set<string>): void {
  const chain: Member[] = [];
  let base: Node = outer;
  while (isMember(base)) {
    chain.unshift(base);
    if (base.computed) stack.push(base.property);
    base = base.object;
  }
  if (base.type !== 'Identifier') return void stack.push(base);
  let node = options.tools.tree.members.get(base.name);
  for (const member of chain) {
    if (node === undefined || node.tool !== undefined) break;
    if (member.computed || member.property.type !== 'Identifier') return addSubtree(node, options, found);
    node = node.members.get(member.property.name);
  }
  if (node !== undefined) addSubtree(node, options, found);
}

/** Registered names of the counted tools `ast` may call, in no particular order. */
function walk(program: Node, options: ToolReachOptions): Set<string> {
  const found = new Set<string>();
  const roots = options.tools.tree.members;
  const stack: Node[] = [program];
  for (let node = stack.pop(); node !== undefined; node = stack.pop()) {
    if (node.type === 'Identifier' || node.type === 'JSXIdentifier') {
      // Binding positions are walked too (`const send = 1` counts `send`): more, never less.
      const root = roots.get(node.name);
      if (root !== undefined) addSubtree(root, options, found);
    }
    if (isMember(node)) {
      visitChain(node, stack, options, found);
      continue;
    }
    const record = node as unknown as Record<string, unknown>;
    for (const { key, role } of getChildSlots(node.type)) {
      const child = record[key];
      if (child === null || child === undefined || role === 'skip') continue;
      if (role === 'name' && record.computed !== true) continue;
      if (Array.isArray(child)) {
        for (const item of child) if (item !== null && typeof item === 'object') stack.push(item as Node);
      } else if (typeof child === 'object') {
        stack.push(child as Node);
      }
    }
  }
  return found;
}

/**
 * Registered names of the counted tools `source` may call, sorted. Throws what parsing
 * throws (ScriptSyntaxError; a RangeError for a script nested too deeply).
 */
export function findToolReach(source: string, options: ToolReachOptions): string[] {
  const ast = options.normalize === false ? parseScript(source).ast : normalizeInput(source).parsed.ast;
  return [...walk(ast.program, options)].sort();
}
