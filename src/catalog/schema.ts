// Owns JSON Schema handling for tools: one Ajv instance per supported draft (07, 2019-09,
// 2020-12, chosen by the schema's `$schema`), compiling each schema once at registration, and
// turning Ajv's issues into messages a model can act on
// (``get_expenses: `quarter` must be one of "Q1","Q2", got "q3"``). Never evaluates metadata.

import AjvModule, { type ErrorObject, type Options, type ValidateFunction } from 'ajv';
import Ajv2019Module from 'ajv/dist/2019.js';
import Ajv2020Module from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { truncate } from '../json-data.js';
import type { JsonSchema } from './types.js';

// tsc with module NodeNext types these CommonJS default exports through `.default`.
const Ajv = AjvModule.default;
const Ajv2019 = Ajv2019Module.default;
const Ajv2020 = Ajv2020Module.default;
const addFormats = addFormatsModule.default;

/** Checks a value against a compiled schema; `useDefaults` fills defaults in place. */
export type SchemaCheck = (value: unknown) => { ok: true } | { ok: false; issues: string[] };

/** A JSON Schema dialect the catalog compiles. */
export type SchemaDraft = 'draft-07' | '2019-09' | '2020-12';

const MAX_ISSUES = 3;
const MAX_VALUE_CHARS = 80;
const AJV_OPTIONS: Options = { allErrors: true, useDefaults: true, strict: false, coerceTypes: false };

/** `$schema` URIs (without scheme and trailing `#`) and their dialects. */
const DRAFTS: ReadonlyMap<string, SchemaDraft> = new Map([
  ['json-schema.org/draft-07/schema', 'draft-07'],
  ['json-schema.org/draft/2019-09/schema', '2019-09'],
  ['json-schema.org/draft/2020-12/schema', '2020-12'],
]);

/** The URI each Ajv class knows its meta-schema by. */
const CANONICAL_URIS: Readonly<Record<SchemaDraft, string>> = {
  'draft-07': 'http://json-schema.org/draft-07/schema#',
  '2019-09': 'https://json-schema.org/draft/2019-09/schema',
  '2020-12': 'https://json-schema.org/draft/2020-12/schema',
};

/** The dialect of a schema without `$schema`; what the catalog has always assumed. @default '2020-12' */
const DEFAULT_DRAFT: SchemaDraft = '2020-12';

type AjvInstance = InstanceType<typeof Ajv>;
const instances = new Map<SchemaDraft, AjvInstance>();

function ajvFor(draft: SchemaDraft): AjvInstance {
  let instance = instances.get(draft);
  if (instance === undefined) {
    const Class = draft === 'draft-07' ? Ajv : draft === '2019-09' ? Ajv2019 : Ajv2020;
    instance = new Class(AJV_OPTIONS);
    addFormats(instance);
    instances.set(draft, instance);
  }
  return instance;
}

/**
 * The dialect `schema` declares with `$schema`. Throws for a `$schema` the catalog cannot
 * compile (draft-04, draft-06, a custom meta-schema) rather than guessing.
 */
