// MCP, import: every tool of an MCP server (here the repository's fixture server, over stdio)
// becomes a catalog tool a script can call. The same code as docs/mcp.md's import example.
// Run from the repository root, after `npm run build`: node examples/mcp-import.mjs
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { ToolCatalog, createEngine } from 'toolweaver';
import { addMcpServer } from 'toolweaver/mcp';

const client = new Client({ name: 'my-agent', version: '1.0.0' });
await client.connect(new StdioClientTransport({ command: process.execPath, args: ['fixtures/mcp-server.mjs'] }));

const catalog = new ToolCatalog();
const warehouse = await addMcpServer(catalog, client, { namespace: 'warehouse' });
const engine = createEngine({ catalog });

console.log(catalog.get('warehouse.get-stock').scriptName); // warehouse.get_stock

const { value } = await engine.execute(`
  const stock = await Promise.all(['a-1', 'b-22'].map((sku) => warehouse.get_stock(sku)));
  const weather = await warehouse.get_weather({ city: 'Oslo' });
  let failure;
  try { await warehouse.fail_always(); } catch (error) { failure = error.message; }
  return { stock, temperature: weather.temperature, failure };
`);
console.log(JSON.stringify(value)); // {"stock":["30","40"],"temperature":4,"failure":"warehouse.fail_always failed: the warehouse is offline"}

await engine.close();
await warehouse.close();
await client.close();
