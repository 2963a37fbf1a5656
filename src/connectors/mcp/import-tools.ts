// Owns importing an MCP server's tools into a ToolCatalog: one registration per listed tool
// (namespaced, schemas as declared), handlers that call the tool over the client with the
// call's abort signal, and re-syncing the catalog on `notifications/tools/list_changed`.
// Never touches the engine: a live engine sees the catalog's new version at its next execute.

import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { ToolListChangedNotificationSchema, type Tool } from '@modelcontextprotocol/sdk/types.js';
import type { ToolCatalog, ToolDefinition } from '../../catalog/index.js';
import { readCallResult } from './call-result.js';
import { connectClient } from './connect-client.js';

/** Options of `addMcpServer`. */
export interface AddMcpServerOptions {
  /** Prefix of every tool name (`github` gives `github.list_pull_requests`). @default undefined (the server's names as they are) */
  namespace?: string | undefined;
  /** Re-sync the catalog when the server announces a changed tool list. @default true */
  watch?: boolean | undefined;
  /** Most calls of each tool of this server in flight at once. @default undefined (unlimited) */
  concurrency?: number | undefined;
  /** Per-call request timeout in milliseconds (the SDK's `timeout`). @default 60000 */
  requestTimeoutMs?: number | undefined;
  /** Called when a re-sync after `list_changed` fails; the catalog keeps its previous tools. @default undefined (ignored) */
  onError?: ((error: unknown) => void) | undefined;
}

/** A server imported into a catalog. */
export interface McpServerTools {
  /** The catalog names of the server's tools, as currently registered. */
  readonly names: readonly string[];
  /** Lists the server's tools again and updates the catalog (what `list_changed` triggers). */
  refresh(): Promise<void>;
  /** Unregisters the server's tools and stops watching; closes the client if it was made from a transport. */
  close(): Promise<void>;
}

/** @default 60000, the MCP SDK's own default. */
export const DEFAULT_MCP_REQUEST_TIMEOUT_MS = 60_000;

type Registered = Map<string, { fingerprint: string; mcpName: string }>;

function definitionFor(client: Client, tool: Tool, name: string, options: AddMcpServerOptions): ToolDefinition {
  const hasOutputSchema = tool.outputSchema !== undefined;
  const timeout = options.requestTimeoutMs ?? DEFAULT_MCP_REQUEST_TIMEOUT_MS;
  return {
    name,
    description: tool.description ?? tool.title ?? '',
    input: tool.inputSchema,
    // Without an output schema the script receives the text content.
    output: tool.outputSchema ?? { type: 'string' },
    concurrency: options.concurrency,
    handler: async (args: unknown, context) => {
      const params = { name: tool.name, arguments: (args ?? {}) as Record<string, unknown> };
      const result = await client.callTool(params, undefined, { signal: context.signal, timeout });
      return readCallResult(tool.name, result, hasOutputSchema);
    },
  };
}

async function sync(catalog: ToolCatalog, client: Client, registered: Registered, options: AddMcpServerOptions): Promise<void> {
  const listed: Tool[] = [];
  let cursor: string | undefined;
  do {
    const page = await client.listTools(cursor === undefined ? {} : { cursor });
    listed.push(...page.tools);
    cursor = page.nextCursor;
  } while (cursor !== undefined);
  const next = new Map(listed.map((tool) => [options.namespace === undefined ? tool.name : `${options.namespace}.${tool.name}`, tool] as const));
  for (const [name, entry] of registered) {
    const tool = next.get(name);
    if (tool === undefined || JSON.stringify(tool) !== entry.fingerprint) {
      catalog.unregister(name);
      registered.delete(name);
    }
  }
  for (const [name, tool] of next) {
    if (registered.has(name)) continue;
    catalog.register(definitionFor(client, tool, name, options));
    registered.set(name, { fingerprint: JSON.stringify(tool), mcpName: tool.name });
  }
}

/**
 * Registers every tool of an MCP server in `catalog`: names namespaced and sanitized as the
 * catalog does, `inputSchema`/`outputSchema` as typed declarations, calls sent with the
 * call's abort signal (a script that ends cancels its MCP requests). With `watch`, the
 * server's `tools/list_changed` notifications re-sync the catalog. Throws
 * `ToolRegistrationError` when a tool cannot be registered (a name taken, a bad schema).
 * `server` is a connected `Client`, or a `Transport` to connect one over.
 */
export async function addMcpServer(catalog: ToolCatalog, server: Client | Transport, options: AddMcpServerOptions = {}): Promise<McpServerTools> {
  const { client, owned } = await connectClient(server);
  const registered: Registered = new Map();
  try {
    await sync(catalog, client, registered, options);
  } catch (error) {
    for (const name of registered.keys()) catalog.unregister(name);
    if (owned) await client.close();
    throw error;
  }
  // One sync at a time: two quick `list_changed` notifications must not race to register.
  let queue: Promise<void> = Promise.resolve();
  const refresh = (): Promise<void> => {
    const run = queue.then(() => sync(catalog, client, registered, options));
    queue = run.catch(() => undefined);
    return run;
  };
  const watching = options.watch !== false && client.getServerCapabilities()?.tools?.listChanged === true;
  if (watching) {
    client.setNotificationHandler(ToolListChangedNotificationSchema, () => {
      refresh().catch((error: unknown) => options.onError?.(error));
    });
  }
  return {
    get names() {
      return [...registered.keys()];
    },
    refresh,
    async close() {
      if (watching) client.removeNotificationHandler('notifications/tools/list_changed');
      for (const name of registered.keys()) catalog.unregister(name);
      registered.clear();
      if (owned) await client.close();
    },
  };
}
