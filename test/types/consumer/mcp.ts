// A strict consumer's view of `toolweaver/mcp`.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { createEngine, ToolCatalog } from 'toolweaver';
import { addMcpServer, createMcpServer, McpToolError, type AddMcpServerOptions } from 'toolweaver/mcp';

const catalog = new ToolCatalog();
const client = new Client({ name: 'consumer', version: '1.0.0' });
const namespace: string | undefined = process.env.NAMESPACE;
const options: AddMcpServerOptions = { namespace, watch: undefined, onError: (error) => console.error(error) };
const imported = await addMcpServer(catalog, client, options);
const fromTransport = await addMcpServer(catalog, new StdioClientTransport({ command: 'node', args: ['server.mjs'] }));
const names: readonly string[] = imported.names;
await fromTransport.refresh();
// @ts-expect-error `namespace` is a string
await addMcpServer(catalog, client, { namespace: 7 });

const engine = createEngine({ catalog });
const server = createMcpServer(engine, { catalog, declarations: 'namespaces', serverInfo: undefined });
// @ts-expect-error the catalog is required
createMcpServer(engine, {});
const isToolError = (error: unknown): boolean => error instanceof McpToolError && error.mcpToolName.length > 0;
export { isToolError, names, server };
