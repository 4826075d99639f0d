/**
 * Helpers for the runtime's own tests (real workers, a real HTTP server on 127.0.0.1).
 * Not used by production code.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { InvokeRequest } from './api';

export interface RecordedRequest {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export interface TestServer {
  url: string;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

/** An HTTP server on 127.0.0.1:0 that records requests; `handler` writes the response. */
export async function startTestServer(
  handler: (req: RecordedRequest, res: http.ServerResponse) => void = (_req, res) => {
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ ok: true }));
  },
): Promise<TestServer> {
  const requests: RecordedRequest[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const recorded = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
      requests.push(recorded);
      handler(recorded, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

let counter = 0;

/** An invoke request for `code` with sensible test defaults. */
export function request(code: string, input: unknown, extra: Partial<InvokeRequest> = {}): InvokeRequest {
  return { functionId: `fn-${++counter}`, code, filename: 'handler.js', input, settings: {}, ...extra };
}

export const TRACK = Object.freeze({ type: 'track', event: 'Course Clicked', userId: 'u1', properties: { title: 'Intro' } });

/** Names every SES compartment's global object has that are JS built-ins (ECMAScript + SES's shared set). */
export const JS_BUILTINS: ReadonlySet<string> = new Set(
  ('Infinity NaN undefined isFinite isNaN parseFloat parseInt decodeURI decodeURIComponent encodeURI encodeURIComponent Array ' +
    'ArrayBuffer BigInt BigInt64Array BigUint64Array Boolean DataView EvalError Int8Array Int16Array Int32Array Map Number Object ' +
    'Promise Proxy RangeError ReferenceError Set String SyntaxError TypeError Uint8Array Uint8ClampedArray Uint16Array Uint32Array ' +
    'URIError WeakMap WeakSet AggregateError JSON Reflect TextEncoder TextDecoder escape unescape Date Error RegExp Symbol Math ' +
    'globalThis eval Function Intl Float32Array Float64Array FinalizationRegistry WeakRef SharedArrayBuffer Atomics Iterator').split(' '),
);
