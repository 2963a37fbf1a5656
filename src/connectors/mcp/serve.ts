// Owns serving an engine as an MCP server: `execute_code` runs a script (the request's signal
// aborts it, its client decides its approvals) and answers with text plus `structuredContent`
// `{ value, output, metadata }`, or `isError` with a message a model can act on; optionally
// `get_declarations` per namespace. Never runs a script outside the engine, never writes to stdout.

import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import type { ToolCatalog } from '../../catalog/index.js';
import type { Engine } from '../../engine.js';
import { InvalidOptionsError, ToolWeaverError } from '../../errors.js';
import type { ExecuteResult } from '../../execution.js';
import { describeExecuteCode } from './describe.js';
import { approvalForRequest, type McpApprovals } from './elicit-approval.js';

/** Options of `createMcpServer`. */
export interface CreateMcpServerOptions {
  /** The engine's catalog: its declarations go into the description of `execute_code`. */
  catalog: ToolCatalog;
  /** The server's name and version, as clients see them. @default { name: 'toolweaver', version: '0.1.0' } */
  serverInfo?: { name: string; version: string } | undefined;
  /**
   * `all`: every declaration in the description of `execute_code`. `namespaces`: only the
   * namespace names, plus a `get_declarations({ namespace })` tool, for catalogs too large
   * for one prompt. @default 'all'
   */
  declarations?: 'all' | 'namespaces' | undefined;
  /**
   * Who decides calls of tools marked `needsApproval`. `elicitation`: the client that sent the
   * `execute_code` request, asked with a form elicitation, if it supports one; otherwise the
   * engine's own `onApproval`; with neither, the call is denied. `engine`: always the engine's
   * `onApproval`. @default 'elicitation'
   */
  approvals?: McpApprovals | undefined;
}

/**
 * The error message a model reads: the code, then the error's `toModelMessage()` (what went
 * wrong, where, what to do, what the script printed); for anything else, its message and output.
 */
export function describeFailure(error: unknown): string {
  const { code, message, output } = error as { code?: unknown; message?: unknown; output?: unknown };
  const prefix = typeof code === 'string' ? `${code}: ` : '';
  if (error instanceof ToolWeaverError) return `${prefix}${error.toModelMessage()}`;
  const lines = Array.isArray(output) && output.length > 0 ? `\nPrinted before failing:\n${output.join('\n')}` : '';
  return `${prefix}${String(message ?? error)}${lines}`;
}

function success(result: ExecuteResult): CallToolResult {
  const structured = { value: result.value ?? null, output: result.output, metadata: result.metadata };
  const printed = result.output.length > 0 ? `\nOutput:\n${result.output.join('\n')}` : '';
  return { content: [{ type: 'text', text: `Returned: ${JSON.stringify(result.value ?? null)}${printed}` }], structuredContent: structured };
}

/**
 * An MCP server exposing `engine`: connect it to a transport (`await server.connect(new
 * StdioServerTransport())`). The caller closes the engine after the server.
 */
export function createMcpServer(engine: Engine, options: CreateMcpServerOptions): McpServer {
  const { catalog } = options;
  const declarations = options.declarations ?? 'all';
  const approvals = options.approvals ?? 'elicitation';
  if (approvals !== 'elicitation' && approvals !== 'engine') throw new InvalidOptionsError('approvals', `Expected \`approvals\` to be "elicitation" or "engine", got ${JSON.stringify(approvals)}`);
  const server = new McpServer(options.serverInfo ?? { name: 'toolweaver', version: '0.1.0' });
  // The catalog may change while served (an imported MCP server's `list_changed`): each call
  // first brings the description up to date, which announces `tools/list_changed` to clients.
  let describedVersion = catalog.version;
  const refreshDescription = (): void => {
    if (catalog.version === describedVersion) return;
    describedVersion = catalog.version;
    executeCode.update({ description: describeExecuteCode(catalog, declarations) });
  };
  const executeCode = server.registerTool(
    'execute_code',
    {
      description: describeExecuteCode(catalog, declarations),
      inputSchema: { code: z.string().describe('The async JavaScript script to run') },
      outputSchema: { value: z.unknown(), output: z.array(z.string()), metadata: z.record(z.string(), z.unknown()) },
    },
    async ({ code }, extra): Promise<CallToolResult> => {
      refreshDescription();
      try {
        const onApproval = approvalForRequest(engine, server.server, extra.requestId, approvals);
        return success(await engine.execute(code, { signal: extra.signal, ...(onApproval === undefined ? {} : { onApproval }) }));
      } catch (error) {
        return { isError: true, content: [{ type: 'text', text: describeFailure(error) }] };
      }
    },
  );
  if (declarations === 'namespaces') {
    server.registerTool(
      'get_declarations',
      { description: 'TypeScript declarations of the tools in one namespace', inputSchema: { namespace: z.string() } },
      async ({ namespace }): Promise<CallToolResult> => {
        refreshDescription();
        if (!catalog.namespaces().includes(namespace)) {
          return { isError: true, content: [{ type: 'text', text: `No namespace \`${namespace}\`; namespaces: ${catalog.namespaces().join(', ')}` }] };
        }
        return { content: [{ type: 'text', text: catalog.namespaceToTypeScript(namespace) }] };
      },
    );
  }
  return server;
}
