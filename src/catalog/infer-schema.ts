// Owns the type-level reading of a schema: the TypeScript type of the value a schema accepts,
// for zod 4, AI SDK and Standard schemas, and a modest subset of JSON Schema written `as const`
// (objects, required, scalars, enums, const, arrays, anyOf/oneOf). Types only; anything it
// cannot read precisely becomes `any`, never a wrong type.

import type { z } from 'zod';

type Depth = readonly unknown[];
/** Nesting past this depth reads as `unknown` (keeps the checker fast on recursive schemas). */
type MaxDepth = 8;

type Simplify<T> = { [K in keyof T]: T[K] } & {};

type RequiredKeys<S> = S extends { readonly required: readonly (infer R)[] } ? R : never;

/** Keys with a `default`: the catalog fills them before the handler runs (Ajv `useDefaults`). */
type DefaultedKeys<P> = { [K in keyof P]: P[K] extends { readonly default: unknown } ? K : never }[keyof P];

type ObjectOf<S, D extends Depth> = S extends { readonly properties: infer P }
  ? Simplify<
      { -readonly [K in keyof P as K extends RequiredKeys<S> | DefaultedKeys<P> ? K : never]: FromJsonSchema<P[K], [...D, 0]> } & {
        -readonly [K in keyof P as K extends RequiredKeys<S> | DefaultedKeys<P> ? never : K]?: FromJsonSchema<P[K], [...D, 0]>;
      }
    >
  : Record<string, unknown>;

type ArrayOf<S, D extends Depth> = S extends { readonly items: infer I }
  ? I extends readonly unknown[]
    ? unknown[]
    : FromJsonSchema<I, [...D, 0]>[]
  : unknown[];

type FromType<T, S, D extends Depth> = T extends 'string'
  ? string
  : T extends 'number' | 'integer'
    ? number
    : T extends 'boolean'
      ? boolean
      : T extends 'null'
        ? null
        : T extends 'array'
          ? ArrayOf<S, D>
          : T extends 'object'
            ? ObjectOf<S, D>
            : unknown;

/**
 * The type of the values a JSON Schema literal (`as const`) accepts. A modest subset:
 * `type` (one or a list), `properties` + `required`, `enum`, `const`, `items`, `anyOf`/`oneOf`.
 * Other keywords narrow nothing; `$ref` and `allOf` read as `unknown`.
 */
export type FromJsonSchema<S, D extends Depth = []> = D['length'] extends MaxDepth
  ? unknown
  : S extends true
    ? unknown
    : S extends false
      ? never
      : S extends { readonly const: infer C }
        ? C
        : S extends { readonly enum: readonly (infer E)[] }
          ? E
          : S extends { readonly anyOf: readonly (infer B)[] }
            ? FromJsonSchema<B, [...D, 0]>
            : S extends { readonly oneOf: readonly (infer B)[] }
              ? FromJsonSchema<B, [...D, 0]>
              : S extends { readonly type: infer T }
                ? T extends readonly (infer U)[]
                  ? FromType<U, S, D>
                  : FromType<T, S, D>
                : S extends { readonly properties: object }
                  ? ObjectOf<S, D>
                  : unknown;

/** An AI SDK `Schema<T>` (from `jsonSchema()`, `zodSchema()`, `asSchema()`): carries `T` as `_type`. */
type AiSdkSchema<T> = { readonly _type: T; readonly jsonSchema: unknown };

/** A schema whose exact TypeScript type is not known (a widened `JsonSchema`, `object`). */
type IsWide<S> = string extends keyof S ? true : [keyof S] extends [never] ? true : false;

/**
 * The type of the value a schema accepts, as a handler receives it:
 * - zod 4: `z.output<S>` (defaults applied; note the catalog checks with the JSON Schema
 *   zod produces, so transforms do not run);
 * - a raw shape of zod schemas: the object they describe;
 * - AI SDK `Schema<T>`, lazy schemas and Standard Schemas: their declared type;
 * - a JSON Schema literal (`as const`): `FromJsonSchema<S>`;
 * - anything else, or no schema: `any`.
 */
export type InferSchema<S> = 0 extends 1 & S
  ? any
  : [S] extends [undefined]
    ? any
    : S extends z.core.$ZodType
      ? z.output<S>
      : S extends AiSdkSchema<infer T>
        ? T
        : S extends () => AiSdkSchema<infer T>
          ? T
          : S extends { readonly '~standard': { readonly types?: infer Types } }
            ? Types extends { readonly output: infer T }
              ? T
              : any
            : S extends boolean
              ? any
              : S extends Record<string, z.core.$ZodType>
                ? IsWide<S> extends true
                  ? any
                  : z.output<z.ZodObject<S>>
                : IsWide<S> extends true
                  ? any
                  : FromJsonSchema<S>;
