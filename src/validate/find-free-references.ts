// Owns the exact, slow path of name resolution: @babel/traverse with scope, run only when a
// forbidden name is both referenced and declared somewhere in the script. Must never decide
// with `scope.hasBinding(name)`: it answers true for built-in globals such as `eval`.

import traverseModule from '@babel/traverse';
import type { File, Identifier } from '@babel/types';
import { isNamePosition } from './child-roles.js';

// @babel/traverse is CommonJS; under NodeNext its default export arrives on `.default`.
type Traverse = typeof traverseModule.default;
const traverse: Traverse =
  (traverseModule as unknown as { default?: Traverse }).default ?? (traverseModule as unknown as Traverse);

/**
 * Identifiers named in `names` that resolve to no binding of the script, i.e. to globals.
 * Binding identifiers resolve to the binding they create, so they are never returned.
 */
export function findFreeReferences(ast: File, names: ReadonlySet<string>): Identifier[] {
  const free: Identifier[] = [];
  traverse(ast, {
    Identifier(path) {
      const { node } = path;
      if (!names.has(node.name)) return;
      if (isNamePosition(path.parent, String(path.listKey ?? path.key))) return;
      // SECURITY: "Scripts cannot reach eval, Function, require, process...": `getBinding`
      // only finds bindings the script created, so a miss means the global.
      if (path.scope.getBinding(node.name) === undefined) free.push(node);
    },
  });
  return free;
}
