// Owns catching calls of functions that are neither tools nor standard globals before a
// script runs (``unknown tool `get_userz` at 3:15; did you mean `get_users`?``). A name the
// script binds anywhere is its own; this check only ever adds errors for free names.

import type { UnknownToolCall } from '../errors.js';
import { FORBIDDEN_GLOBALS, STANDARD_GLOBALS } from '../globals.js';
import type { CalledName, ScriptFacts } from './collect-facts.js';

/** The script-facing tool names, as the catalog lays them out. */
export interface KnownTools {
  /** Tree of namespaces and tools (`tool` set on a node that is a tool). */
  tree: { members: ReadonlyMap<string, KnownNode> };
  /** Every tool's dotted script name, for suggestions. */
  names: readonly string[];
}

export interface KnownNode {
  tool?: string;
  members: ReadonlyMap<string, KnownNode>;
}

const MAX_SUGGESTIONS = 3;

/** Optimal string alignment distance (Levenshtein plus adjacent transpositions). */
export function editDistance(a: string, b: string): number {
  const rows = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) rows[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(rows[i - 1]![j]! + 1, rows[i]![j - 1]! + 1, rows[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, rows[i - 2]![j - 2]! + 1);
      rows[i]![j] = best;
    }
  }
  return rows[a.length]![b.length]!;
}

/** The nearest tool names to `written`, best first. */
export function suggestTools(written: string, names: readonly string[]): string[] {
  const lastSegment = written.slice(written.lastIndexOf('.') + 1).toLowerCase();
  const limit = Math.max(2, Math.floor(written.length / 3));
  return names
    .map((name) => {
      const sameLeaf = name.slice(name.lastIndexOf('.') + 1).toLowerCase() === lastSegment;
      return { name, distance: sameLeaf ? 0 : editDistance(written.toLowerCase(), name.toLowerCase()) };
    })
    .filter((candidate) => candidate.distance <= limit)
    .sort((a, b) => a.distance - b.distance || a.name.localeCompare(b.name))
    .slice(0, MAX_SUGGESTIONS)
    .map((candidate) => candidate.name);
}

/** The written name that fails to resolve, or undefined when the call is fine. */
function unresolved(call: CalledName, known: KnownTools): string | undefined {
  const { root, members } = call;
  let node = known.tree.members.get(root.name);
  if (node === undefined) {
    // `lead_id.toUpperCase()`: a method of something that is not a tool. Most often a context
    // value, which validation does not know (its cache is keyed by code alone): not flagged.
    if (members.length > 0 || STANDARD_GLOBALS.has(root.name)) return undefined;
    return root.name;
  }
  for (let i = 0; i < members.length; i++) {
    // Calling a method of a tool function itself (`get_users.call(...)`) is the script's business.
    if (node.tool !== undefined) return undefined;
    const child: KnownNode | undefined = node.members.get(members[i]!);
    if (child === undefined) return [root.name, ...members.slice(0, i + 1)].join('.');
    node = child;
  }
  return node.tool === undefined ? [root.name, ...members].join('.') : undefined;
}

/** Every call in `facts` of a free name that is not a tool, namespace member or standard global. */
export function findUnknownTools(facts: ScriptFacts, known: KnownTools): UnknownToolCall[] {
  const unknown: UnknownToolCall[] = [];
  for (const call of facts.calls) {
    const name = call.root.name;
    if (facts.declaredNames.has(name) || FORBIDDEN_GLOBALS.has(name)) continue;
    const written = unresolved(call, known);
    if (written === undefined) continue;
    const start = call.root.loc?.start;
    unknown.push({ name: written, line: start?.line ?? 1, column: (start?.column ?? 0) + 1, suggestions: suggestTools(written, known.names) });
  }
  return unknown.sort((a, b) => a.line - b.line || a.column - b.column);
}
