// Owns adopting a ToolCatalog made by another copy of toolweaver: each of its tools is read
// through the public shape (brand.ts) and registered again here, so this copy's schema checks,
// script names and declarations apply. Never calls a handler; never keeps the other catalog.

import { ToolCatalog } from './tool-catalog.js';
import type { ToolDefinition } from './types.js';

/** What a catalog of another copy (same CATALOG_SHAPE_VERSION) gives from `list()`. */
export interface ForeignCatalog {
  list(): ReadonlyArray<object>;
}

const DEFINITION_FIELDS = ['name', 'description', 'input', 'output', 'concurrency', 'handler', 'needsApproval'] as const;

/**
 * A catalog of this copy holding every tool of `foreign`, as it is now (a snapshot: tools the
 * other catalog gains or loses later are not seen). Throws `ToolRegistrationError` for a tool
 * this copy refuses (a schema it cannot compile, a name it cannot map).
 */
export function adoptCatalog(foreign: ForeignCatalog): ToolCatalog {
  const catalog = new ToolCatalog();
  for (const tool of foreign.list() as ReadonlyArray<Record<string, unknown>>) {
    const definition: Record<string, unknown> = {};
    for (const field of DEFINITION_FIELDS) {
      if (tool[field] !== undefined) definition[field] = tool[field];
    }
    catalog.register(definition as unknown as ToolDefinition);
  }
  return catalog;
}