export function schemaDraftOf(schema: JsonSchema): SchemaDraft {
  if (typeof schema === 'boolean' || schema.$schema === undefined) return DEFAULT_DRAFT;
  const uri = schema.$schema;
  const key = typeof uri === 'string' ? uri.trim().replace(/^https?:\/\//, '').replace(/#$/, '') : undefined;
  const draft = key === undefined ? undefined : DRAFTS.get(key);
  if (draft === undefined) {
    const supported = Object.values(CANONICAL_URIS).join(', ');
    throw new Error(`unsupported \`$schema\` ${JSON.stringify(uri)}; expected one of ${supported} (or none, for 2020-12)`);
  }
  return draft;
}

/** The outcome of every check that passes: one frozen object, not one per tool call. */
const PASSED: { ok: true } = Object.freeze({ ok: true });

/** Compiles `schema` once. Throws with Ajv's reason when the schema itself is invalid. */
export function compileSchema(schema: JsonSchema): SchemaCheck {
  const draft = schemaDraftOf(schema);
  const ajv = ajvFor(draft);
  // Ajv finds the meta-schema by its exact URI: spell `https://...draft-07/schema` its way.
  const spelled = typeof schema === 'object' && schema.$schema !== undefined ? { ...schema, $schema: CANONICAL_URIS[draft] } : schema;
  const validate: ValidateFunction = ajv.compile(spelled as object);
  // Ajv keeps schemas with an `$id` by that id; two tools (or two MCP servers) may share one.
  const id = typeof schema === 'object' ? schema.$id : undefined;
  if (typeof id === 'string') ajv.removeSchema(id);
  return (value) => (validate(value) ? PASSED : { ok: false, issues: describeIssues(validate.errors ?? [], value) });
}

/** Formats a JSON pointer (`/items/0/id`) as a path a script author reads (`items[0].id`). */
export function formatPointer(pointer: string): string {
  let path = '';
  for (const raw of pointer.split('/').slice(1)) {
    const segment = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (/^\d+$/.test(segment)) path += `[${segment}]`;
    else if (/^[A-Za-z_$][\w$]*$/.test(segment)) path += path === '' ? segment : `.${segment}`;
    else path += `[${JSON.stringify(segment)}]`;
  }
  return path;
}

function show(value: unknown): string {
  if (value === undefined) return 'undefined';
  let text: string;
  try {
    text = JSON.stringify(value) ?? typeof value;
  } catch {
    // Too deep or cyclic for JSON: name the kind, never String() (it recurses just as deep).
    text = Array.isArray(value) ? '[an array]' : `[${typeof value}]`;
  }
  return truncate(text, MAX_VALUE_CHARS);
}

function valueAt(root: unknown, pointer: string): unknown {
  let current = root;
  for (const raw of pointer.split('/').slice(1)) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[raw.replace(/~1/g, '/').replace(/~0/g, '~')];
  }
  return current;
}

function describeIssue(issue: ErrorObject, root: unknown): string {
  const path = formatPointer(issue.instancePath);
  const subject = path === '' ? 'the arguments' : `\`${path}\``;
  const got = show(valueAt(root, issue.instancePath));
  const params = issue.params as Record<string, unknown>;
  switch (issue.keyword) {
    case 'required':
      return `\`${path === '' ? '' : `${path}.`}${String(params.missingProperty)}\` is required`;
    case 'additionalProperties':
      return `unexpected ${path === '' ? 'argument' : `property in ${subject}:`} \`${String(params.additionalProperty)}\``;
    case 'enum':
      return `${subject} must be one of ${(params.allowedValues as unknown[]).map(show).join(',')}, got ${got}`;
    case 'const':
      return `${subject} must be ${show(params.allowedValue)}, got ${got}`;
    case 'type':
      return `${subject} must be ${String(params.type)}, got ${got}`;
    default:
      return `${subject} ${issue.message ?? 'is invalid'}, got ${got}`;
  }
}

function describeIssues(errors: readonly ErrorObject[], root: unknown): string[] {
  // anyOf/oneOf report every branch; the branch-level summary is the useful line.
  const meaningful = errors.filter((issue) => issue.keyword !== 'if');
  const issues = [...new Set(meaningful.map((issue) => describeIssue(issue, root)))];
  return issues.length > MAX_ISSUES ? [...issues.slice(0, MAX_ISSUES), `and ${issues.length - MAX_ISSUES} more`] : issues;
}

/** Resolves a local `$ref` (`#/$defs/Name`) inside `root`; undefined for anything else. */
export function resolveLocalRef(root: JsonSchema, ref: string): JsonSchema | undefined {
  if (!ref.startsWith('#/')) return undefined;
  let current: unknown = root;
  for (const raw of ref.slice(2).split('/')) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~')];
  }
  return typeof current === 'object' || typeof current === 'boolean' ? (current as JsonSchema) : undefined;
}

/**
 * Parameter names of an input schema, in declared order: its `properties`, following local
 * `$ref`s and merging `allOf`, `anyOf` and `oneOf` branches (first appearance wins).
 */
export function parameterNames(root: JsonSchema): string[] {
  const names: string[] = [];
  const visit = (schema: JsonSchema | undefined, depth: number): void => {
    if (schema === undefined || typeof schema === 'boolean' || depth > 8) return;
    if (typeof schema.$ref === 'string') visit(resolveLocalRef(root, schema.$ref), depth + 1);
    const properties = schema.properties;
    if (typeof properties === 'object' && properties !== null) {
      for (const name of Object.keys(properties)) if (!names.includes(name)) names.push(name);
    }
    for (const key of ['allOf', 'anyOf', 'oneOf'] as const) {
      const branches = schema[key];
      if (Array.isArray(branches)) for (const branch of branches) visit(branch as JsonSchema, depth + 1);
    }
  };
  visit(root, 0);
  return names;
}
