// createMcpServer in process, driven by a real SDK Client over the SDK's in-memory transport:
// the client's cancellation aborts the script, and a changed catalog updates the description.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { ToolListChangedNotificationSchema } from '@modelcontextprotocol/sdk/types.js';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createEngine, ToolCatalog, type Engine } from 'toolweaver';
import { createMcpServer } from '../../dist/connectors/mcp/index.js';

let engine: Engine | undefined;
let client: Client | undefined;
afterEach(async () => {
  await client?.close();
  await engine?.close({ force: true });
  client = engine = undefined;
});

async function serve(catalog: ToolCatalog): Promise<Client> {
  engine = createEngine({ catalog, threads: 1 });
  const server = createMcpServer(engine, { catalog });
  const [serverSide, clientSide] = InMemoryTransport.createLinkedPair();
  await server.connect(serverSide);
  client = new Client({ name: 'test', version: '1.0.0' });
  await client.connect(clientSide);
  return client;
}

describe('createMcpServer', () => {
  it('aborts the script when the client cancels the call', async () => {
    let entered!: () => void;
    const inside = new Promise<void>((resolve) => (entered = resolve));
    const seen = { aborted: false };
    const catalog = new ToolCatalog().register({
      name: 'wait_forever',
      handler: (_input: unknown, { signal }) =>
        new Promise((_resolve, reject) => {
          entered();
          signal.addEventListener('abort', () => {
            seen.aborted = true;
            reject(new Error('aborted'));
          });
        }),
    });
    const mcp = await serve(catalog);
    const controller = new AbortController();
    const call = mcp.callTool({ name: 'execute_code', arguments: { code: 'return await wait_forever()' } }, undefined, { signal: controller.signal });
    await inside;
    controller.abort();
    await expect(call).rejects.toThrow();
    await vi.waitFor(() => expect(seen.aborted).toBe(true), { timeout: 10_000 });
  });

  it('brings the description up to date, and announces it, after the catalog changes', async () => {
    const catalog = new ToolCatalog().register({ name: 'first_tool', handler: () => 1 });
    const mcp = await serve(catalog);
    let announced = 0;
    mcp.setNotificationHandler(ToolListChangedNotificationSchema, () => {
      announced++;
    });
    const before = (await mcp.listTools()).tools[0]!.description;
    expect(before).toContain('first_tool');
    expect(before).not.toContain('second_tool');
    catalog.register({ name: 'second_tool', handler: () => 2 });
    const result = await mcp.callTool({ name: 'execute_code', arguments: { code: 'return await first_tool() + await second_tool()' } });
    expect((result.structuredContent as { value: number }).value).toBe(3);
    await vi.waitFor(() => expect(announced).toBe(1), { timeout: 5_000 });
    expect((await mcp.listTools()).tools[0]!.description).toContain('second_tool');
  });
});
