// Owns rendering a JSON Schema as a TypeScript type for the model's prompt. Hostile schema
// metadata can only ever land inside a string literal (JSON.stringify) or a doc comment
// (docComment neutralizes `*/`); nothing is evaluated. Unknown shapes degrade to `unknown`.

import { resolveLocalRef } from './schema.js';
import type { JsonSchema } from './types.js';

const MAX_DEPTH = 6;
const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/** A doc comment for `text`, or '' for none. No text can close the comment early. */
export function docComment(text: string | undefined, indent: string): string {
  if (text === undefined || text.trim() === '') return '';
  const lines = text
    .replace(/\r\n?|[\u2028\u2029]/g, '\n')
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, ' ')
    .replace(/\*\//g, '*\\/')
    .trim()
    .split('\n');
  if (lines.length === 1) return `${indent}/** ${lines[0]} */\n`;
  return `${indent}/**\n${lines.map((line) => `${indent} * ${line}`.trimEnd()).join('\n')}\n${indent} */\n`;
}

/** A property key as TypeScript source: bare when an identifier, quoted otherwise. */
export function propertyKey(key: string): string {
  return IDENTIFIER.test(key) ? key : JSON.stringify(key);
}

function literal(value: unknown): string {
  if (value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return JSON.stringify(value);
  return 'unknown';
}

function union(parts: string[]): string {
  const unique = [...new Set(parts)];
  if (unique.includes('unknown')) return 'unknown';
  return unique.length === 0 ? 'never' : unique.join(' | ');
}

function wrap(type: string): string {
  return /[|&]/.test(type) && !/^[[{(]/.test(type) ? `(${type})` : type;
}

function propertyDoc(schema: JsonSchema): string | undefined {
  if (typeof schema !== 'object') return undefined;
  const notes = [schema.description, schema.format === undefined ? undefined : `format: ${String(schema.format)}`, schema.default === undefined ? undefined : `default: ${JSON.stringify(schema.default)}`];
  const text = notes.filter((note) => typeof note === 'string' && note !== '').join('; ');
  return text === '' ? undefined : text;
}

/** Renders JSON Schema as a TypeScript type. `indent` is for multi-line object members. */
export function schemaToTs(schema: JsonSchema | undefined, root: JsonSchema, indent = '', depth = 0): string {
  if (schema === undefined || schema === true) return 'unknown';
  if (schema === false) return 'never';
  if (depth > MAX_DEPTH) return 'unknown';
  const next = (child: unknown): string => schemaToTs(child as JsonSchema, root, indent, depth + 1);
  if (typeof schema.$ref === 'string') return next(resolveLocalRef(root, schema.$ref));
  if ('const' in schema) return literal(schema.const);
  if (Array.isArray(schema.enum)) return union(schema.enum.map(literal));
  for (const key of ['anyOf', 'oneOf'] as const) {
    const branches = schema[key];
    if (Array.isArray(branches)) return union(branches.map(next));
  }
  if (Array.isArray(schema.allOf)) return schema.allOf.map((branch) => wrap(next(branch))).join(' & ') || 'unknown';
  if (Array.isArray(schema.type)) return union(schema.type.map((type) => next({ ...schema, type })));
  switch (schema.type) {
    case 'string':
      return 'string';
    case 'number':
    case 'integer':
      return 'number';
    case 'boolean':
      return 'boolean';
    case 'null':
      return 'null';
    case 'array':
      return arrayType(schema, root, indent, depth);
    case 'object':
      return objectType(schema, root, indent, depth);
    default:
      return schema.properties !== undefined ? objectType(schema, root, indent, depth) : 'unknown';
  }
}

function arrayType(schema: Record<string, unknown>, root: JsonSchema, indent: string, depth: number): string {
  if (Array.isArray(schema.prefixItems)) {
    return `[${schema.prefixItems.map((item) => schemaToTs(item as JsonSchema, root, indent, depth + 1)).join(', ')}]`;
  }
  const items = schema.items === undefined ? 'unknown' : schemaToTs(schema.items as JsonSchema, root, indent, depth + 1);
  return `${wrap(items)}[]`;
}

function objectType(schema: Record<string, unknown>, root: JsonSchema, indent: string, depth: number): string {
  const properties = (schema.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set(Array.isArray(schema.required) ? (schema.required as string[]) : []);
  const inner = `${indent}  `;
  const members = Object.entries(properties).map(([key, child]) => {
    const optional = required.has(key) ? '' : '?';
    return `${docComment(propertyDoc(child), inner)}${inner}${propertyKey(key)}${optional}: ${schemaToTs(child, root, inner, depth + 1)};`;
  });
  const extra = schema.additionalProperties;
  if (extra !== undefined && extra !== false) {
    members.push(`${inner}[key: string]: ${extra === true ? 'unknown' : schemaToTs(extra as JsonSchema, root, inner, depth + 1)};`);
  }
  if (members.length === 0) return schema.additionalProperties === false ? '{}' : 'Record<string, unknown>';
  const oneLine = members.every((member) => !member.includes('\n')) ? `{ ${members.map((member) => member.trim()).join(' ')} }` : undefined;
  if (oneLine !== undefined && oneLine.length <= 80) return oneLine;
  return `{\n${members.join('\n')}\n${indent}}`;
}
