// createMcpHttpHandler mounted on a real Node HTTP server, driven by the SDK's HTTP client:
// its session limits and idle sweep, and its options checked.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { createEngine, InvalidOptionsError, ToolCatalog, type Engine } from 'toolweaver';
import { afterEach, describe, expect, it } from 'vitest';
// The build, as `toolweaver/mcp` resolves for users (and as `toolweaver` resolves here).
import { createMcpHttpHandler, createMcpServer, type McpHttpHandler, type McpHttpHandlerOptions } from '../../../dist/connectors/mcp/index.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';

const catalog = new ToolCatalog().register({ name: 'ping', handler: () => 'pong' });
const opened: Array<{ engine: Engine; handler?: McpHttpHandler; server: Server }> = [];
const clients: Client[] = [];

afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.close().catch(() => undefined)));
  for (const { engine, handler, server } of opened.splice(0)) {
    await handler?.close();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    await engine.close({ force: true });
  }
});

async function listen(options: Omit<McpHttpHandlerOptions, 'catalog'>): Promise<{ url: URL; handler: McpHttpHandler }> {
  const engine = createEngine({ catalog, isolation: 'in-process', threads: 1 });
  const handler = createMcpHttpHandler(engine, { catalog, ...options });
  const server = createServer(handler);
  opened.push({ engine, handler, server });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}/mcp`), handler };
}

async function connect(url: URL): Promise<Client> {
  const client = new Client({ name: 'http-handler-test', version: '1.0.0' });
  clients.push(client);
  await client.connect(new StreamableHTTPClientTransport(url));
  return client;
}

describe('createMcpHttpHandler', () => {
  it('runs execute_code for a client and counts its session', async () => {
    const { url, handler } = await listen({});
    const client = await connect(url);
    const result = await client.callTool({ name: 'execute_code', arguments: { code: 'return await ping()' } });
    expect((result.structuredContent as { value: unknown }).value).toBe('pong');
    expect(handler.sessions).toBe(1);
  });

  it('refuses an initialize beyond maxSessions with 503', async () => {
    const { url, handler } = await listen({ maxSessions: 1 });
    await connect(url);
    await expect(connect(url)).rejects.toMatchObject({ code: 503 });
    expect(handler.sessions).toBe(1);
  });

  it('closes a session with nothing in flight for sessionIdleMs; a request naming it then gets 404', async () => {
    const { url, handler } = await listen({ sessionIdleMs: 50 });
    // A raw client that opens no notification stream (the SDK client holds one open, and a
    // session with a stream open is not idle).
    const headers = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };
    const initialize = { jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '1' } } };
    const opened = await fetch(url, { method: 'POST', headers, body: JSON.stringify(initialize) });
    await opened.text();
    const session = opened.headers.get('mcp-session-id')!;
    expect(session).toMatch(/^[0-9a-f-]{36}$/);
    await expect.poll(() => handler.sessions, { timeout: 10_000 }).toBe(0);
    const later = await fetch(url, { method: 'POST', headers: { ...headers, 'mcp-session-id': session }, body: JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/list' }) });
    expect(later.status).toBe(404);
  });

  it('answers 404 outside its path', async () => {
    const { url } = await listen({ path: '/tools' });
    expect((await fetch(url, { method: 'POST' })).status).toBe(404);
  });

  it.each([{ maxSessions: 0 }, { sessionIdleMs: 1.5 }])('refuses %j with InvalidOptionsError', (options) => {
    const engine = { execute: () => undefined } as unknown as Engine;
    expect(() => createMcpHttpHandler(engine, { catalog, ...options })).toThrow(InvalidOptionsError);
  });
});

describe('createMcpServer on your own StreamableHTTPServerTransport', () => {
  it('serves execute_code in the SDK stateless mode: one server and transport per request', async () => {
    const engine = createEngine({ catalog, isolation: 'in-process', threads: 1 });
    const server = createServer((request, response) => {
      const mcp = createMcpServer(engine, { catalog });
      const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
      response.once('close', () => void mcp.close());
      void mcp.connect(transport).then(() => transport.handleRequest(request, response));
    });
    opened.push({ engine, server });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const client = await connect(new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}/mcp`));
    const [a, b] = await Promise.all([1, 2].map((n) => client.callTool({ name: 'execute_code', arguments: { code: `return [${n}, await ping()]` } })));
    expect([a!.structuredContent, b!.structuredContent]).toMatchObject([{ value: [1, 'pong'] }, { value: [2, 'pong'] }]);
  });
});
