// Owns `engine.toolsNeedingApproval(code)`: which tools marked for approval a script may call,
// read statically before it runs (validate/find-tool-reach.ts). Must never answer less than the
// script can reach: whatever it cannot read, it answers with every marked tool.

import type { RegisteredTool, ToolCatalog } from './catalog/index.js';
import { findToolReach } from './validate/index.js';

function isMarked(tool: RegisteredTool | undefined): boolean {
  return tool !== undefined && tool.needsApproval !== undefined && tool.needsApproval !== false;
}

/**
 * Registered names of the tools of `catalog` marked `needsApproval` (true or a function) that
 * `code` may call, sorted. The caller has checked that `code` validates.
 */
export function findApprovalReach(catalog: ToolCatalog, code: string, normalize: boolean): string[] {
  const counts = (name: string): boolean => isMarked(catalog.get(name));
  try {
    return findToolReach(code, { tools: { tree: catalog.scriptNames, names: [] }, counts, normalize });
  } catch {
    // SECURITY: claim 15 ("A tool marked for approval never runs unasked"): a script this
    // reading cannot follow (nested past the stack here, say) may reach every marked tool.
    return catalog.list().filter(isMarked).map((tool) => tool.name).sort();
  }
}
