// Owns accepting zod schemas (as the AI SDK and MCP SDK define tools): a zod 4 schema, or an
// MCP-style raw shape (an object of zod schemas), converted to JSON Schema once, at
// registration. zod 3 schemas are refused with a clear message rather than mis-converted.

import { z } from 'zod';
import type { JsonSchema } from './types.js';

function isZod4(value: unknown): value is z.ZodType {
  return typeof value === 'object' && value !== null && '_zod' in value;
}

function isZod3(value: unknown): boolean {
  return typeof value === 'object' && value !== null && '_def' in value && typeof (value as { safeParse?: unknown }).safeParse === 'function' && !('_zod' in value);
}

function isRawShape(value: unknown): value is Record<string, z.ZodType> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const entries = Object.values(value);
  return entries.length > 0 && entries.every(isZod4);
}

/** The kind of schema `value` is, to decide whether it needs converting. */
export function describeSchemaKind(value: unknown): 'zod' | 'zod3' | 'json' {
  if (isZod4(value) || isRawShape(value)) return 'zod';
  if (isZod3(value)) return 'zod3';
  return 'json';
}

/**
 * Converts a zod 4 schema or raw shape to JSON Schema. `io: 'input'` for arguments (fields
 * with defaults are optional to the caller), `output` for results.
 */
export function zodToJsonSchema(value: unknown, io: 'input' | 'output'): JsonSchema {
  const schema = isRawShape(value) ? z.object(value) : (value as z.ZodType);
  const converted = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as Record<string, unknown>;
  delete converted.$schema;
  return converted;
}
