// `toolweaver mcp --http`: a real SDK Client over StreamableHTTPClientTransport driving the
// built CLI as a subprocess on a free loopback port (port 0, read back from stderr).
import { spawn, type ChildProcess } from 'node:child_process';
import { request } from 'node:http';
import { rmSync } from 'node:fs';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { createEngine, ToolWeaverError } from 'toolweaver';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { CLI, TOOLS, file, scratch, toolweaver } from './run-cli.js';
import { createElicitingClient, valueOf } from '../connectors/mcp/elicit-client.js';
// @ts-expect-error: plain-JS fixtures.
import { createFixtureCatalog } from '../../fixtures/tools.mjs';

const work = scratch();
const DIST = new URL('../../dist/index.js', import.meta.url).href;
const slowTools = file(work, 'slow-tools.mjs', [
  `import { ToolCatalog } from ${JSON.stringify(DIST)};`,
  'export const catalog = new ToolCatalog().register({',
  "  name: 'slow_echo', input: { type: 'object', properties: { text: { type: 'string' }, ms: { type: 'integer' } }, required: ['text', 'ms'] },",
  "  handler: async ({ text, ms }, { signal }) => {",
  "    console.log('tool:started');",
  "    signal.addEventListener('abort', () => console.log('tool:aborted'));",
  '    await new Promise((resolve) => setTimeout(resolve, ms).unref());',
  '    return text;',
  '  },',
  '});',
]);

interface Served {
  child: ChildProcess;
  url: URL;
  stderr: () => string;
  exited: Promise<number | null>;
}

const children: ChildProcess[] = [];
const clients: Client[] = [];
afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.close().catch(() => undefined)));
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Starts `toolweaver mcp --http 127.0.0.1:0 --tools <tools>` and waits for its URL on stderr. */
function serve(tools = TOOLS, ...flags: string[]): Promise<Served> {
  const child = spawn(process.execPath, [CLI, 'mcp', '--tools', tools, '--http', '127.0.0.1:0', ...flags], { stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let stderr = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
      const match = /at (http:\/\/\S+)\n/.exec(stderr);
      if (match !== null) resolve({ child, url: new URL(match[1]!), stderr: () => stderr, exited });
    });
    void exited.then((code) => reject(new Error(`exited with ${code}: ${stderr}`)));
  });
}

async function connect(url: URL): Promise<Client> {
  const client = new Client({ name: 'toolweaver-http-test', version: '1.0.0' });
  await client.connect(new StreamableHTTPClientTransport(url));
  clients.push(client);
  return client;
}

function textOf(result: object): string {
  return ((result as { content?: unknown }).content as Array<{ text?: string }>).map((block) => block.text ?? '').join('\n');
}

/** POSTs an `initialize` with the given headers (Host included, which fetch cannot set); resolves the status. */
function rawInitialize(url: URL, headers: Record<string, string>): Promise<number> {
  const body = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '1' } } });
  return new Promise((resolve, reject) => {
    const sent = request(url, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...headers } }, (response) => {
      response.resume();
      resolve(response.statusCode ?? 0);
    });
    sent.on('error', reject).end(body);
  });
}

