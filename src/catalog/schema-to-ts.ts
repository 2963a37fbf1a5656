// Owns rendering a JSON Schema as a TypeScript type for the model's prompt. Hostile schema
// metadata can only ever land inside a string literal (JSON.stringify), a doc comment
// (docComment neutralizes `*/`) or a line comment (lineComment removes every line
// terminator); nothing is evaluated. Unknown shapes degrade to `unknown`.

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

/**
 * `// text` comment lines for `text` (a tool's description), or '' for none. Every line
 * terminator TypeScript knows starts a new `//` line, so no text can end a comment and
 * start code.
 */
export function commentLines(text: string | undefined, indent: string): string {
  if (text === undefined || text.trim() === '') return '';
  const lines = text
    .replace(/\r\n?|[\u2028\u2029]/g, '\n')
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, ' ')
    .trim()
    .split('\n');
  return lines.map((line) => `${indent}// ${line}`.trimEnd()).join('\n') + '\n';
}

/**
 * A trailing `// text` comment, or '' for none. Every line terminator TypeScript knows
 * becomes a space, so no text can end the comment and start code.
 */
export function lineComment(text: string | undefined): string {
  if (text === undefined) return '';
  // eslint-disable-next-line no-control-regex
  const flat = text.replace(/[\u0000-\u001f\u007f\u2028\u2029]+/g, ' ').trim();
  return flat === '' ? '' : ` // ${flat}`;
}

/** True when `note` only repeats `key` ("Team id" for `teamId`): it tells the model nothing. */
function repeatsKey(note: string, key: string): boolean {
  const plain = (text: string): string => text.toLowerCase().replace(/[^a-z0-9]/g, '');
  return plain(note) === plain(key);
}

/** The note shown next to a property or parameter: description, format, default; or undefined. */
export function propertyNote(schema: JsonSchema | undefined, key: string): string | undefined {
  if (typeof schema !== 'object') return undefined;
  const description = typeof schema.description === 'string' && !repeatsKey(schema.description, key) ? schema.description : undefined;
  const notes = [description, schema.format === undefined ? undefined : `format: ${String(schema.format)}`, schema.default === undefined ? undefined : `default: ${JSON.stringify(schema.default)}`];
  const text = notes.filter((note) => typeof note === 'string' && note.trim() !== '').join('; ');
  return text === '' ? undefined : text;
}

/**
 * The note of a property, or undefined when `shown` already holds the same note for the same
 * key: the model reads the whole text, and `leadId // Lead id, e.g. L-7` once is enough.
 */
export function noteOnce(schema: JsonSchema | undefined, key: string, shown: Set<string> | undefined): string | undefined {
  const note = propertyNote(schema, key);
  if (note === undefined || shown === undefined) return note;
  const id = `${key}\u0000${note}`;
  if (shown.has(id)) return undefined;
  shown.add(id);
  return note;
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

/**
 * Renders JSON Schema as a TypeScript type. `indent` is for multi-line object members;
 * `context` (when given) is shared by every schema of one rendering: notes written once,
 * repeated literal unions named (see RenderContext).
 */
export function schemaToTs(schema: JsonSchema | undefined, root: JsonSchema, indent = '', depth = 0, context?: RenderContext): string {
  if (schema === undefined || schema === true) return 'unknown';
  if (schema === false) return 'never';
  if (depth > MAX_DEPTH) return 'unknown';
  const next = (child: unknown): string => schemaToTs(child as JsonSchema, root, indent, depth + 1, context);
  if (typeof schema.$ref === 'string') return next(resolveLocalRef(root, schema.$ref));
  if ('const' in schema) return literal(schema.const);
  if (Array.isArray(schema.enum)) return literalUnion(union(schema.enum.map(literal)), schema.enum.length, context);
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
      return arrayType(schema, root, indent, depth, context);
    case 'object':
      return objectType(schema, root, indent, depth, context);
    default:
      return schema.properties !== undefined ? objectType(schema, root, indent, depth, context) : 'unknown';
  }
}

/** Unions of this many literals or more, this long or longer, get a name when they repeat. */
const NAMED_UNION_MIN_MEMBERS = 3;
const NAMED_UNION_MIN_CHARS = 24;

/**
 * State shared by every schema of one rendering. A first pass counts literal unions; the
 * second writes a repeated one as the alias named after the first key it appeared under.
 */
export interface RenderContext {
  /** Property notes already written (see noteOnce). */
  notes: Set<string>;
  /** The property or parameter being rendered: names a union found under it. */
  key: string;
  /** Literal unions seen: text -> first key, count. */
  unions: Map<string, { key: string; count: number }>;
  /** Alias of each repeated union (second pass); undefined in the first pass. */
  aliases: Map<string, string> | undefined;
}

function literalUnion(text: string, members: number, context: RenderContext | undefined): string {
  if (context === undefined || members < NAMED_UNION_MIN_MEMBERS || text.length < NAMED_UNION_MIN_CHARS) return text;
  if (context.aliases !== undefined) return context.aliases.get(text) ?? text;
  const seen = context.unions.get(text);
  if (seen === undefined) context.unions.set(text, { key: context.key, count: 1 });
  else seen.count++;
  return text;
}

function arrayType(schema: Record<string, unknown>, root: JsonSchema, indent: string, depth: number, context: RenderContext | undefined): string {
  if (Array.isArray(schema.prefixItems)) {
    return `[${schema.prefixItems.map((item) => schemaToTs(item as JsonSchema, root, indent, depth + 1, context)).join(', ')}]`;
  }
  const items = schema.items === undefined ? 'unknown' : schemaToTs(schema.items as JsonSchema, root, indent, depth + 1, context);
  return `${wrap(items)}[]`;
}

/** An object type: one line when short and without notes, else one member a line (no `;`). */
function objectType(schema: Record<string, unknown>, root: JsonSchema, indent: string, depth: number, context: RenderContext | undefined): string {
  const properties = (schema.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set(Array.isArray(schema.required) ? (schema.required as string[]) : []);
  const inner = `${indent}  `;
  let commented = false;
  const members = Object.entries(properties).map(([key, child]) => {
    const optional = required.has(key) ? '' : '?';
    if (context !== undefined) context.key = key;
    const type = schemaToTs(child, root, inner, depth + 1, context);
    const note = noteOnce(child, key, context?.notes);
    commented ||= note !== undefined;
    const member = `${inner}${propertyKey(key)}${optional}: ${type}`;
    // A one-line type takes its note after it; a multi-line one, above it.
    return type.includes('\n') ? `${docComment(note, inner)}${member}` : `${member}${lineComment(note)}`;
  });
  const extra = schema.additionalProperties;
  if (extra !== undefined && extra !== false) {
    members.push(`${inner}[key: string]: ${extra === true ? 'unknown' : schemaToTs(extra as JsonSchema, root, inner, depth + 1, context)}`);
  }
  if (members.length === 0) return schema.additionalProperties === false ? '{}' : 'Record<string, unknown>';
  const oneLine = !commented && members.every((member) => !member.includes('\n')) ? `{ ${members.map((member) => `${member.trim()};`).join(' ')} }` : undefined;
  if (oneLine !== undefined && oneLine.length <= 80) return oneLine;
  return `{\n${members.join('\n')}\n${indent}}`;
}
