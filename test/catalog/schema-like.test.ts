import { asSchema, jsonSchema, zodSchema } from 'ai';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { checksOf, ToolCatalog, type ToolDefinition } from '../../src/catalog/index.js';

const handler = () => null;
const args = { type: 'object', properties: { city: { type: 'string' } }, required: ['city'], additionalProperties: false } as const;
const refusal = expect.objectContaining({ code: 'ERR_TOOL_REGISTRATION', toolName: 't' });
const register = (input: unknown) => new ToolCatalog().register({ name: 't', handler, input } as ToolDefinition);

describe('schemas from other libraries', () => {
  it.each([
    ['jsonSchema()', () => jsonSchema(args)],
    ['jsonSchema() of a function', () => jsonSchema(() => args)],
    ['zodSchema()', () => zodSchema(z.object({ city: z.string() }))],
    ['asSchema() of zod', () => asSchema(z.object({ city: z.string() }))],
    ['lazy schema (a function returning one)', () => () => jsonSchema(args)],
  ])('unwraps an AI SDK %s and checks calls against it', (_label, make) => {
    const tool = register(make()).get('t')!;
    expect(tool.parameters).toEqual(['city']);
    expect(tool.input).toMatchObject({ type: 'object', required: ['city'] });
    expect(checksOf(tool).input!({ city: 'Oslo' }).ok).toBe(true);
    expect(checksOf(tool).input!({ city: 3 }).ok).toBe(false);
    expect(new ToolCatalog().register({ name: 't', handler, input: { type: 'object' }, output: make() }).get('t')!.output).toMatchObject({ type: 'object' });
  });

  it('declares an unwrapped AI SDK schema with its real type', () => {
    const catalog = new ToolCatalog().register({ name: 'weather', handler, inputSchema: jsonSchema(args) });
    expect(catalog.toTypeScript()).toContain('city: string');
  });

  it.each([
    ['an AI SDK schema whose JSON Schema is a promise', () => jsonSchema(Promise.resolve(args))],
    ['an unbranded { jsonSchema } wrapper', () => ({ jsonSchema: args })],
    ['a class instance', () => new Map([['type', 'object']])],
    ['a function that is not a lazy schema', () => () => args],
    ['an object with no JSON Schema keyword', () => ({ city: 'string' })],
    ['a Standard Schema that cannot give JSON Schema', () => ({ '~standard': { version: 1, vendor: 'acme', validate: () => ({ value: 1 }) } })],
    ['an array', () => [args]],
    ['a string', () => 'object'],
  ])('refuses %s loudly', (_label, make) => {
    expect(() => register(make())).toThrow(refusal);
  });

  it('converts a Standard Schema that gives JSON Schema', () => {
    const standard = { '~standard': { version: 1, vendor: 'acme', validate: (value: unknown) => ({ value }), jsonSchema: { input: () => args, output: () => args } } };
    expect(checksOf(register(standard).get('t')!).input!({ city: 1 }).ok).toBe(false);
  });

  it('reads zod\'s JSON Schema output as JSON Schema despite its hidden ~standard', () => {
    const json = z.toJSONSchema(z.object({ city: z.string() }).strict());
    expect('~standard' in json).toBe(true);
    expect(checksOf(register(json).get('t')!).input!({ city: 'Oslo', extra: 1 }).ok).toBe(false);
  });
});
