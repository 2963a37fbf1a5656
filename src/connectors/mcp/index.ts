// Entry of `toolweaver/mcp`: the MCP connector, explicit re-exports only. The only place the
// package imports @modelcontextprotocol/sdk (an optional peer dependency).
export { addMcpServer, DEFAULT_MCP_REQUEST_TIMEOUT_MS } from './import-tools.js';
export type { AddMcpServerOptions, McpServerTools } from './import-tools.js';
export { McpToolError } from './call-result.js';
export { createMcpServer, describeFailure } from './serve.js';
export type { CreateMcpServerOptions } from './serve.js';
export { describeExecuteCode } from './describe.js';
export { createMcpHttpHandler, LOOPBACK_HOSTS } from './http.js';
export type { McpHttpHandler, McpHttpHandlerOptions } from './http.js';
export { describeApproval } from './elicit-approval.js';
export type { McpApprovals } from './elicit-approval.js';
