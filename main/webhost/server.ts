/**
 * The browser host: serves the built renderer and the contract (JSON-RPC over a
 * WebSocket) on 127.0.0.1. Everything needs the per-run token; Host and Origin are
 * checked so other web pages cannot reach it (DNS rebinding, cross-site WebSocket).
 * Sockets, time and buffered bytes are bounded (limits.ts), so other local processes
 * cannot make it hold connections open or memory without end.
 */
import { createReadStream } from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import type { FnStudioApi } from '../contract/api';
import { RPC_PATH, type HostEvent, type JsonRpcEventNotification } from '../contract/transport';
import { contentSecurityPolicy } from '../core/csp';
import { answerRpc, parseRpcMessage } from './rpc';
import { findRendererFile, rendererHeaders } from '../core/renderer-files';
import { cookieToken, isAllowedHost, isAllowedOrigin, newToken, tokenCookie, tokensEqual } from './security';
import { webHostLimits, type WebHostLimits } from './limits';
import { OneTimeLinks } from './one-time-links';

export interface WebHostOptions {
  api: FnStudioApi;
  /** Subscribes to host events (core's onEvent). */
  onEvent?: (listener: (event: HostEvent) => void) => () => void;
  /** The vite build output (index.html + assets). */
  rendererDir: string;
  /** 0 picks a free port. */
  port?: number;
  /** Fixed token (tests); default: 32 random bytes. */
  token?: string;
  /** Tighter or looser bounds than DEFAULT_WEBHOST_LIMITS (tests). */
  limits?: Partial<WebHostLimits>;
}

export interface WebHost {
  port: number;
  token: string;
  /** The URL for the user to open: `http://127.0.0.1:PORT/?token=…` (works for the whole run). */
  url: string;
  /**
   * A new link good for one visit within limits.oneTimeLinkTtlMs: `http://127.0.0.1:PORT/?once=…`.
   * For a browser started with it on its command line, which other local users can read.
   */
  oneTimeUrl(): string;
  close(): Promise<void>;
}

const NO_TOKEN = 'fnstudio: missing or wrong token. Open the URL that `fnstudio serve` printed (it contains ?token=...).';
const LINK_USED =
  'fnstudio: this one-time link was already used or has expired. Open the URL that `fnstudio serve` printed (it contains ?token=...).';

