// `toolweaver mcp` serving a catalog with a tool marked for approval, over stdio, to a real SDK
// Client: each call is put to the client that sent `execute_code`, as a form elicitation.
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { afterEach, describe, expect, it } from 'vitest';
import { CLI } from './run-cli.js';
import { createElicitingClient, createPlainClient, textOf, untilAsked, valueOf, type Answer } from '../connectors/mcp/elicit-client.js';

const TOOLS = new URL('../../fixtures/approval-tools.mjs', import.meta.url).pathname;
const clients: Client[] = [];
afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.close().catch(() => undefined)));
});

async function serve(client: Client): Promise<Client> {
  clients.push(client);
  await client.connect(new StdioClientTransport({ command: process.execPath, args: [CLI, 'mcp', '--tools', TOOLS], stderr: 'pipe' }));
  return client;
}

const SEND = 'try { return await mail.send({ to: "ada@example.com", subject: "hi" }); } catch (error) { return error.message; }';
const sentBy = async (client: Client): Promise<unknown> => valueOf(await client.callTool({ name: 'execute_code', arguments: { code: 'return await sent()' } }));

describe('claim 15: a tool marked for approval never runs unasked (toolweaver mcp, stdio)', () => {
  it('asks the client with the tool and its arguments, and runs the call it approves', async () => {
    const { client, asked } = createElicitingClient(() => ({ action: 'accept', content: { approve: true } }));
    await serve(client);
    const result = await client.callTool({ name: 'execute_code', arguments: { code: SEND } });
    expect(valueOf(result)).toBe('sent "hi" to ada@example.com');
    expect(asked).toHaveLength(1);
    const { message, requestedSchema } = asked[0]!.params as { message: string; requestedSchema: { properties: Record<string, { type: string }>; required: string[] } };
    expect(message).toContain('`mail.send`');
    expect(message).toContain('"to": "ada@example.com"');
    expect(requestedSchema.properties['approve']?.type).toBe('boolean');
    expect(requestedSchema.required).toEqual(['approve']);
    expect(await sentBy(client)).toEqual(['ada@example.com']);
  });

  it.each<[string, Answer, string]>([
    ['declines', () => ({ action: 'decline' }), 'mail.send was not approved: the user declined'],
    ['cancels', () => ({ action: 'cancel' }), 'mail.send was not approved: the user dismissed the approval request'],
    ['accepts with approve: false and a reason', () => ({ action: 'accept', content: { approve: false, reason: 'not to Ada' } }), 'mail.send was not approved: not to Ada'],
  ])('denies the call when the client %s: the script gets the reason, the handler never runs', async (_label, answer, message) => {
    const { client, asked } = createElicitingClient(answer);
    await serve(client);
    expect(valueOf(await client.callTool({ name: 'execute_code', arguments: { code: SEND } }))).toBe(message);
    expect(asked).toHaveLength(1);
    expect(await sentBy(client)).toEqual([]);
  });

  it('fails an uncaught denial with isError and ERR_TOOL_CALL', async () => {
    const { client } = createElicitingClient(() => ({ action: 'decline' }));
    await serve(client);
    const result = await client.callTool({ name: 'execute_code', arguments: { code: 'await mail.send({ to: "a@b.c", subject: "x" })' } });
    expect(result.isError).toBe(true);
    expect(textOf(result).startsWith('ERR_TOOL_CALL:')).toBe(true);
    expect(await sentBy(client)).toEqual([]);
  });

  it('denies every call for a client without the elicitation capability, saying why', async () => {
    const client = await serve(createPlainClient());
    const result = await client.callTool({ name: 'execute_code', arguments: { code: SEND } });
    expect(valueOf(result)).toContain('mail.send was not approved: the MCP client cannot be asked');
    expect(valueOf(await client.callTool({ name: 'execute_code', arguments: { code: 'return await lookup()' } }))).toBe('found');
    expect(await sentBy(client)).toEqual([]);
  });

  it('cancels the elicitation when the client aborts execute_code while it waits; nothing runs', async () => {
    // The first answer approves; the second waits until the server cancels it.
    const { client, asked } = createElicitingClient(({ signal }) => asked.length === 1 ? { action: 'accept', content: { approve: true } } : new Promise((resolve) => signal.addEventListener('abort', () => resolve({ action: 'accept', content: { approve: true } }))));
    await serve(client);
    // The SDK client (1.32) ignores a cancellation of request id 0 (typescript-sdk#2283), the
    // server's first request: one approved call first, so the one cancelled has id 1.
    expect(valueOf(await client.callTool({ name: 'execute_code', arguments: { code: SEND } }))).toBe('sent "hi" to ada@example.com');
    const controller = new AbortController();
    const call = client.callTool({ name: 'execute_code', arguments: { code: SEND.replace('ada@', 'bob@') } }, undefined, { signal: controller.signal });
    await untilAsked(asked, 2);
    controller.abort();
    await expect(call).rejects.toThrow();
    await expect.poll(() => asked[1]!.signal.aborted, { timeout: 20_000 }).toBe(true);
    expect(await sentBy(client)).toEqual(['ada@example.com']);
  });
});
