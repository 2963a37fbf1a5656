import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { asSchema } from 'ai';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { checksOf, ToolCatalog } from '../../src/catalog/index.js';
import { schemaDraftOf } from '../../src/catalog/schema.js';

const handler = () => null;

function inputCheck(input: object) {
  return checksOf(new ToolCatalog().register({ name: 't', handler, input }).get('t')!).input!;
}

/** The tools an MCP SDK server lists, as a real SDK client receives them. */
async function listedByMcpSdk() {
  const server = new McpServer({ name: 'drafts', version: '1.0.0' });
  const text = { content: [{ type: 'text' as const, text: 'ok' }] };
  server.registerTool('get_weather', { inputSchema: { city: z.string(), days: z.number().int().default(1) }, outputSchema: { temp: z.number() } }, async () => ({ ...text, structuredContent: { temp: 1 } }));
  const [serverSide, clientSide] = InMemoryTransport.createLinkedPair();
  await server.connect(serverSide);
  const client = new Client({ name: 'test', version: '1.0.0' });
  await client.connect(clientSide);
  const { tools } = await client.listTools();
  await client.close();
  return tools;
}

describe('JSON Schema drafts', () => {
  it.each([
    ['draft-07', 'http://json-schema.org/draft-07/schema#', 'draft-07'],
    ['draft-07 over https without the #', 'https://json-schema.org/draft-07/schema', 'draft-07'],
    ['2019-09', 'https://json-schema.org/draft/2019-09/schema', '2019-09'],
    ['2020-12', 'https://json-schema.org/draft/2020-12/schema', '2020-12'],
  ])('compiles a %s schema and checks calls against it', (_label, $schema, draft) => {
    const schema = { $schema, type: 'object', properties: { n: { type: 'integer', minimum: 1 } }, required: ['n'] };
    expect(schemaDraftOf(schema)).toBe(draft);
    const check = inputCheck(schema);
    expect(check({ n: 2 }).ok).toBe(true);
    expect(check({ n: 0 }).ok).toBe(false);
    expect(check({}).ok).toBe(false);
  });

  it('reads a schema without $schema as 2020-12', () => {
    expect(schemaDraftOf({ type: 'object' })).toBe('2020-12');
    const check = inputCheck({ type: 'object', properties: { xs: { type: 'array', prefixItems: [{ type: 'string' }], items: false } } });
    expect(check({ xs: ['a'] }).ok).toBe(true);
    expect(check({ xs: ['a', 'b'] }).ok).toBe(false);
  });

  it('applies each draft\'s own semantics (draft-07 array `items`, 2019-09 `$recursiveRef`)', () => {
    const tuple = inputCheck({ $schema: 'http://json-schema.org/draft-07/schema#', type: 'object', properties: { xs: { type: 'array', items: [{ type: 'string' }], additionalItems: false } } });
    expect(tuple({ xs: ['a'] }).ok).toBe(true);
    expect(tuple({ xs: ['a', 1] }).ok).toBe(false);
    const tree = inputCheck({
      $schema: 'https://json-schema.org/draft/2019-09/schema',
      $recursiveAnchor: true,
      type: 'object',
      properties: { value: { type: 'number' }, children: { type: 'array', items: { $recursiveRef: '#' } } },
    });
    expect(tree({ value: 1, children: [{ value: 2, children: [] }] }).ok).toBe(true);
    expect(tree({ value: 1, children: [{ value: 'two' }] }).ok).toBe(false);
  });

  it.each([
    ['draft-04', 'http://json-schema.org/draft-04/schema#'],
    ['a custom meta-schema', 'https://example.com/my-meta'],
    ['a number', 7],
  ])('refuses %s at register', (_label, $schema) => {
    expect(() => new ToolCatalog().register({ name: 't', handler, input: { $schema, type: 'object' } })).toThrow(expect.objectContaining({ code: 'ERR_TOOL_REGISTRATION', toolName: 't' }));
  });

  it('registers the exact input and output schemas an MCP SDK server lists', async () => {
    const [listed] = await listedByMcpSdk();
    expect(listed!.inputSchema.$schema).toBe('http://json-schema.org/draft-07/schema#');
    const tool = new ToolCatalog().register({ name: listed!.name, handler, input: listed!.inputSchema, output: listed!.outputSchema }).get('get_weather')!;
    const args: Record<string, unknown> = { city: 'Oslo' };
    expect(checksOf(tool).input!(args).ok).toBe(true);
    expect(args.days).toBe(1);
    expect(checksOf(tool).input!({ city: 3 }).ok).toBe(false);
    expect(checksOf(tool).output!({ temp: 'hot' }).ok).toBe(false);
    expect(tool.parameters).toEqual(['city', 'days']);
  });

  it('registers the exact schema the AI SDK\'s asSchema() produces', () => {
    const json = asSchema(z.object({ city: z.string(), units: z.enum(['c', 'f']).optional() })).jsonSchema as object;
    expect((json as { $schema?: unknown }).$schema).toBe('http://json-schema.org/draft-07/schema#');
    const check = inputCheck(json);
    expect(check({ city: 'Oslo', units: 'c' }).ok).toBe(true);
    expect(check({ city: 'Oslo', units: 'k' }).ok).toBe(false);
    expect(check({ city: 'Oslo', extra: 1 }).ok).toBe(false);
  });

  it('registers two tools whose schemas share an $id', () => {
    const schema = { $id: 'https://example.com/args', type: 'object', properties: { a: { type: 'string' } } };
    const catalog = new ToolCatalog().register({ name: 'one', handler, input: schema }).register({ name: 'two', handler, input: { ...schema, $schema: 'http://json-schema.org/draft-07/schema#' } }).register({ name: 'three', handler, input: schema });
    expect(checksOf(catalog.get('three')!).input!({ a: 1 }).ok).toBe(false);
  });
});
