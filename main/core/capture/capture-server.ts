/**
 * The local capture endpoint: an HTTP server on 127.0.0.1 that speaks Segment's Tracking
 * API (tracking-api.ts decides every answer) and hands the accepted events to `onEvents`
 * before answering, so a client's 200 means the events were taken.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import zlib from 'node:zlib';
import type { JsonObject } from './delivered-event';
import { bodyLimit, handleTrackingRequest, routeOf, MAX_BATCH_BYTES, type RejectedMessage, type TrackingAnswer } from './tracking-api';

export const CAPTURE_HOST = '127.0.0.1';

/** Past this many bytes of an oversized upload we stop listening and close the connection. */
const MAX_DISCARD_BYTES = 8 * 1024 * 1024;

export interface RequestInfo {
  path: string;
  status: number;
}

export interface CaptureServerOptions {
  /** 0 picks a free port. */
  port: number;
  /** Accept only this write key; null accepts any non-empty one. */
  writeKey?: string | null;
  /** Takes the events of one accepted request; the request is answered when it resolves. */
  onEvents(events: JsonObject[], info: RequestInfo): Promise<void>;
  /** Told about every message that was not recorded, with why. */
  onRejected?(rejected: RejectedMessage[], info: RequestInfo): void;
}

export interface CaptureServer {
  readonly port: number;
  /** e.g. http://127.0.0.1:8765 */
  readonly url: string;
  close(): Promise<void>;
}

export class PortInUseError extends Error {
  override readonly name = 'PortInUseError';
}

export async function startCaptureServer(options: CaptureServerOptions): Promise<CaptureServer> {
  const server = http.createServer((req, res) => {
    handle(req, res, options).catch((err: unknown) => {
      if (!res.headersSent) send(res, 500, { success: false, code: 'internal', message: (err as Error).message });
      else res.destroy();
    });
  });
  server.keepAliveTimeout = 5000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) => {
      reject(err.code === 'EADDRINUSE' ? new PortInUseError(`port ${options.port} on ${CAPTURE_HOST} is already in use`) : err);
    });
    server.listen(options.port, CAPTURE_HOST, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    url: `http://${CAPTURE_HOST}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      }),
  };
}

async function handle(req: http.IncomingMessage, res: http.ServerResponse, options: CaptureServerOptions): Promise<void> {
  const path = req.url ?? '/';
  // Browsers (analytics.js) send from any page's origin, as they do to Segment's API.
  res.setHeader('Access-Control-Allow-Origin', '*');
  if (req.method === 'OPTIONS') {
    res.setHeader('Access-Control-Allow-Methods', 'POST, OPTIONS');
    res.setHeader('Access-Control-Allow-Headers', 'Content-Type, Authorization, Content-Encoding');
    res.setHeader('Access-Control-Max-Age', '600');
    res.writeHead(204).end();
    return;
  }
  const route = routeOf(path);
  const limit = route === null ? MAX_BATCH_BYTES : bodyLimit(route);
  const body = await readBody(req, limit);
  let answer: TrackingAnswer;
  if (body === 'bad-encoding') {
    answer = { status: 400, body: { success: false, code: 'invalid_request', message: 'the body could not be decompressed (Content-Encoding)' }, events: [], rejected: [] };
    answer.rejected.push({ index: null, code: 'invalid_request', reason: String(answer.body.message) });
  } else if (body === 'too-large-to-read') {
    res.setHeader('Connection', 'close');
    answer = { status: 400, body: { success: false, code: 'payload_too_large', message: 'Exceed payload limit' }, events: [], rejected: [] };
    answer.rejected.push({ index: null, code: 'payload_too_large', reason: `Exceed payload limit: the request body is far over ${limit / 1024} KB` });
  } else {
    answer = handleTrackingRequest(
      { method: req.method ?? 'GET', path, authorization: req.headers.authorization, body, receivedAt: new Date() },
      { writeKey: options.writeKey },
    );
  }
  const info: RequestInfo = { path: path.split('?')[0], status: answer.status };
  if (answer.rejected.length > 0) options.onRejected?.(answer.rejected, info);
  if (answer.events.length > 0) {
    try {
      await options.onEvents(answer.events, info);
    } catch (err) {
      // Not recorded: a 5xx makes Segment's libraries retry later instead of losing the events.
      send(res, 503, { success: false, code: 'not_recorded', message: `could not record the events: ${(err as Error).message}` });
      return;
    }
  }
  send(res, answer.status, answer.body);
}

/**
 * The decompressed body, read up to `limit + 1` bytes (enough to tell it is too large);
 * the rest of an oversized upload is discarded so the client still reads our answer.
 */
function readBody(req: http.IncomingMessage, limit: number): Promise<Buffer | 'bad-encoding' | 'too-large-to-read'> {
  const encoding = String(req.headers['content-encoding'] ?? 'identity').toLowerCase();
  let source: NodeJS.ReadableStream = req;
  if (encoding === 'gzip' || encoding === 'x-gzip') source = req.pipe(zlib.createGunzip());
  else if (encoding === 'deflate') source = req.pipe(zlib.createInflate());
  else if (encoding === 'br') source = req.pipe(zlib.createBrotliDecompress());
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let kept = 0;
    let seen = 0;
    let settled = false;
    const finish = (value: Buffer | 'bad-encoding' | 'too-large-to-read') => {
      if (settled) return;
      settled = true;
      resolve(value);
    };
    source.on('data', (chunk: Buffer) => {
      seen += chunk.length;
      if (kept <= limit) {
        const room = limit + 1 - kept;
        const piece = chunk.length > room ? chunk.subarray(0, room) : chunk;
        chunks.push(piece);
        kept += piece.length;
      }
      if (seen > MAX_DISCARD_BYTES) {
        req.unpipe();
        req.resume();
        finish('too-large-to-read');
      }
    });
    source.on('end', () => finish(Buffer.concat(chunks)));
    source.on('error', (err: Error) => {
      if (source !== req) finish('bad-encoding');
      else if (!settled) {
        settled = true;
        reject(err);
      }
    });
    if (source !== req) req.on('error', (err: Error) => !settled && ((settled = true), reject(err)));
  });
}

function send(res: http.ServerResponse, status: number, body: JsonObject): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}
