// The one check of the CRM example server that docs/mcp.md and examples/mcp-serve.mjs both
// show: a real SDK client over stdio runs a two-call script through `execute_code`.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { expect } from 'vitest';

/** Starts `node <program>` in `cwd` as an MCP server and checks its answer to one script. */
export async function expectCrmServerRunsScripts(program: string, cwd: string, clientName: string): Promise<void> {
  const client = new Client({ name: clientName, version: '1.0.0' });
  await client.connect(new StdioClientTransport({ command: process.execPath, args: [program], cwd, stderr: 'inherit' }));
  try {
    expect(client.getServerVersion()).toMatchObject({ name: 'crm-tools' });
    const result = await client.callTool({
      name: 'execute_code',
      arguments: { code: 'const leads = await crm.find_leads({ minScore: 80 }); const lead = await crm.get_lead(leads[0].id); return lead.email' },
    });
    expect(result.structuredContent).toMatchObject({ value: 'ada@example.com', metadata: { toolCalls: 2 } });
  } finally {
    await client.close();
  }
}
