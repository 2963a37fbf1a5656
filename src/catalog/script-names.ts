// Owns mapping registered tool names (as MCP servers and OpenAPI spell them:
// `github.list_pull_requests`, `send-email`, `3d_render`, `delete`) to the paths scripts call:
// valid identifiers, dots as namespaces, collision-free, and stable in registration order.

import { ENGINE_GLOBALS, FORBIDDEN_GLOBALS, RESERVED_WORDS, STANDARD_GLOBALS, isReservedName } from '../globals.js';

/** Turns one name segment into a plain identifier that is free for a script global. */
export function toIdentifier(segment: string, topLevel: boolean): string {
  let name = segment.replace(/[^A-Za-z0-9_$]+/g, '_');
  if (name === '') name = '_';
  if (/^[0-9]/.test(name)) name = `_${name}`;
  // A member may be a reserved word (`github.delete()` is valid), never `__proto__`.
  if (name === '__proto__') return `${name}_`;
  if (!topLevel) return name;
  if (RESERVED_WORDS.has(name) || STANDARD_GLOBALS.has(name) || FORBIDDEN_GLOBALS.has(name) || ENGINE_GLOBALS.has(name)) return `${name}_`;
  // Names the engine reserves for its own code in scripts cannot be called by a script.
  if (isReservedName(name)) return `_${name}`;
  return name;
}

/** A node of the script-facing tree: a tool at this path, namespace members, or both. */
export interface NameNode {
  tool?: string;
  members: Map<string, NameNode>;
}

/**
 * Assigns each registered name its script path. A path already taken (by a tool, or by a
 * namespace when the new name is a plain tool, or the reverse) gets `_2`, `_3`, ... on its
 * last segment, so earlier registrations never change.
 */
export class ScriptNameTable {
  readonly root: NameNode = { members: new Map() };
  readonly #paths = new Map<string, readonly string[]>();

  /** Adds `name` and returns its script path. */
  add(name: string): readonly string[] {
    const segments = name.split('.').map((segment, index) => toIdentifier(segment, index === 0));
    let node = this.root;
    for (let i = 0; i < segments.length - 1; i++) {
      let segment = segments[i]!;
      // A tool already owns this name: the namespace takes the next free variant.
      for (let n = 2; node.members.get(segment)?.tool !== undefined; n++) segment = `${segments[i]}_${n}`;
      segments[i] = segment;
      let child = node.members.get(segment);
      if (child === undefined) node.members.set(segment, (child = { members: new Map() }));
      node = child;
    }
    const base = segments[segments.length - 1]!;
    let leaf = base;
    for (let n = 2; node.members.has(leaf); n++) leaf = `${base}_${n}`;
    segments[segments.length - 1] = leaf;
    node.members.set(leaf, { tool: name, members: new Map() });
    const path = Object.freeze(segments);
    this.#paths.set(name, path);
    return path;
  }

  /** Frees the path of `name` (and namespaces left empty); other paths never change. */
  remove(name: string): void {
    const path = this.#paths.get(name);
    if (path === undefined) return;
    this.#paths.delete(name);
    const trail: NameNode[] = [this.root];
    for (const segment of path) trail.push(trail[trail.length - 1]!.members.get(segment)!);
    trail[trail.length - 1]!.tool = undefined;
    for (let i = path.length; i > 0; i--) {
      const node = trail[i]!;
      if (node.tool !== undefined || node.members.size > 0) break;
      trail[i - 1]!.members.delete(path[i - 1]!);
    }
  }

  /** The script path of a registered name. */
  pathOf(name: string): readonly string[] | undefined {
    return this.#paths.get(name);
  }

  /** Every tool's script path, joined with dots, for suggestions. */
  allPaths(): string[] {
    return [...this.#paths.values()].map((path) => path.join('.'));
  }
}
