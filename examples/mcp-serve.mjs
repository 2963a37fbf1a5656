// MCP, serve: the engine as an MCP server over stdio with one tool, `execute_code`. The same
// code as docs/mcp.md's serve example. Point an MCP client at it, from the repository root after
// `npm run build`: { "command": "node", "args": ["examples/mcp-serve.mjs"] }
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { createEngine } from 'toolweaver';
import { createMcpServer } from 'toolweaver/mcp';
import { catalog } from '../fixtures/mcp-tools.mjs';

const engine = createEngine({ catalog, timeoutMs: 10_000 });
const server = createMcpServer(engine, { catalog, serverInfo: { name: 'crm-tools', version: '1.0.0' } });
await server.connect(new StdioServerTransport());
