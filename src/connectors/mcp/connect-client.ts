// Owns turning what a caller passes for an MCP server (a connected Client, or a Transport)
// into a connected Client, and whether toolweaver owns it (and so closes it).

import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';

/** How toolweaver introduces itself to servers it connects to. */
const CLIENT_INFO = { name: 'toolweaver', version: '0.1.0' };

function isClient(value: unknown): value is Client {
  return typeof value === 'object' && value !== null && typeof (value as Client).callTool === 'function' && typeof (value as Client).listTools === 'function';
}

function isTransport(value: unknown): value is Transport {
  return typeof value === 'object' && value !== null && typeof (value as Transport).start === 'function' && typeof (value as Transport).send === 'function';
}

/** A connected client for `server`; `owned` when it was made here from a transport. */
export async function connectClient(server: Client | Transport): Promise<{ client: Client; owned: boolean }> {
  if (isClient(server)) {
    if (server.getServerCapabilities() === undefined) {
      throw new TypeError('Expected a connected MCP Client (call `await client.connect(transport)` first), or a Transport');
    }
    return { client: server, owned: false };
  }
  if (!isTransport(server)) throw new TypeError('Expected an MCP Client or Transport');
  const client = new Client(CLIENT_INFO);
  await client.connect(server);
  return { client, owned: true };
}
