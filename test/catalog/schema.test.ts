import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { checksOf, ToolCatalog } from '../../src/catalog/index.js';
import { formatPointer, parameterNames } from '../../src/catalog/schema.js';

const handler = () => null;
const quarterTool = () =>
  new ToolCatalog()
    .register({
      name: 'get_expenses',
      handler,
      input: {
        type: 'object',
        properties: { memberId: { type: 'string' }, quarter: { enum: ['Q1', 'Q2', 'Q3', 'Q4'] }, limit: { type: 'integer', default: 10 } },
        required: ['memberId', 'quarter'],
        additionalProperties: false,
      },
    })
    .get('get_expenses')!;

describe('schema checks', () => {
  it.each([
    ['an enum miss', { memberId: 'm', quarter: 'q3' }, '`quarter` must be one of "Q1","Q2","Q3","Q4", got "q3"'],
    ['a missing property', { quarter: 'Q1' }, '`memberId` is required'],
    ['a wrong type', { memberId: 7, quarter: 'Q1' }, '`memberId` must be string, got 7'],
    ['an extra property', { memberId: 'm', quarter: 'Q1', extra: 1 }, 'unexpected argument `extra`'],
  ])('describes %s with the path and what was expected', (_label, args, issue) => {
    const result = checksOf(quarterTool()).input!(args);
    expect(result.ok).toBe(false);
    expect(result.ok === false && result.issues).toContain(issue);
  });

  it('fills defaults into the arguments', () => {
    const args: Record<string, unknown> = { memberId: 'm', quarter: 'Q1' };
    expect(checksOf(quarterTool()).input!(args).ok).toBe(true);
    expect(args.limit).toBe(10);
  });

  it('formats JSON pointers as script paths', () => {
    expect(formatPointer('/items/0/id')).toBe('items[0].id');
    expect(formatPointer('/odd key/x')).toBe('["odd key"].x');
  });

  it('orders parameters through $ref, allOf and anyOf', () => {
    expect(parameterNames({ $ref: '#/$defs/A', $defs: { A: { properties: { a: {}, b: {} } } } })).toEqual(['a', 'b']);
    expect(parameterNames({ allOf: [{ properties: { x: {} } }, { properties: { y: {}, x: {} } }] })).toEqual(['x', 'y']);
    expect(parameterNames({ anyOf: [{ properties: { q: {} } }, { properties: { r: {} } }] })).toEqual(['q', 'r']);
  });
});

describe('zod tools', () => {
  it('converts a zod 4 schema once and validates against it', () => {
    const catalog = new ToolCatalog().register({
      name: 'create_user',
      handler,
      input: z.object({ email: z.email(), role: z.enum(['admin', 'member']).default('member') }),
      output: z.object({ id: z.string() }),
    });
    const tool = catalog.get('create_user')!;
    expect(tool.parameters).toEqual(['email', 'role']);
    expect(checksOf(tool).input!({ email: 'not-an-email' }).ok).toBe(false);
    const args: Record<string, unknown> = { email: 'a@b.co' };
    expect(checksOf(tool).input!(args).ok).toBe(true);
    expect(args.role).toBe('member');
  });

  it('accepts an MCP-style raw shape and AI SDK field names', () => {
    const catalog = new ToolCatalog().register({ name: 'search', inputSchema: { query: z.string(), limit: z.number().optional() }, execute: handler });
    const tool = catalog.get('search')!;
    expect(tool.parameters).toEqual(['query', 'limit']);
    expect(tool.handler).toBe(handler);
    expect(checksOf(tool).input!({ limit: 3 }).ok).toBe(false);
  });
});