export async function startWebHost(options: WebHostOptions): Promise<WebHost> {
  const token = options.token ?? newToken();
  const limits = webHostLimits(options.limits);
  const links = new OneTimeLinks(limits.oneTimeLinkTtlMs);
  const server = http.createServer({
    // How often Node looks for requests past headersTimeout/requestTimeout (default 30 s).
    connectionsCheckingInterval: Math.max(50, Math.min(1000, Math.floor(limits.headersTimeoutMs / 4))),
  });
  server.maxConnections = limits.maxConnections;
  server.headersTimeout = limits.headersTimeoutMs;
  server.requestTimeout = limits.requestTimeoutMs;
  server.keepAliveTimeout = limits.keepAliveTimeoutMs;
  // With no 'timeout' listener, Node destroys a socket idle this long. ws turns it off for
  // upgraded sockets: an open studio tab may stay quiet for hours.
  server.timeout = limits.idleTimeoutMs;
  const wss = new WebSocketServer({ noServer: true, maxPayload: limits.maxMessageBytes });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const csp = contentSecurityPolicy({ connectSrc: [`ws://127.0.0.1:${port}`, `ws://localhost:${port}`] });

  server.on('request', (req, res) => {
    handleHttp(req, res).catch(() => {
      if (!res.headersSent) send(res, 500, 'fnstudio: internal error');
      else res.destroy();
    });
  });

  async function handleHttp(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    if (!isAllowedHost(req.headers.host, port)) {
      send(res, 421, `fnstudio: this server answers only to 127.0.0.1:${port} or localhost:${port}`);
      return;
    }
    const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
    const queryToken = url.searchParams.get('token');
    const once = url.searchParams.get('once');
    if (queryToken !== null || once !== null) {
      if (queryToken !== null ? !tokensEqual(queryToken, token) : !links.redeem(once ?? '')) {
        send(res, 401, queryToken !== null ? NO_TOKEN : LINK_USED);
        return;
      }
      // Move the token into a cookie and out of the address bar and history. Always to
      // `/`: echoing the path back could become an open redirect (`//elsewhere`).
      res.setHeader('Set-Cookie', tokenCookie(port, token));
      res.setHeader('Location', '/');
      send(res, 302, 'Redirecting');
      return;
    }
    if (!tokensEqual(cookieToken(req.headers.cookie, port), token)) {
      send(res, 401, NO_TOKEN);
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('Allow', 'GET, HEAD');
      send(res, 405, `fnstudio: ${req.method} is not allowed here`);
      return;
    }
    const found = await findRendererFile(options.rendererDir, url.pathname);
    if (!found.ok) {
      send(res, found.status, `fnstudio: ${found.reason}`);
      return;
    }
    const headers = rendererHeaders(found.contentType, found.contentType.startsWith('text/html') ? csp : null);
    for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
    res.statusCode = 200;
    if (req.method === 'HEAD') {
      res.end();
      return;
    }
    await new Promise<void>((resolve, reject) => {
      const stream = createReadStream(found.file);
      stream.on('error', reject);
      res.on('close', resolve);
      stream.pipe(res);
    });
  }

  server.on('upgrade', (req: http.IncomingMessage, socket: Duplex, head: Buffer) => {
    // A client that resets mid-handshake must not take the server down.
    socket.on('error', () => socket.destroy());
    const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
    if (!isAllowedHost(req.headers.host, port)) return refuseUpgrade(socket, 421, 'wrong Host');
    if (!isAllowedOrigin(req.headers.origin, req.headers.host, port)) return refuseUpgrade(socket, 403, 'cross-origin WebSocket refused');
    if (!tokensEqual(cookieToken(req.headers.cookie, port), token)) return refuseUpgrade(socket, 401, 'missing or wrong token');
    if (url.pathname !== RPC_PATH) return refuseUpgrade(socket, 404, `WebSocket endpoint is ${RPC_PATH}`);
    if (wss.clients.size >= limits.maxWebSockets) {
      return refuseUpgrade(socket, 503, `too many open connections (at most ${limits.maxWebSockets}); close other fnstudio tabs`);
    }
    wss.handleUpgrade(req, socket, head, (ws) => serveConnection(ws));
  });

  function serveConnection(ws: WebSocket): void {
    // Runs started on this connection are cancelled when the tab goes away.
    const runIds = new Set<string>();
    // At most maxCallsInFlight calls run per connection. Beyond that the socket stops being
    // read (TCP pushes back on the client); what ws had already read waits here, in order.
    let inFlight = 0;
    const waiting: string[] = [];
    const unsubscribe = options.onEvent?.((event) => {
      if (ws.readyState === ws.OPEN) {
        const note: JsonRpcEventNotification = { jsonrpc: '2.0', method: 'event', params: event };
        ws.send(JSON.stringify(note));
      }
    });
    const start = (text: string): void => {
      const parsed = parseRpcMessage(text);
      if (!parsed.ok) {
        ws.send(JSON.stringify(parsed.response));
        return;
      }
      const { call } = parsed;
      const runId = call.method === 'runner.run' ? runIdOf(call.params[0]) : null;
      if (runId) runIds.add(runId);
      inFlight++;
      void answerRpc(options.api, call).then((response) => {
        inFlight--;
        if (runId) runIds.delete(runId);
        if (ws.readyState !== ws.OPEN) return;
        ws.send(JSON.stringify(response));
        while (inFlight < limits.maxCallsInFlight && waiting.length > 0) start(waiting.shift() as string);
        if (inFlight < limits.maxCallsInFlight && ws.isPaused) ws.resume();
      });
    };
    ws.on('message', (data, isBinary) => {
      const text = isBinary ? '' : messageText(data);
      if (inFlight < limits.maxCallsInFlight && waiting.length === 0) {
        start(text);
      } else {
        waiting.push(text);
        if (!ws.isPaused) ws.pause();
      }
    });
    ws.on('close', () => {
      unsubscribe?.();
      for (const runId of runIds) void options.api.runner.cancel(runId).catch(() => undefined);
    });
    ws.on('error', () => ws.terminate());
  }

  return {
    port,
    token,
    url: `http://127.0.0.1:${port}/?token=${token}`,
    oneTimeUrl: () => `http://127.0.0.1:${port}/?once=${links.issue()}`,
    async close() {
      for (const client of wss.clients) client.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}

function send(res: http.ServerResponse, status: number, text: string): void {
  for (const [name, value] of Object.entries(rendererHeaders('text/plain; charset=utf-8', null))) res.setHeader(name, value);
  res.setHeader('Cache-Control', 'no-store');
  res.statusCode = status;
  res.end(`${text}\n`);
}

function refuseUpgrade(socket: Duplex, status: number, reason: string): void {
  const body = `fnstudio: ${reason}\n`;
  socket.end(
    `HTTP/1.1 ${status} ${http.STATUS_CODES[status] ?? ''}\r\nConnection: close\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
}

/** A text frame's payload as a string (ws gives a Buffer, or fragments as a Buffer list). */
function messageText(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.isBuffer(data) ? data.toString('utf8') : Buffer.from(data).toString('utf8');
}

function runIdOf(req: unknown): string | null {
  if (typeof req !== 'object' || req === null) return null;
  const runId = (req as { runId?: unknown }).runId;
  return typeof runId === 'string' ? runId : null;
}
