// Owns serving an engine over MCP Streamable HTTP in session mode: one McpServer and SDK
// transport per session (random ids, held in this process's memory), a Host/Origin check
// against DNS rebinding, idle sessions closed. Never authenticates: whoever can reach it and
// passes the Host check can run scripts with the catalog's tools.

import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import type { Engine } from '../../engine.js';
import { InvalidOptionsError } from '../../errors.js';
import { createMcpServer, type CreateMcpServerOptions } from './serve.js';

/** Host names a loopback server answers to. */
export const LOOPBACK_HOSTS: readonly string[] = Object.freeze(['localhost', '127.0.0.1', '[::1]']);

/** Options of `createMcpHttpHandler`: those of `createMcpServer`, and these. */
export interface McpHttpHandlerOptions extends CreateMcpServerOptions {
  /** The one path served; others get 404. @default '/mcp' */
  path?: string | undefined;
  /**
   * Host names accepted in the `Host` header and in an `Origin` header when one is sent
   * (DNS-rebinding protection); `'any'` turns the check off. @default LOOPBACK_HOSTS
   */
  allowedHosts?: readonly string[] | 'any' | undefined;
  /** Most sessions open at once; an `initialize` beyond gets 503. @default 100 */
  maxSessions?: number | undefined;
  /** A session with no request in flight for this long is closed. @default 1_800_000 (30 min) */
  sessionIdleMs?: number | undefined;
}

/** A Node request listener (`http.createServer(handler)`) serving MCP, with its sessions. */
export interface McpHttpHandler {
  (request: IncomingMessage, response: ServerResponse): void;
  /** Sessions open now. */
  readonly sessions: number;
  /**
   * Refuses new requests (503) and resolves once every POST request in flight (a running
   * script) has been answered: `true`, or `false` if `timeoutMs` passed first.
   */
  drain(timeoutMs: number): Promise<boolean>;
  /**
   * Refuses new requests and closes every session now: open streams end, and a script still
   * running is aborted through its request's signal (its client gets no answer: drain first).
   */
  close(): Promise<void>;
}

interface Session {
  readonly transport: StreamableHTTPServerTransport;
  readonly close: () => Promise<void>;
  inFlight: number;
  lastSeen: number;
}

function positiveInteger(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || value < 1) throw new InvalidOptionsError(name, `Expected \`${name}\` to be a positive integer, got ${String(value)}`);
  return value;
}

function refuse(response: ServerResponse, status: number, message: string): void {
  if (response.headersSent) return void response.end();
  response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify({ jsonrpc: '2.0', error: { code: -32000, message }, id: null }));
}

/** The host name of `value` (`Host` header or `Origin` URL), lower case, or undefined if it does not parse. */
function hostnameOf(value: string, isOrigin: boolean): string | undefined {
  try {
    return new URL(isOrigin ? value : `http://${value}`).hostname.toLowerCase();
  } catch {
    return undefined;
  }
}

/** Whether the request's Host (and Origin, if sent) name an allowed host. */
function hostAllowed(request: IncomingMessage, allowed: readonly string[] | 'any'): boolean {
  if (allowed === 'any') return true;
  const host = request.headers.host;
  if (host === undefined || !allowed.includes(hostnameOf(host, false) ?? '')) return false;
  const origin = request.headers.origin;
  return origin === undefined || allowed.includes(hostnameOf(origin, true) ?? '');
}

/**
 * Serves `engine` over MCP Streamable HTTP: mount the returned listener on a Node HTTP server
 * (or any framework passing Node's request and response). Each client session gets its own
 * `createMcpServer(engine, options)`; all share the engine. The caller closes the handler,
 * then the engine.
 */
// Longer than our usual function: one closure holds the session table, the count of calls in
// flight and the idle sweep, which routing, draining and closing all share.
export function createMcpHttpHandler(engine: Engine, options: McpHttpHandlerOptions): McpHttpHandler {
  const { path = '/mcp', allowedHosts = LOOPBACK_HOSTS, maxSessions: max, sessionIdleMs: idle, ...serverOptions } = options;
  const maxSessions = positiveInteger('maxSessions', max, 100);
  const sessionIdleMs = positiveInteger('sessionIdleMs', idle, 1_800_000);
  const sessions = new Map<string, Session>();
  let closed = false;
  // POSTs carry the calls (a script may run for minutes); a GET is a stream held open until closed.
  let postsInFlight = 0;
  const onPostsDone: Array<() => void> = [];

  const open = async (): Promise<Session> => {
    const server = createMcpServer(engine, serverOptions);
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: randomUUID, onsessioninitialized: (id) => void sessions.set(id, session) });
    server.server.onclose = () => {
      if (transport.sessionId !== undefined) sessions.delete(transport.sessionId);
    };
    const session: Session = { transport, close: () => server.close(), inFlight: 0, lastSeen: Date.now() };
    await server.connect(transport);
    return session;
  };

  const serve = async (session: Session, request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const post = request.method === 'POST';
    session.inFlight++;
    session.lastSeen = Date.now();
    if (post) postsInFlight++;
    response.once('close', () => {
      session.inFlight--;
      session.lastSeen = Date.now();
      if (post && --postsInFlight === 0) onPostsDone.splice(0).forEach((resolve) => resolve());
    });
    await session.transport.handleRequest(request, response);
  };

  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    if (new URL(request.url ?? '/', 'http://host').pathname !== path) return refuse(response, 404, `Not found: MCP is served at ${path}`);
    // SECURITY: docs/mcp.md "loopback by default": a page a browser loaded from another host
    // (DNS rebinding, cross-site requests) names that host in Host or Origin and is refused.
    if (!hostAllowed(request, allowedHosts)) return refuse(response, 403, 'Forbidden: Host or Origin not allowed');
    if (closed) return refuse(response, 503, 'Server shutting down');
    const id = request.headers['mcp-session-id'];
    if (typeof id === 'string') {
      const session = sessions.get(id);
      return session === undefined ? refuse(response, 404, 'Session not found') : serve(session, request, response);
    }
    if (request.method !== 'POST') return refuse(response, 400, 'Bad Request: no Mcp-Session-Id header');
    if (sessions.size >= maxSessions) return refuse(response, 503, `Too many sessions (maxSessions: ${maxSessions})`);
    const session = await open();
    await serve(session, request, response);
    // Anything but an `initialize` without a session id was refused by the transport.
    if (session.transport.sessionId === undefined) await session.close();
  };

  const sweep = setInterval(() => {
    const now = Date.now();
    for (const session of sessions.values()) {
      if (session.inFlight === 0 && now - session.lastSeen >= sessionIdleMs) void session.close();
    }
  }, Math.min(sessionIdleMs, 60_000)).unref();

  const listener = (request: IncomingMessage, response: ServerResponse): void => {
    handle(request, response).catch(() => refuse(response, 500, 'Internal server error'));
  };
  const drain = (timeoutMs: number): Promise<boolean> => {
    closed = true;
    if (postsInFlight === 0) return Promise.resolve(true);
    return new Promise((resolve) => {
      onPostsDone.push(() => resolve(true));
      setTimeout(() => resolve(false), timeoutMs).unref();
    });
  };
  return Object.defineProperties(listener, {
    sessions: { get: () => sessions.size },
    drain: { value: drain },
    close: {
      value: async (): Promise<void> => {
        closed = true;
        clearInterval(sweep);
        await Promise.all([...sessions.values()].map((session) => session.close()));
        sessions.clear();
      },
    },
  }) as McpHttpHandler;
}
