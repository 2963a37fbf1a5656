// Owns generating fake data from a JSON Schema for stub mode: deterministic for a seed,
// realistically shaped (several array items, names, emails, dates), valid by construction
// where it can be and checked against the compiled schema by the caller.

import { resolveLocalRef } from './schema.js';
import type { JsonSchema } from './types.js';

const MAX_DEPTH = 6;
const FIRST = ['Ada', 'Grace', 'Alan', 'Edsger', 'Barbara', 'Ken', 'Radia', 'Donald', 'Frances', 'Leslie'];
const LAST = ['Lovelace', 'Hopper', 'Turing', 'Dijkstra', 'Liskov', 'Thompson', 'Perlman', 'Knuth', 'Allen', 'Lamport'];
const WORDS = ['alpha', 'harbor', 'quartz', 'meadow', 'signal', 'copper', 'lantern', 'orbit', 'summit', 'willow'];
const BASE_TIME = Date.UTC(2024, 0, 1);

/** A deterministic random source: a float in [0, 1). */
export type Random = () => number;

/** Seeds a mulberry32 generator from any string (FNV-1a hash). */
export function createRandom(seed: string): Random {
  let hash = 0x811c9dc5;
  for (let i = 0; i < seed.length; i++) hash = Math.imul(hash ^ seed.charCodeAt(i), 0x01000193);
  let state = hash >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pick = <T>(random: Random, items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
const between = (random: Random, min: number, max: number): number => min + random() * (max - min);

function formatted(format: string, random: Random): string | undefined {
  const time = BASE_TIME + Math.floor(random() * 365 * 86_400_000);
  switch (format) {
    case 'email':
      return `${pick(random, FIRST)}.${pick(random, LAST)}@example.com`.toLowerCase();
    case 'date-time':
      return new Date(time).toISOString();
    case 'date':
      return new Date(time).toISOString().slice(0, 10);
    case 'time':
      return new Date(time).toISOString().slice(11, 19);
    case 'uuid':
      return 'xxxxxxxx-xxxx-4xxx-8xxx-xxxxxxxxxxxx'.replace(/x/g, () => Math.floor(random() * 16).toString(16));
    case 'uri':
    case 'url':
      return `https://example.com/${pick(random, WORDS)}/${Math.floor(random() * 1000)}`;
    case 'hostname':
      return `${pick(random, WORDS)}.example.com`;
    case 'ipv4':
      return [0, 0, 0, 0].map(() => Math.floor(random() * 256)).join('.');
    default:
      return undefined;
  }
}

function byName(name: string, random: Random): string {
  const key = name.toLowerCase();
  if (key.includes('email')) return formatted('email', random)!;
  if (/(^|_)(first_?name)$/.test(key)) return pick(random, FIRST);
  if (/(last_?name|surname)$/.test(key)) return pick(random, LAST);
  if (key.endsWith('name')) return `${pick(random, FIRST)} ${pick(random, LAST)}`;
  if (/(^|_)id$|Id$/.test(name)) return `${key.replace(/_?id$/, '').slice(0, 3) || 'id'}-${String(Math.floor(random() * 1000)).padStart(3, '0')}`;
  if (/(url|link|href)$/.test(key)) return formatted('uri', random)!;
  if (/(date|_at|time)$/.test(key)) return formatted('date-time', random)!;
  if (/(description|body|text|summary|comment)$/.test(key)) return `The ${pick(random, WORDS)} ${pick(random, WORDS)} is ready for review.`;
  return `${pick(random, WORDS)} ${pick(random, WORDS)}`;
}

function stubString(schema: Record<string, unknown>, name: string, random: Random): string {
  let text = (typeof schema.format === 'string' ? formatted(schema.format, random) : undefined) ?? byName(name, random);
  const min = typeof schema.minLength === 'number' ? schema.minLength : 0;
  const max = typeof schema.maxLength === 'number' ? schema.maxLength : Infinity;
  while (text.length < min) text += ` ${pick(random, WORDS)}`;
  return text.slice(0, max);
}

function stubNumber(schema: Record<string, unknown>, name: string, random: Random): number {
  const key = name.toLowerCase();
  const integer = schema.type === 'integer';
  const [low, high] = /(amount|price|total|cost|revenue|spent)/.test(key) ? [10, 5000] : /(score|percent|pct)/.test(key) ? [0, 100] : /(count|quantity|qty)/.test(key) ? [1, 20] : [1, 1000];
  // An exclusive bound moves inwards by the smallest step the type allows here.
  const step = integer ? 1 : 0.01;
  const lower = typeof schema.minimum === 'number' ? schema.minimum : typeof schema.exclusiveMinimum === 'number' ? schema.exclusiveMinimum + step : undefined;
  const upper = typeof schema.maximum === 'number' ? schema.maximum : typeof schema.exclusiveMaximum === 'number' ? schema.exclusiveMaximum - step : undefined;
  const min = lower ?? Math.min(low, upper ?? low);
  const max = upper ?? Math.max(high, min);
  const value = between(random, min, max);
  const multiple = typeof schema.multipleOf === 'number' ? schema.multipleOf : integer ? 1 : 0.01;
  // The nearest multiple inside [min, max]; rounding to 0.01 for plain numbers keeps them readable.
  const rounded = Math.min(Math.floor(max / multiple) * multiple, Math.max(Math.ceil(min / multiple) * multiple, Math.round(value / multiple) * multiple));
  return Number(rounded.toFixed(10));
}

/** Generates one value for `schema`. `name` is the property name, used for realistic strings. */
export function generateStub(schema: JsonSchema | undefined, root: JsonSchema, random: Random, name = '', depth = 0): unknown {
  if (schema === undefined || typeof schema === 'boolean' || depth > MAX_DEPTH) return null;
  const next = (child: unknown, childName = name): unknown => generateStub(child as JsonSchema, root, random, childName, depth + 1);
  if (typeof schema.$ref === 'string') return next(resolveLocalRef(root, schema.$ref));
  if ('const' in schema) return schema.const;
  if (Array.isArray(schema.enum)) return pick(random, schema.enum);
  for (const key of ['oneOf', 'anyOf'] as const) {
    const branches = schema[key];
    if (Array.isArray(branches) && branches.length > 0) return next(branches.find((branch) => (branch as Record<string, unknown>)?.type !== 'null') ?? branches[0]);
  }
  if (Array.isArray(schema.allOf)) return next(mergeAllOf(schema));
  const type = Array.isArray(schema.type) ? (schema.type.find((t) => t !== 'null') ?? 'null') : schema.type ?? (schema.properties !== undefined ? 'object' : undefined);
  switch (type) {
    case 'string':
      return stubString(schema, name, random);
    case 'number':
    case 'integer':
      return stubNumber({ ...schema, type }, name, random);
    case 'boolean':
      return random() < 0.5;
    case 'null':
      return null;
    case 'array': {
      const min = typeof schema.minItems === 'number' ? schema.minItems : 3;
      const max = typeof schema.maxItems === 'number' ? schema.maxItems : Math.max(min, 5);
      const count = Math.min(max, Math.max(min, 3 + Math.floor(random() * 3)));
      return Array.from({ length: count }, () => next(schema.items, name.replace(/s$/, '')));
    }
    case 'object':
      return stubObject(schema, next, random);
    default:
      return byName(name, random);
  }
}

function stubObject(schema: Record<string, unknown>, next: (child: unknown, name: string) => unknown, random: Random): Record<string, unknown> {
  const required = new Set(Array.isArray(schema.required) ? (schema.required as string[]) : []);
  const result: Record<string, unknown> = {};
  for (const [key, child] of Object.entries((schema.properties ?? {}) as Record<string, unknown>)) {
    if (required.has(key) || random() < 0.7) result[key] = next(child, key);
  }
  return result;
}

function mergeAllOf(schema: Record<string, unknown>): Record<string, unknown> {
  const merged: Record<string, unknown> = { type: 'object', properties: {}, required: [] };
  for (const branch of schema.allOf as Array<Record<string, unknown>>) {
    Object.assign(merged.properties as object, branch.properties ?? {});
    (merged.required as unknown[]).push(...((branch.required as unknown[]) ?? []));
  }
  return merged;
}
