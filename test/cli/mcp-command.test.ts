// A real MCP SDK Client over StdioClientTransport driving the built CLI: `toolweaver mcp`.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { afterEach, describe, expect, it } from 'vitest';

const cli = new URL('../../dist/cli/main.js', import.meta.url).pathname;
const tools = new URL('../../fixtures/tools.mjs', import.meta.url).pathname;
const namespacedTools = new URL('../../fixtures/mcp-tools.mjs', import.meta.url).pathname;
const proxyTools = new URL('../../fixtures/mcp-proxy-tools.mjs', import.meta.url).pathname;
const clients: Client[] = [];

async function connect(...flags: string[]): Promise<Client> {
  return connectTo(tools, ...flags);
}

async function connectTo(module: string, ...flags: string[]): Promise<Client> {
  const client = new Client({ name: 'toolweaver-test', version: '1.0.0' });
  await client.connect(new StdioClientTransport({ command: process.execPath, args: [cli, 'mcp', '--tools', module, ...flags], stderr: 'pipe' }));
  clients.push(client);
  return client;
}

function textOf(result: object): string {
  return ((result as { content?: unknown }).content as Array<{ type: string; text?: string }>).map((block) => block.text ?? '').join('\n');
}

afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.close()));
});

describe('toolweaver mcp', () => {
  it('lists execute_code with the declarations in its description and an output schema', async () => {
    const client = await connect();
    const { tools: listed } = await client.listTools();
    expect(listed.map((tool) => tool.name)).toEqual(['execute_code']);
    const [execute] = listed;
    expect(execute!.description).toContain('declare function get_team_members');
    expect(execute!.inputSchema.required).toEqual(['code']);
    expect(Object.keys(execute!.outputSchema?.properties ?? {})).toEqual(['value', 'output', 'metadata']);
  });

  it('runs a script and answers with text and structuredContent', async () => {
    const client = await connect();
    const result = await client.callTool({ name: 'execute_code', arguments: { code: 'const team = await get_team_members(); print("found", team.length); return team.length' } });
    expect(textOf(result)).not.toContain('ERR_');
    expect(result.isError).toBeFalsy();
    const structured = result.structuredContent as { value: number; output: string[]; metadata: { toolCalls: number } };
    expect(structured.value).toBeGreaterThan(0);
    expect(structured.output).toEqual([`found ${structured.value}`]);
    expect(structured.metadata.toolCalls).toBe(1);
    expect(textOf(result)).toContain(String(structured.value));
  });

  it('answers a failing script with isError and the error code in the message', async () => {
    const client = await connect();
    const syntax = await client.callTool({ name: 'execute_code', arguments: { code: 'return (' } });
    expect(syntax.isError).toBe(true);
    expect(textOf(syntax).startsWith('ERR_SCRIPT_SYNTAX:')).toBe(true);
    const unknown = await client.callTool({ name: 'execute_code', arguments: { code: 'return await get_team_memberz("x")' } });
    expect(textOf(unknown).startsWith('ERR_UNKNOWN_TOOL:')).toBe(true);
    expect(textOf(unknown)).toContain('get_team_members');
  });

  it('serves the declarations of one namespace at a time with --declarations namespaces', async () => {
    const client = await connectTo(namespacedTools, '--declarations', 'namespaces');
    const { tools: listed } = await client.listTools();
    expect(listed.map((tool) => tool.name)).toEqual(['execute_code', 'get_declarations']);
    expect(listed[0]!.description).not.toContain('declare function');
    expect(listed[0]!.description).toContain('crm, mail');
    const crm = textOf(await client.callTool({ name: 'get_declarations', arguments: { namespace: 'crm' } }));
    expect(crm).toContain('find_leads');
    expect(crm).not.toContain('send');
    const run = await client.callTool({ name: 'execute_code', arguments: { code: 'const leads = await crm.find_leads(80); return leads.map((lead) => lead.id)' } });
    expect((run.structuredContent as { value: unknown }).value).toEqual(['l-1', 'l-3']);
    const missing = await client.callTool({ name: 'get_declarations', arguments: { namespace: 'nope' } });
    expect(missing.isError).toBe(true);
  });

  it('serves the tools of another MCP server imported by the tools module behind execute_code', async () => {
    const client = await connectTo(proxyTools);
    expect((await client.listTools()).tools[0]!.description).toContain('get_weather');
    const result = await client.callTool({
      name: 'execute_code',
      arguments: { code: 'const all = await Promise.all(["Oslo", "Rome"].map((city) => warehouse.get_weather({ city }))); return all.map((w) => w.temperature)' },
    });
    expect((result.structuredContent as { value: unknown }).value).toEqual([4, 4]);
  });
});