describe('toolweaver mcp --http', () => {
  it('lists execute_code with the declarations in its description', async () => {
    const { url } = await serve();
    expect(url.pathname).toBe('/mcp');
    const { tools } = await (await connect(url)).listTools();
    expect(tools.map((tool) => tool.name)).toEqual(['execute_code']);
    expect(tools[0]!.description).toContain('declare function get_user_orders');
  });

  it('runs a script that fans out over a tool and answers with structuredContent', async () => {
    const client = await connect((await serve()).url);
    const code = 'const users = await get_users(); const orders = await Promise.all(users.map((u) => get_user_orders(u.id))); print("users", users.length); return orders.map((o) => o.length)';
    const result = await client.callTool({ name: 'execute_code', arguments: { code } });
    expect(result.isError).toBeFalsy();
    const structured = result.structuredContent as { value: number[]; output: string[]; metadata: { toolCalls: number } };
    expect(structured.value.length).toBeGreaterThan(1);
    expect(structured.metadata.toolCalls).toBe(structured.value.length + 1);
    expect(structured.output).toEqual([`users ${structured.value.length}`]);
  });

  it('answers a failing script with isError and the error code plus its model message', async () => {
    const client = await connect((await serve()).url);
    const code = 'const orders = await get_user_orderz(1);\nreturn orders;';
    const result = await client.callTool({ name: 'execute_code', arguments: { code } });
    expect(result.isError).toBe(true);
    const engine = createEngine({ catalog: createFixtureCatalog(), isolation: 'in-process', threads: 1 });
    try {
      const error = await engine.execute(code).then(() => undefined, (failure: unknown) => failure);
      expect(error).toBeInstanceOf(ToolWeaverError);
      expect(textOf(result)).toBe(`${(error as ToolWeaverError).code}: ${(error as ToolWeaverError).toModelMessage()}`);
      expect((error as ToolWeaverError).code).toBe('ERR_UNKNOWN_TOOL');
    } finally {
      await engine.close();
    }
  });

  it('keeps one session per client; a terminated session is gone', async () => {
    const { url } = await serve();
    const [first, second] = await Promise.all([connect(url), connect(url)]);
    const transport = first.transport as StreamableHTTPClientTransport;
    const id = transport.sessionId!;
    expect(id).not.toBe((second.transport as StreamableHTTPClientTransport).sessionId);
    const [a, b] = await Promise.all([first, second].map((client, i) => client.callTool({ name: 'execute_code', arguments: { code: `return ${i} + (await get_users()).length` } })));
    expect((b!.structuredContent as { value: number }).value - (a!.structuredContent as { value: number }).value).toBe(1);
    await transport.terminateSession();
    const status = await new Promise<number>((resolve, reject) => {
      request(url, { method: 'POST', headers: { 'mcp-session-id': id, 'content-type': 'application/json', accept: 'application/json, text/event-stream' } }, (response) => {
        response.resume();
        resolve(response.statusCode ?? 0);
      }).on('error', reject).end(JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/list' }));
    });
    expect(status).toBe(404);
    expect((await second.listTools()).tools).toHaveLength(1);
  });

  it("delivers a client's cancellation to its session's script", async () => {
    const served = await serve(slowTools);
    const client = await connect(served.url);
    const controller = new AbortController();
    const call = client.callTool({ name: 'execute_code', arguments: { code: "return await slow_echo('never', 600000)" } }, undefined, { signal: controller.signal });
    await expect.poll(served.stderr, { timeout: 20_000 }).toContain('tool:started');
    controller.abort();
    await expect(call).rejects.toThrow();
    await expect.poll(served.stderr, { timeout: 20_000 }).toContain('tool:aborted');
  });

  it('serves a catalog that needs approvals, asking the client that sent execute_code (claim 15)', async () => {
    const approvals = file(work, 'approval-tools.mjs', [
      `import { ToolCatalog } from ${JSON.stringify(DIST)};`,
      "export const catalog = new ToolCatalog().register({ name: 'send', input: { type: 'object', properties: { to: { type: 'string' } } }, needsApproval: true, handler: ({ to }) => `sent to ${to}` });",
    ]);
    const { url } = await serve(approvals);
    const { client, asked } = createElicitingClient(({ params }) => ({ action: 'accept', content: { approve: String(params.message).includes('"to": "ada"') } }));
    clients.push(client);
    await client.connect(new StreamableHTTPClientTransport(url));
    const code = (to: string): string => `try { return await send({ to: ${JSON.stringify(to)} }); } catch (error) { return error.message; }`;
    expect(valueOf(await client.callTool({ name: 'execute_code', arguments: { code: code('ada') } }))).toBe('sent to ada');
    expect(valueOf(await client.callTool({ name: 'execute_code', arguments: { code: code('eve') } }))).toBe('send was not approved: the user did not approve');
    expect(asked).toHaveLength(2);
    const plain = await connect(url);
    expect(String(valueOf(await plain.callTool({ name: 'execute_code', arguments: { code: code('ada') } })))).toContain('the MCP client cannot be asked');
  });

  it('refuses a Host or Origin that is not loopback (DNS rebinding), and serves loopback ones', async () => {
    const { url } = await serve();
    expect(await rawInitialize(url, { host: `evil.example:${url.port}` })).toBe(403);
    expect(await rawInitialize(url, { origin: 'http://evil.example' })).toBe(403);
    expect(await rawInitialize(url, { host: `localhost:${url.port}`, origin: `http://localhost:${url.port}` })).toBe(200);
  });

  it('on SIGTERM, answers the script still running, then exits 0', async () => {
    const served = await serve(slowTools);
    const client = await connect(served.url);
    const call = client.callTool({ name: 'execute_code', arguments: { code: "return await slow_echo('finished', 1500)" } });
    await expect.poll(served.stderr, { timeout: 20_000 }).toContain('tool:started');
    served.child.kill('SIGTERM');
    const result = await call;
    expect((result.structuredContent as { value: unknown }).value).toBe('finished');
    expect(await served.exited).toBe(0);
  });

  it('past --shutdown-grace, aborts the script still running and answers it so, then exits 0', async () => {
    const served = await serve(slowTools, '--shutdown-grace', '100');
    const client = await connect(served.url);
    const call = client.callTool({ name: 'execute_code', arguments: { code: "return await slow_echo('never', 600000)" } });
    await expect.poll(served.stderr, { timeout: 20_000 }).toContain('tool:started');
    served.child.kill('SIGTERM');
    const result = await call;
    expect(result.isError).toBe(true);
    expect(textOf(result).startsWith('ERR_EXECUTION_ABORTED:')).toBe(true);
    expect(await served.exited).toBe(0);
  });

  it('on SIGINT with a client connected and idle, closes its session and exits 0', async () => {
    const served = await serve();
    await connect(served.url);
    served.child.kill('SIGINT');
    expect(await served.exited).toBe(0);
  });

  it('is a usage error (exit 2) for a bad address and for a port in use', async () => {
    expect((await toolweaver(work, ['mcp', '--tools', TOOLS, '--http', 'localhost:99999'])).code).toBe(2);
    const served = await serve();
    const taken = await toolweaver(work, ['mcp', '--tools', TOOLS, '--http', `127.0.0.1:${served.url.port}`]);
    expect(taken.code).toBe(2);
    expect(taken.stderr).toContain(served.url.port);
  });
});
