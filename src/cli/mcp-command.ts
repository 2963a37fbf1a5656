// Owns `toolweaver mcp`: serves a tools module's catalog as an MCP server over stdio, or over
// Streamable HTTP with `--http` (mcp-http.ts): `execute_code`, optionally `get_declarations`.
// stdout carries the protocol only: the command sends console.log/info/debug of tools to
// stderr. Loads the MCP SDK lazily, so the rest of the CLI works without the optional peer.

import type { Command } from 'commander';
import { loadCatalog } from './load-catalog.js';
import { SHUTDOWN_GRACE_MS, parseHttpAddress, serveHttp, type HttpAddress } from './mcp-http.js';
import { integerFrom1To, openEngine } from './open-engine.js';
import { UsageError, messageOf } from './usage-error.js';

interface McpFlags {
  tools: string;
  stubs?: boolean;
  declarations: 'all' | 'namespaces';
  http?: HttpAddress;
  shutdownGrace: number;
}

async function loadConnector(): Promise<{
  mcp: typeof import('../connectors/mcp/index.js');
  stdio: typeof import('@modelcontextprotocol/sdk/server/stdio.js');
}> {
  try {
    return { mcp: await import('../connectors/mcp/index.js'), stdio: await import('@modelcontextprotocol/sdk/server/stdio.js') };
  } catch (error) {
    throw new UsageError(`\`toolweaver mcp\` needs the optional peer dependency @modelcontextprotocol/sdk (npm install @modelcontextprotocol/sdk): ${messageOf(error)}`);
  }
}

function parseDeclarations(value: string): 'all' | 'namespaces' {
  if (value !== 'all' && value !== 'namespaces') throw new UsageError(`Expected \`--declarations\` to be all or namespaces, got ${JSON.stringify(value)}`);
  return value;
}

async function serve(flags: McpFlags): Promise<void> {
  const { mcp, stdio } = await loadConnector();
  // SECURITY: stdout is the MCP channel; a tool that logs must not corrupt it.
  console.log = console.info = console.debug = console.error;
  const catalog = await loadCatalog(flags.tools);
  // SECURITY: claim 15: the engine has no handler of its own; each `execute_code` request's
  // client is asked (elicitation), and a client that cannot be asked has its calls denied.
  const engine = openEngine(catalog, flags.stubs === true ? { stubs: true } : {}, { onApproval: 'per-execution' });
  if (flags.http !== undefined) {
    await serveHttp(engine, flags.http, flags.shutdownGrace, { catalog, declarations: flags.declarations }, mcp);
    setTimeout(() => process.exit(), EXIT_GRACE_MS).unref();
    return;
  }
  const server = mcp.createMcpServer(engine, { catalog, declarations: flags.declarations });
  const transport = new stdio.StdioServerTransport();
  const closed = new Promise<void>((resolve) => {
    transport.onclose = resolve;
    process.stdin.once('end', resolve);
  });
  await server.connect(transport);
  await closed;
  await server.close();
  await engine.close({ force: true });
  // A tools module may hold handles of its own (clients of imported MCP servers): the client
  // is gone, so the process ends even if they stay open.
  setTimeout(() => process.exit(), EXIT_GRACE_MS).unref();
}

/** How long the process may take to end by itself once the client (or server) has gone. @default 1000 */
const EXIT_GRACE_MS = 1_000;

/** Adds the `mcp` command to `program`. */
export function registerMcpCommand(program: Command): void {
  program
    .command('mcp')
    .description('serve the catalog as an MCP server (stdio, or Streamable HTTP with --http): an `execute_code` tool whose description carries the declarations')
    .requiredOption('--tools <module>', 'module exporting a ToolCatalog (as `catalog` or default)')
    .option('--stubs', 'tools answer with fake data generated from their output schemas')
    .option('--http <[host:]port>', 'serve MCP over Streamable HTTP at http://host:port/mcp instead of stdio (host: 127.0.0.1 unless given; port 0: a free one)', parseHttpAddress)
    .option('--shutdown-grace <ms>', 'with --http: how long running scripts may finish after SIGINT/SIGTERM before they are aborted', integerFrom1To(3_600_000), SHUTDOWN_GRACE_MS)
    .option('--declarations <mode>', '`all` in the description of execute_code, or `namespaces` plus a get_declarations tool', parseDeclarations, 'all')
    .action(serve);
}
