// Owns turning whatever a definition gives as a schema into one JSON Schema object: plain JSON
// Schema, zod 4 (or an MCP raw shape), AI SDK `Schema` wrappers (`jsonSchema()`, `zodSchema()`,
// `asSchema()`, lazy schemas) and Standard JSON Schema libraries. Anything else is refused
// loudly: a schema silently taken as "anything goes" would let arguments through unchecked.

import { ToolRegistrationError } from '../errors.js';
import type { JsonSchema, SchemaLike } from './types.js';
import { describeSchemaKind, zodToJsonSchema } from './zod.js';

type Field = 'input' | 'output';

/** The brand the AI SDK puts on its `Schema` objects (`Symbol.for('vercel.ai.schema')`). */
const AI_SDK_SCHEMA = Symbol.for('vercel.ai.schema');

/** Every keyword of JSON Schema drafts 07 to 2020-12, with the usual annotations. */
const JSON_SCHEMA_KEYWORDS: ReadonlySet<string> = new Set([
  '$schema', '$id', '$ref', '$defs', '$anchor', '$dynamicRef', '$dynamicAnchor', '$recursiveRef', '$recursiveAnchor', '$vocabulary', '$comment',
  'definitions', 'type', 'enum', 'const', 'properties', 'required', 'additionalProperties', 'patternProperties', 'propertyNames',
  'unevaluatedProperties', 'minProperties', 'maxProperties', 'dependentRequired', 'dependentSchemas', 'dependencies',
  'items', 'prefixItems', 'additionalItems', 'unevaluatedItems', 'contains', 'minContains', 'maxContains', 'minItems', 'maxItems', 'uniqueItems',
  'minLength', 'maxLength', 'pattern', 'format', 'contentEncoding', 'contentMediaType', 'contentSchema',
  'minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'multipleOf',
  'allOf', 'anyOf', 'oneOf', 'not', 'if', 'then', 'else',
  'title', 'description', 'default', 'examples', 'example', 'deprecated', 'readOnly', 'writeOnly', 'nullable',
]);

function fail(name: string, message: string): never {
  throw new ToolRegistrationError(name, message);
}

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') {
    const proto = Object.getPrototypeOf(value) as { constructor?: { name?: unknown } } | null;
    const className = proto?.constructor?.name;
    return typeof className === 'string' && className !== 'Object' ? `an instance of ${className}` : 'an object';
  }
  return typeof value;
}

function isThenable(value: unknown): boolean {
  return typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function';
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

function isAiSdkSchema(value: unknown): value is { jsonSchema: unknown } {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[AI_SDK_SCHEMA] === true && 'jsonSchema' in value;
}

function fromAiSdkSchema(name: string, field: Field, schema: { jsonSchema: unknown }): unknown {
  let json: unknown;
  try {
    json = schema.jsonSchema;
  } catch (error) {
    fail(name, `The AI SDK \`${field}\` schema of tool \`${name}\` failed to produce its JSON Schema: ${(error as Error).message}`);
  }
  if (isThenable(json)) {
    fail(name, `The AI SDK \`${field}\` schema of tool \`${name}\` gives its JSON Schema as a promise; await it and pass the JSON Schema itself`);
  }
  return json;
}

/**
 * A Standard Schema library's schema (valibot, arktype...). zod's JSON Schema output carries a
 * non-enumerable `~standard` too: a plain object with a hidden one is JSON Schema data.
 */
function isStandardSchema(value: unknown): value is object {
  if (typeof value !== 'object' || value === null || !('~standard' in value)) return false;
  return !isPlainObject(value) || Object.getOwnPropertyDescriptor(value, '~standard')?.enumerable === true;
}

function fromStandardSchema(name: string, field: Field, schema: object): unknown {
  const standard = (schema as { '~standard'?: { vendor?: unknown; jsonSchema?: Record<string, unknown> } })['~standard'];
  const convert = standard?.jsonSchema?.[field];
  if (typeof convert !== 'function') {
    fail(name, `The \`${field}\` schema of tool \`${name}\` is a Standard Schema (${String(standard?.vendor)}) that cannot give a JSON Schema; pass a JSON Schema or a zod 4 schema`);
  }
  try {
    return (convert as (options: { target: string }) => unknown).call(standard?.jsonSchema, { target: 'draft-2020-12' });
  } catch (error) {
    return fail(name, `The \`${field}\` schema of tool \`${name}\` cannot be converted to JSON Schema: ${(error as Error).message}`);
  }
}

/** Unwraps the AI SDK's wrappers and Standard Schemas; plain values come back as they are. */
function unwrap(name: string, field: Field, schema: unknown): unknown {
  // An AI SDK lazy schema (`lazySchema(() => ...)`) is a function returning a Schema.
  const value = typeof schema === 'function' ? (schema as () => unknown)() : schema;
  if (isAiSdkSchema(value)) return fromAiSdkSchema(name, field, value);
  if (typeof schema === 'function') {
    fail(name, `Expected \`${field}\` of tool \`${name}\` to be a schema; a function is accepted only as an AI SDK lazy schema, and this one returned ${typeName(value)}`);
  }
  const kind = describeSchemaKind(value);
  if (kind === 'zod3') {
    fail(name, `The \`${field}\` of tool \`${name}\` is a zod 3 schema; use zod 4 (\`import { z } from 'zod'\` with zod >= 4, or 'zod/v4')`);
  }
  if (kind === 'zod') {
    try {
      return zodToJsonSchema(value, field);
    } catch (error) {
      fail(name, `The zod \`${field}\` schema of tool \`${name}\` cannot be converted to JSON Schema: ${(error as Error).message}`);
    }
  }
  if (isStandardSchema(value)) return fromStandardSchema(name, field, value);
  return value;
}

/** Refuses a value that is not a JSON Schema document (a wrapper, a class instance, a bag of unknown keys). */
function checkJsonSchema(name: string, field: Field, json: unknown): Record<string, unknown> {
  if (!isPlainObject(json)) {
    fail(name, `Expected \`${field}\` of tool \`${name}\` to be a JSON Schema, a zod 4 schema or an AI SDK schema, got ${typeName(json)}`);
  }
  const keys = Object.keys(json);
  if (keys.length > 0 && !keys.some((key) => JSON_SCHEMA_KEYWORDS.has(key))) {
    fail(name, `The \`${field}\` of tool \`${name}\` is not recognised as a schema: it has none of JSON Schema's keywords (keys: ${keys.slice(0, 5).join(', ')})`);
  }
  return json;
}

/** The JSON Schema of a definition's `input` or `output` (a private deep copy), or undefined. */
export function toJsonSchema(name: string, field: Field, schema: SchemaLike | undefined): JsonSchema | undefined {
  if (schema === undefined || typeof schema === 'boolean') return schema;
  const json = checkJsonSchema(name, field, unwrap(name, field, schema));
  const type = json.type;
  if (field === 'input' && type !== undefined && type !== 'object') {
    fail(name, `Expected \`input\` of tool \`${name}\` to describe an object of named arguments, got type ${JSON.stringify(type)}`);
  }
  try {
    return structuredClone(json);
  } catch (error) {
    return fail(name, `The \`${field}\` schema of tool \`${name}\` is not plain JSON data: ${(error as Error).message}`);
  }
}
