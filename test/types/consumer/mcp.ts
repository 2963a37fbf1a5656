// A strict consumer's view of `toolweaver/mcp`.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { createEngine, ToolCatalog } from 'toolweaver';
import { addMcpServer, createMcpHttpHandler, createMcpServer, LOOPBACK_HOSTS, McpToolError, type AddMcpServerOptions } from 'toolweaver/mcp';

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
const handler = createMcpHttpHandler(engine, { catalog, path: undefined, allowedHosts: LOOPBACK_HOSTS, maxSessions: 10, sessionIdleMs: undefined });
const drained: Promise<boolean> = handler.drain(1_000);
const open: number = handler.sessions;
// @ts-expect-error `allowedHosts` is a list of host names or 'any'
createMcpHttpHandler(engine, { catalog, allowedHosts: 'all' });
const isToolError = (error: unknown): boolean => error instanceof McpToolError && error.mcpToolName.length > 0;
export { drained, isToolError, names, open, server };
