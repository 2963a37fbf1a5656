// Approvals over MCP Streamable HTTP: createMcpHttpHandler on a real Node HTTP server, real SDK
// clients. Each call is asked of the session whose `execute_code` made it; the time limit
// pauses while the client decides; who decides when the client cannot be asked.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { createEngine, InvalidOptionsError, ToolCatalog, type ApprovalRequest, type Engine, type EngineOptions } from 'toolweaver';
import { afterEach, describe, expect, it } from 'vitest';
import { createMcpHttpHandler, createMcpServer, type McpHttpHandler, type McpApprovals } from '../../../dist/connectors/mcp/index.js';
import { createElicitingClient, createPlainClient, untilAsked, valueOf, type Asked } from './elicit-client.js';

const opened: Array<{ engine: Engine; handler: McpHttpHandler; server: Server }> = [];
const clients: Client[] = [];
afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.close().catch(() => undefined)));
  for (const { engine, handler, server } of opened.splice(0)) {
    await handler.close();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    await engine.close({ force: true });
  }
});

function createTools() {
  const sent: string[] = [];
  const catalog = new ToolCatalog().register({
    name: 'send_email',
    input: { type: 'object', properties: { to: { type: 'string' } }, required: ['to'] },
    needsApproval: true,
    handler: async ({ to }: { to: string }) => (sent.push(to), `sent to ${to}`),
  });
  return { catalog, sent };
}

/** Serves `catalog`; `noStream`: GET gets 405, so a client has no stream but its POSTs' own. */
async function listen(catalog: ToolCatalog, engineOptions: Partial<EngineOptions>, approvals?: McpApprovals, noStream = false): Promise<URL> {
  const engine = createEngine({ catalog, isolation: 'in-process', threads: 1, onApproval: 'per-execution', ...engineOptions });
  const handler = createMcpHttpHandler(engine, { catalog, ...(approvals === undefined ? {} : { approvals }) });
  const server = createServer((request, response) => (noStream && request.method === 'GET' ? void response.writeHead(405).end() : handler(request, response)));
  opened.push({ engine, handler, server });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}/mcp`);
}

async function connect(client: Client, url: URL): Promise<Client> {
  clients.push(client);
  await client.connect(new StreamableHTTPClientTransport(url));
  return client;
}

const sendTo = (to: string) => ({ name: 'execute_code', arguments: { code: `try { return await send_email(${JSON.stringify(to)}); } catch (error) { return error.message; }` } });
const recipientOf = (asked: Asked): unknown => /"to": "([^"]+)"/.exec(String(asked.params.message))?.[1];

describe('claim 15: a tool marked for approval never runs unasked (MCP over HTTP)', () => {
  it('asks each session about its own calls only, when two run at once', async () => {
    const { catalog, sent } = createTools();
    const url = await listen(catalog, {});
    let release!: () => void;
    const bothAsked = new Promise<void>((resolve) => (release = resolve));
    let waiting = 0;
    const answerWith = (approve: boolean) => async () => {
      if (++waiting === 2) release();
      await bothAsked;
      return { action: 'accept' as const, content: { approve } };
    };
    const ada = createElicitingClient(answerWith(true), 'ada');
    const bob = createElicitingClient(answerWith(false), 'bob');
    await Promise.all([connect(ada.client, url), connect(bob.client, url)]);
    const [forAda, forBob] = await Promise.all([ada.client.callTool(sendTo('ada@example.com')), bob.client.callTool(sendTo('bob@example.com'))]);
    expect(valueOf(forAda)).toBe('sent to ada@example.com');
    expect(valueOf(forBob)).toBe('send_email was not approved: the user did not approve');
    expect(ada.asked.map(recipientOf)).toEqual(['ada@example.com']);
    expect(bob.asked.map(recipientOf)).toEqual(['bob@example.com']);
    expect(sent).toEqual(['ada@example.com']);
  });

  it('asks on the stream of the execute_code request itself (a client with no standalone stream)', async () => {
    const { catalog, sent } = createTools();
    const url = await listen(catalog, {}, undefined, true);
    const { client, asked } = createElicitingClient(() => ({ action: 'accept', content: { approve: true } }));
    await connect(client, url);
    expect(valueOf(await client.callTool(sendTo('ada@example.com')))).toBe('sent to ada@example.com');
    expect(asked).toHaveLength(1);
    expect(sent).toEqual(['ada@example.com']);
  });

  it('pauses the time limit while the client decides: a wait longer than the limit is not script time', async () => {
    const { catalog, sent } = createTools();
    const url = await listen(catalog, { timeoutMs: 1_000 });
    const { client } = createElicitingClient(async () => {
      await new Promise((resolve) => setTimeout(resolve, 2_500));
      return { action: 'accept', content: { approve: true } };
    });
    await connect(client, url);
    expect(valueOf(await client.callTool(sendTo('ada@example.com')))).toBe('sent to ada@example.com');
    expect(sent).toEqual(['ada@example.com']);
  });

  it('ends the wait when the client aborts execute_code; the call never runs', async () => {
    const { catalog, sent } = createTools();
    const url = await listen(catalog, {});
    const { client, asked } = createElicitingClient(() => new Promise(() => {}));
    await connect(client, url);
    const controller = new AbortController();
    const call = client.callTool(sendTo('ada@example.com'), undefined, { signal: controller.signal });
    await untilAsked(asked);
    const { engine } = opened[0]!;
    const decided = new Promise<string>((resolve) => engine.on('tool:approval', ({ outcome }) => resolve(outcome)));
    controller.abort();
    await expect(call).rejects.toThrow();
    // Decided when the execution ended, not after approvalTimeoutMs (10 minutes).
    expect(await decided).toBe('denied');
    expect(sent).toEqual([]);
  });

  it('leaves the calls of a client without elicitation to the engine\'s own onApproval', async () => {
    const { catalog, sent } = createTools();
    const engineAsked: ApprovalRequest[] = [];
    const url = await listen(catalog, { onApproval: (request) => (engineAsked.push(request), true) });
    const client = await connect(createPlainClient(), url);
    expect(valueOf(await client.callTool(sendTo('ada@example.com')))).toBe('sent to ada@example.com');
    expect(engineAsked.map((request) => request.input)).toEqual([{ to: 'ada@example.com' }]);
    expect(sent).toEqual(['ada@example.com']);
  });

  it('asks only the engine\'s onApproval with approvals: "engine", even a client that could be asked', async () => {
    const { catalog, sent } = createTools();
    const url = await listen(catalog, { onApproval: () => ({ approved: false, reason: 'policy says no' }) }, 'engine');
    const { client, asked } = createElicitingClient(() => ({ action: 'accept', content: { approve: true } }));
    await connect(client, url);
    expect(valueOf(await client.callTool(sendTo('ada@example.com')))).toBe('send_email was not approved: policy says no');
    expect(asked).toEqual([]);
    expect(sent).toEqual([]);
  });

  it('refuses an approvals option it does not know', async () => {
    const { catalog } = createTools();
    await listen(catalog, {});
    expect(() => createMcpServer(opened[0]!.engine, { catalog, approvals: 'client' as never })).toThrow(InvalidOptionsError);
  });
});
