// Owns `toolweaver mcp --http [host:]port`: parses the address (loopback unless it names
// another host), serves the engine over MCP Streamable HTTP on a Node HTTP server, and shuts
// down gracefully on SIGINT/SIGTERM: stop accepting, let running scripts finish within a grace,
// close the sessions, exit 0. Never writes to stdout.

import { createServer, type Server } from 'node:http';
import { InvalidArgumentError } from 'commander';
import type { Engine } from '../engine.js';
import type { McpHttpHandlerOptions } from '../connectors/mcp/index.js';
import { UsageError, messageOf } from './usage-error.js';

/** Where `--http` listens. */
export interface HttpAddress {
  host: string;
  port: number;
  /** Whether only this machine can connect (127.0.0.0/8, ::1, localhost). */
  loopback: boolean;
}

/** How long running scripts get to finish after SIGINT/SIGTERM before they are aborted. @default 10000 */
export const SHUTDOWN_GRACE_MS = 10_000;

/** How long the answers of scripts aborted at shutdown get to reach their clients. @default 1000 */
const ABORTED_ANSWER_MS = 1_000;

/** The host `--http` binds when the address gives only a port. */
const DEFAULT_HOST = '127.0.0.1';

/** Parses `[host:]port` (`3000`, `0.0.0.0:3000`, `[::1]:3000`; port 0 picks a free one), for commander. */
export function parseHttpAddress(text: string): HttpAddress {
  const match = /^(?:(?:\[([0-9a-fA-F:.]+)\]|([^:[\]]+)):)?(\d{1,5})$/.exec(text.trim());
  const port = Number(match?.[3]);
  if (match === null || port > 65_535) throw new InvalidArgumentError('Expected [host:]port, e.g. 3000, 127.0.0.1:3000 or [::1]:3000.');
  const host = match[1] ?? match[2] ?? DEFAULT_HOST;
  const loopback = host === 'localhost' || host === '::1' || /^127(?:\.\d{1,3}){3}$/.test(host);
  return { host, port, loopback };
}

function listen(server: Server, address: HttpAddress): Promise<string> {
  return new Promise((resolve, reject) => {
    server.once('error', (error) => reject(new UsageError(`Cannot listen on ${address.host}:${address.port}: ${messageOf(error)}`)));
    server.listen(address.port, address.host, () => {
      const bound = server.address();
      const port = typeof bound === 'object' && bound !== null ? bound.port : address.port;
      resolve(`http://${address.host.includes(':') ? `[${address.host}]` : address.host}:${port}`);
    });
  });
}

/** Resolves on the first SIGINT or SIGTERM; a second one ends the process at once, by that signal. */
function firstSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const onSignal = (signal: NodeJS.Signals): void => {
      process.off('SIGINT', onSignal).off('SIGTERM', onSignal);
      // Without a listener the signal's default action applies: the process ends by it.
      const again = (second: NodeJS.Signals): void => {
        process.off('SIGINT', again).off('SIGTERM', again);
        process.kill(process.pid, second);
      };
      process.on('SIGINT', again).on('SIGTERM', again);
      resolve(signal);
    };
    process.on('SIGINT', onSignal).on('SIGTERM', onSignal);
  });
}

/**
 * Serves `engine` at `http://address/mcp` until SIGINT or SIGTERM, then shuts down: new
 * connections and requests are refused, scripts already running get `graceMs` to finish
 * (their answers are sent), then the rest are aborted (and answered so), the sessions and the
 * engine closed.
 */
export async function serveHttp(engine: Engine, address: HttpAddress, graceMs: number, options: McpHttpHandlerOptions, connector: typeof import('../connectors/mcp/index.js')): Promise<void> {
  const handler = connector.createMcpHttpHandler(engine, {
    ...options,
    // SECURITY: docs/mcp.md "loopback by default": on loopback, only loopback host names.
    allowedHosts: address.loopback ? connector.LOOPBACK_HOSTS : 'any',
  });
  const server = createServer(handler);
  const url = await listen(server, address).catch(async (error: unknown) => {
    await Promise.all([handler.close(), engine.close({ force: true })]);
    throw error;
  });
  const signal = firstSignal();
  process.stderr.write(`toolweaver mcp: serving MCP (Streamable HTTP) at ${url}/mcp\n`);
  if (!address.loopback) {
    process.stderr.write('toolweaver mcp: warning: not a loopback address and no authentication: anyone who can reach it can run scripts with these tools\n');
  }
  const received = await signal;
  process.stderr.write(`toolweaver mcp: ${received}: finishing running scripts (up to ${graceMs} ms), then closing\n`);
  const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
  // Running scripts finish and are answered; past the grace they are aborted, and that is answered too.
  if (!(await handler.drain(graceMs))) {
    await engine.close({ force: true });
    await handler.drain(ABORTED_ANSWER_MS);
  }
  await handler.close();
  await engine.close({ force: true });
  server.closeAllConnections();
  await stopped;
}
