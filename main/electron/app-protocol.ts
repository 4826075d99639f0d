/**
 * The `app://fnstudio/` protocol that serves the built renderer inside Electron.
 * Pure Node (no electron import) so path resolution and headers are unit-tested.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { contentSecurityPolicy } from '../core/csp';
import { contentTypeFor } from '../core/content-type';

export const APP_SCHEME = 'app';
export const APP_HOST = 'fnstudio';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;

export { contentTypeFor };

export type AppPathResolution =
  | { ok: true; filePath: string }
  | { ok: false; status: 400 | 403 | 404; reason: string };

/**
 * Maps an app:// URL to a file under `rootDir`, refusing anything that could reach
 * outside it: other hosts, encoded separators or NUL bytes, `..` segments (raw or
 * percent-encoded). Query strings and fragments are ignored. `/` is index.html.
 * Symlinks are checked separately by {@link serveAppRequest} (needs the disk).
 */
export function resolveAppPath(rootDir: string, requestUrl: string): AppPathResolution {
  let url: URL;
  try {
    url = new URL(requestUrl);
  } catch {
    return { ok: false, status: 400, reason: `not a URL: ${JSON.stringify(requestUrl)}` };
  }
  if (url.protocol !== `${APP_SCHEME}:`) {
    return { ok: false, status: 400, reason: `wrong scheme ${url.protocol} (expected ${APP_SCHEME}:)` };
  }
  if (url.host !== APP_HOST || url.username !== '' || url.password !== '') {
    return { ok: false, status: 403, reason: `unknown app host ${JSON.stringify(url.host)}` };
  }
  // The WHATWG parser already folded "." / ".." and "%2e%2e"; what is left encoded
  // must not smuggle a separator or a dot segment past us after decoding.
  const rawSegments = url.pathname.split('/').filter((s) => s !== '');
  const segments: string[] = [];
  for (const raw of rawSegments) {
    let segment: string;
    try {
      segment = decodeURIComponent(raw);
    } catch {
      return { ok: false, status: 400, reason: `malformed percent-encoding in ${JSON.stringify(raw)}` };
    }
    if (segment === '.' || segment === '..' || /[/\\\0]/.test(segment)) {
      return { ok: false, status: 403, reason: `path segment ${JSON.stringify(raw)} escapes the app folder` };
    }
    segments.push(segment);
  }
  if (segments.length === 0) segments.push('index.html');
  const root = path.resolve(rootDir);
  const filePath = path.resolve(root, ...segments);
  if (!isInside(root, filePath)) {
    return { ok: false, status: 403, reason: 'path escapes the app folder' };
  }
  return { ok: true, filePath };
}

function isInside(root: string, candidate: string): boolean {
  const rel = path.relative(root, candidate);
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
}

/** Headers every app:// response carries; the CSP is what the renderer runs under. */
export function appResponseHeaders(contentType: string): Record<string, string> {
  return {
    'Content-Type': contentType,
    // 'self' is app://fnstudio; nothing else may be connected to in Electron (IPC is not fetch).
    'Content-Security-Policy': contentSecurityPolicy(),
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Cache-Control': 'no-cache',
  };
}

/**
 * Answers one app:// request from the files under `rootDir` (out/renderer). Returns a
 * fetch `Response` as Electron's `protocol.handle` expects; errors are plain-text
 * responses naming the problem, never a file from elsewhere.
 */
export async function serveAppRequest(rootDir: string, requestUrl: string, method = 'GET'): Promise<Response> {
  if (method !== 'GET' && method !== 'HEAD') {
    return textResponse(405, `method ${method} not allowed on ${APP_SCHEME}://`);
  }
  const resolved = resolveAppPath(rootDir, requestUrl);
  if (!resolved.ok) return textResponse(resolved.status, resolved.reason);
  let realRoot: string;
  let realFile: string;
  try {
    realRoot = await fs.realpath(path.resolve(rootDir));
  } catch {
    return textResponse(404, `the renderer is not built (${rootDir} missing): run npm run build`);
  }
  try {
    realFile = await fs.realpath(resolved.filePath);
  } catch {
    return textResponse(404, `not found: ${new URL(requestUrl).pathname}`);
  }
  if (!isInside(realRoot, realFile)) {
    return textResponse(403, 'path escapes the app folder (symlink)');
  }
  let body: Buffer;
  try {
    const stat = await fs.stat(realFile);
    if (!stat.isFile()) return textResponse(404, `not a file: ${new URL(requestUrl).pathname}`);
    body = await fs.readFile(realFile);
  } catch {
    return textResponse(404, `not found: ${new URL(requestUrl).pathname}`);
  }
  return new Response(method === 'HEAD' ? null : body, {
    status: 200,
    headers: appResponseHeaders(contentTypeFor(realFile)),
  });
}

function textResponse(status: number, message: string): Response {
  return new Response(`${status}: ${message}\n`, {
    status,
    headers: appResponseHeaders('text/plain; charset=utf-8'),
  });
}
