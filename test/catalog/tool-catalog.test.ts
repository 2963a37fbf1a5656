import { describe, expect, it } from 'vitest';
import { ToolCatalog, toNamedArguments } from '../../src/catalog/index.js';
import { ToolRegistrationError } from '../../src/errors.js';

const handler = () => null;

describe('ToolCatalog', () => {
  it('registers tools in order and freezes them with their parameter order', () => {
    const catalog = new ToolCatalog()
      .register({ name: 'b_tool', handler, input: { type: 'object', properties: { z: {}, a: {} } } })
      .register({ name: 'a_tool', handler, description: 'second' });
    expect(catalog.names).toEqual(['b_tool', 'a_tool']);
    expect(catalog.get('b_tool')?.parameters).toEqual(['z', 'a']);
    expect(catalog.get('a_tool')?.parameters).toBeUndefined();
    expect(Object.isFrozen(catalog.get('a_tool'))).toBe(true);
    expect(catalog.version).toBe(2);
  });

  it.each([
    ['a duplicate name', [{ name: 'dup', handler }, { name: 'dup', handler }]],
    ['an empty name', [{ name: ' ', handler }]],
    ['a handler that is not a function', [{ name: 'h', handler: 'run' }]],
    ['a non-integer concurrency', [{ name: 'c', handler, concurrency: 0.5 }]],
    ['a non-object input schema', [{ name: 's', handler, input: 'string' }]],
    ['an input schema that is not an object type', [{ name: 's', handler, input: { type: 'array' } }]],
    ['an invalid JSON Schema', [{ name: 's', handler, output: { type: 'strng' } }]],
    ['a zod 3 schema', [{ name: 'z', handler, input: { _def: {}, safeParse: () => ({}) } }]],
  ])('rejects %s with ToolRegistrationError', (_label, definitions) => {
    const catalog = new ToolCatalog();
    let error: unknown;
    try {
      for (const definition of definitions) catalog.register(definition as never);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ToolRegistrationError);
    expect((error as ToolRegistrationError).code).toBe('ERR_TOOL_REGISTRATION');
  });

  it('accepts a tool without a handler, for stub mode', () => {
    const catalog = new ToolCatalog().register({ name: 'stub_only', output: { type: 'string' } });
    expect(catalog.get('stub_only')?.handler).toBeUndefined();
  });
});

describe('toNamedArguments', () => {
  const tool = new ToolCatalog()
    .register({ name: 'get_expenses', handler, input: { type: 'object', properties: { memberId: {}, quarter: {} } } })
    .get('get_expenses')!;
  const untyped = new ToolCatalog().register({ name: 'raw', handler }).get('raw')!;
  const single = new ToolCatalog().register({ name: 'save', handler, input: { type: 'object', properties: { doc: {} } } }).get('save')!;

  it.each([
    ['positional', ['m-1', 'Q3'], { memberId: 'm-1', quarter: 'Q3' }],
    ['named', [{ memberId: 'm-1', quarter: 'Q3' }], { memberId: 'm-1', quarter: 'Q3' }],
    ['fewer positional', ['m-1'], { memberId: 'm-1' }],
    ['no arguments', [], {}],
    ['an explicit undefined skipped', [undefined, 'Q1'], { quarter: 'Q1' }],
  ])('maps %s arguments', (_label, args, expected) => {
    expect(toNamedArguments(tool, args)).toEqual({ ok: true, value: expected });
  });

  it('treats one object whose keys are not parameters as the first positional argument', () => {
    expect(toNamedArguments(single, [{ title: 'x' }])).toEqual({ ok: true, value: { doc: { title: 'x' } } });
  });

  it('refuses more positional arguments than parameters', () => {
    expect(toNamedArguments(tool, [1, 2, 3]).ok).toBe(false);
  });

  it('passes the single argument of a tool without input schema through', () => {
    expect(toNamedArguments(untyped, ['x'])).toEqual({ ok: true, value: 'x' });
    expect(toNamedArguments(untyped, [])).toEqual({ ok: true, value: undefined });
    expect(toNamedArguments(untyped, [1, 2]).ok).toBe(false);
  });
});
