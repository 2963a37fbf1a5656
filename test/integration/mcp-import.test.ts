// A real MCP server process (fixtures/mcp-server.mjs, written with the SDK) imported into a
// catalog through a real Client over StdioClientTransport, and called from scripts.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createEngine, ToolCatalog, type Engine } from 'toolweaver';
// The package's `toolweaver/mcp` export, from the same build (vitest aliases only the main entry).
import { addMcpServer, McpToolError, type McpServerTools } from '../../dist/connectors/mcp/index.js';

const serverPath = new URL('../../fixtures/mcp-server.mjs', import.meta.url).pathname;

describe('addMcpServer with a real MCP server over stdio', () => {
  let client: Client;
  let catalog: ToolCatalog;
  let imported: McpServerTools;
  let engine: Engine;

  beforeAll(async () => {
    client = new Client({ name: 'toolweaver-test', version: '1.0.0' });
    await client.connect(new StdioClientTransport({ command: process.execPath, args: [serverPath], stderr: 'inherit' }));
    catalog = new ToolCatalog();
    imported = await addMcpServer(catalog, client, { namespace: 'warehouse' });
    engine = createEngine({ catalog, threads: 1 });
  });

  afterAll(async () => {
    await engine?.close({ force: true });
    await imported?.close();
    await client?.close();
  });

  it('registers every tool, namespaced and sanitized, with typed declarations', () => {
    expect(imported.names).toContain('warehouse.get_weather');
    expect(catalog.get('warehouse.get-stock')?.scriptName).toBe('warehouse.get_stock');
    const declarations = catalog.toTypeScript();
    expect(declarations).toContain('units?: "c" | "f"');
    expect(declarations).toContain('temperature: number');
  });

  it('passes structuredContent for a tool with an output schema and text otherwise, fan-out included', async () => {
    const result = await engine.execute(`
      const weather = await warehouse.get_weather({ city: 'Oslo' });
      const echoed = await warehouse.echo('hi');
      const stock = await Promise.all(['a', 'bb', 'ccc', 'dddd', 'eeeee'].map((sku) => warehouse.get_stock(sku)));
      return { weather, echoed, stock, maxInFlight: Number(await warehouse.max_in_flight()) };
    `);
    expect(result.value).toMatchObject({ weather: { city: 'Oslo', temperature: 4, units: 'c' }, echoed: 'echo: hi', stock: ['10', '20', '30', '40', '50'] });
    expect((result.value as { maxInFlight: number }).maxInFlight).toBeGreaterThan(1);
    expect(result.metadata.toolCallsByName['warehouse.get-stock']).toBe(5);
  });

  it('turns an isError result into a tool failure the script can catch', async () => {
    const caught = await engine.execute(`try { await warehouse.fail_always(); return 'ran'; } catch (error) { return error.message; }`);
    expect(caught.value).toContain('the warehouse is offline');
    const failure = await engine.execute('return await warehouse.fail_always()').catch((error: unknown) => error);
    expect(failure).toMatchObject({ code: 'ERR_TOOL_CALL', toolName: 'warehouse.fail_always' });
    expect((failure as Error).cause).toBeInstanceOf(McpToolError);
  });

  it('cancels the MCP request when the script ends', async () => {
    const before = Number((await engine.execute('return await warehouse.cancellations()')).value);
    const failure = await engine.execute('await warehouse.slow({ ms: 60000 }); return 1', { timeoutMs: 300 }).catch((error: unknown) => error);
    expect(failure).toMatchObject({ code: 'ERR_EXECUTION_TIMEOUT' });
    await vi.waitFor(async () => expect(Number((await engine.execute('return await warehouse.cancellations()')).value)).toBe(before + 1), { timeout: 10_000, interval: 100 });
  });

  it('follows tools/list_changed: added tools become callable, removed ones go away', async () => {
    await engine.execute('return await warehouse.add_late_tool()');
    await vi.waitFor(() => expect(catalog.has('warehouse.late_tool')).toBe(true), { timeout: 10_000, interval: 50 });
    expect((await engine.execute('return await warehouse.late_tool({ n: 21 })')).value).toBe('42');
    await engine.execute('return await warehouse.remove_late_tool()');
    await vi.waitFor(() => expect(catalog.has('warehouse.late_tool')).toBe(false), { timeout: 10_000, interval: 50 });
    const failure = await engine.execute('return await warehouse.late_tool({ n: 1 })').catch((error: unknown) => error);
    expect(failure).toMatchObject({ code: 'ERR_UNKNOWN_TOOL' });
  });

  it('unregisters the server\'s tools on close', async () => {
    const other = new ToolCatalog();
    const transport = new StdioClientTransport({ command: process.execPath, args: [serverPath], stderr: 'inherit' });
    const owned = await addMcpServer(other, transport);
    expect(other.has('get_weather')).toBe(true);
    await owned.close();
    expect(other.size).toBe(0);
  });
});
