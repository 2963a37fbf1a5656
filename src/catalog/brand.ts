// Owns the brand that marks a ToolCatalog in every copy of toolweaver loaded in one process: a
// tools module may import another install than the CLI's, and `instanceof` fails across copies.
// Values only (no imports), so the catalog class and its readers can both depend on it.

/** Registry symbol, the same in every copy of the package: `Symbol.for('toolweaver.catalog')`. */
export const CATALOG_BRAND: unique symbol = Symbol.for('toolweaver.catalog');

/**
 * Version of what a branded catalog's `list()` gives: frozen tools with `name`, `description`,
 * `input` and `output` (JSON Schema), `concurrency`, `handler` and `needsApproval`. Raised when
 * that shape changes in a way another copy could not read.
 */
export const CATALOG_SHAPE_VERSION = 1;

/** The brand on `value` (the catalog shape version of a ToolCatalog from any copy), or undefined. */
export function catalogShapeVersion(value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return undefined;
  return (value as { [CATALOG_BRAND]?: unknown })[CATALOG_BRAND];
}
