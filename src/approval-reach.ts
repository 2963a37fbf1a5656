// Owns `engine.toolsNeedingApproval(code)`: which tools marked for approval a script may call,
// read statically before it runs (validate/find-tool-reach.ts). Must never answer less than the
// script can reach: whatever it cannot read, it answers with every marked tool.

import type { ToolCatalog } from './catalog/index.js';
import { mayNeedApproval } from './dispatch/index.js';
import { findToolReach } from './validate/index.js';

/**
 * Registered names of the tools of `catalog` marked `needsApproval` (true or a function) that
 * `code` may call, sorted. The caller has checked that `code` validates. A catalog with no
 * marked tool answers at once, without reading the script.
 */
export function findApprovalReach(catalog: ToolCatalog, code: string, normalize: boolean): string[] {
  const marked = new Set(catalog.list().filter(mayNeedApproval).map((tool) => tool.name));
  if (marked.size === 0) return [];
  try {
    return findToolReach(code, { tools: { tree: catalog.scriptNames, names: [] }, counts: (name) => marked.has(name), normalize });
  } catch {
    // SECURITY: claim 15 ("A tool marked for approval never runs unasked"): a script this
    // reading cannot follow (nested past the stack here, say) may reach every marked tool.
    return [...marked].sort();
  }
}
