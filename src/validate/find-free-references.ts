// Owns the exact, slow path of name resolution: @babel/traverse with scope, run only when a
// forbidden name is both referenced and declared somewhere in the script. Must never decide
// with `scope.hasBinding(name)`: it answers true for built-in globals such as `eval`.

import traverseModule from '@babel/traverse';
import type { Binding, NodePath } from '@babel/traverse';
import type { File, Identifier } from '@babel/types';
import { isNamePosition } from './child-roles.js';

// @babel/traverse is CommonJS; under NodeNext its default export arrives on `.default`.
type Traverse = typeof traverseModule.default;
const traverse: Traverse =
  (traverseModule as unknown as { default?: Traverse }).default ?? (traverseModule as unknown as Traverse);

/**
 * True when `binding` lives in a function's body but `reference` sits in that function's
 * parameter list. Parameter defaults are evaluated in their own environment, which sees the
 * parameters and the function's own name but not the body's declarations, so
 * `function f(...[a = Function]) { var Function }` reads the global. Babel's `getBinding`
 * gets this right for plain defaults but not under a rest element (7.29), so it is checked here.
 */
function isHiddenFromParams(binding: Binding, reference: NodePath): boolean {
  if (binding.kind === 'param' || binding.kind === 'local') return false;
  const owner = binding.scope.path;
  if (!owner.isFunction()) return false;
  return reference.find((path) => path.parentPath === owner)?.listKey === 'params';
}

/** The script's own binding `reference` sees for `name`, or undefined for a global. */
function findVisibleBinding(reference: NodePath, name: string): Binding | undefined {
  let binding = reference.scope.getBinding(name);
  while (binding !== undefined && isHiddenFromParams(binding, reference)) {
    binding = binding.scope.parent?.getBinding(name);
  }
  return binding;
}

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
      // Feature detection (`typeof process`) reads "undefined" in the sandbox: not a use.
      if (path.parent.type === 'UnaryExpression' && path.parent.operator === 'typeof') return;
      // SECURITY: "Scripts cannot reach eval, Function, require, process...": only bindings
      // the script created count, so a miss means the global.
      if (findVisibleBinding(path, node.name) === undefined) free.push(node);
    },
  });
  return free;
}
