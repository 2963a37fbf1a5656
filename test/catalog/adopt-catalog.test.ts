// adoptCatalog: a catalog of another copy (here, a branded object with the public shape) is
// registered again in this copy, fields carried over as they are.
import { describe, expect, it } from 'vitest';
import { CATALOG_BRAND, CATALOG_SHAPE_VERSION, ToolCatalog, adoptCatalog, catalogShapeVersion } from '../../src/catalog/index.js';
import { ToolRegistrationError } from '../../src/errors.js';

describe('the catalog brand', () => {
  it('is a registry symbol every copy shares, carrying the shape version', () => {
    expect(CATALOG_BRAND).toBe(Symbol.for('toolweaver.catalog'));
    expect(catalogShapeVersion(new ToolCatalog())).toBe(CATALOG_SHAPE_VERSION);
    expect([null, undefined, 1, 'x', {}].map(catalogShapeVersion)).toEqual([undefined, undefined, undefined, undefined, undefined]);
  });
});

describe('adoptCatalog', () => {
  it('registers every tool again with its handler, schemas, concurrency and approval rule', () => {
    const handler = (): number => 1;
    const needsApproval = (): boolean => true;
    const source = new ToolCatalog()
      .register({ name: 'crm.find', description: 'Find', input: { type: 'object', properties: { q: { type: 'string' } } }, concurrency: 3, handler, needsApproval })
      .register({ name: 'ping', handler });
    const adopted = adoptCatalog(source);
    expect(adopted).not.toBe(source);
    expect(adopted.names).toEqual(['crm.find', 'ping']);
    const find = adopted.get('crm.find')!;
    expect([find.handler, find.needsApproval, find.concurrency, find.description, find.scriptName]).toEqual([handler, needsApproval, 3, 'Find', 'crm.find']);
    expect(find.input).toEqual(source.get('crm.find')!.input);
    expect(adopted.toTypeScript()).toBe(source.toTypeScript());
  });

  it('refuses a tool this copy cannot register with ToolRegistrationError', () => {
    const foreign = { list: () => [{ name: 'bad', input: { type: 'nonsense' } }] };
    expect(() => adoptCatalog(foreign)).toThrow(ToolRegistrationError);
  });
});
