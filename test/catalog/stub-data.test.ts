import { describe, expect, it } from 'vitest';
import { checksOf, createRandom, generateStub, ToolCatalog, type JsonSchema } from '../../src/catalog/index.js';

const userList: JsonSchema = {
  type: 'array',
  items: {
    type: 'object',
    properties: {
      id: { type: 'string' },
      name: { type: 'string' },
      email: { type: 'string', format: 'email' },
      signedUpAt: { type: 'string', format: 'date-time' },
      plan: { enum: ['free', 'pro'] },
      seats: { type: 'integer', minimum: 1, maximum: 50 },
    },
    required: ['id', 'name', 'email', 'signedUpAt', 'plan', 'seats'],
  },
};

describe('generateStub', () => {
  it('gives the same data for the same seed and different data for another', () => {
    const a = generateStub(userList, userList, createRandom('seed-1'));
    const b = generateStub(userList, userList, createRandom('seed-1'));
    const c = generateStub(userList, userList, createRandom('seed-2'));
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
  });

  it('makes realistically shaped data that is valid against the schema', () => {
    const check = checksOf(new ToolCatalog().register({ name: 'list_users', output: userList }).get('list_users')!).output!;
    for (const seed of ['a', 'b', 'c', 'd', 'e']) {
      const users = generateStub(userList, userList, createRandom(seed)) as Array<Record<string, unknown>>;
      expect(check(users)).toEqual({ ok: true });
      expect(users.length).toBeGreaterThanOrEqual(3);
      for (const user of users) {
        expect(user.email).toMatch(/^[a-z]+\.[a-z]+@example\.com$/);
        expect(new Date(user.signedUpAt as string).toISOString()).toBe(user.signedUpAt);
        expect(user.name).toMatch(/^[A-Z][a-z]+ [A-Z][a-z]+$/);
      }
    }
  });

  it.each([
    ['const', { const: 7 }, 7],
    ['a bounded integer', { type: 'integer', minimum: 3, maximum: 3 }, 3],
    ['a nullable string', { type: ['null', 'string'], const: undefined }, expect.any(String)],
    ['a $ref', { $ref: '#/$defs/Flag', $defs: { Flag: { type: 'boolean' } } }, expect.any(Boolean)],
    ['array bounds', { type: 'array', items: { type: 'number' }, minItems: 1, maxItems: 1 }, [expect.any(Number)]],
  ])('handles %s', (_label, schema, expected) => {
    const clean = JSON.parse(JSON.stringify(schema)) as JsonSchema;
    expect(generateStub(clean, clean, createRandom('x'))).toEqual(expected);
  });
});

describe('generateStub numeric bounds', () => {
  const check = (schema: JsonSchema) => checksOf(new ToolCatalog().register({ name: 'n', output: schema }).get('n')!).output!;
  it.each([
    ['an integer multipleOf', { type: 'integer', multipleOf: 5 }],
    ['an exclusive range for a number', { type: 'number', exclusiveMinimum: 0, maximum: 0.5 }],
    ['an exclusive range for an integer', { type: 'integer', exclusiveMinimum: 0, exclusiveMaximum: 3 }],
    ['a number multipleOf', { type: 'number', multipleOf: 0.25, minimum: 1, maximum: 2 }],
  ])('stays valid for %s across seeds', (_label, schema) => {
    const validate = check(schema as JsonSchema);
    for (let seed = 0; seed < 40; seed++) {
      expect(validate(generateStub(schema as JsonSchema, schema as JsonSchema, createRandom(String(seed))))).toEqual({ ok: true });
    }
  });
});
