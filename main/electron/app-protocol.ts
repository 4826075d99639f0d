/**
 * The `app://fnstudio/` protocol that serves the built renderer inside Electron: this
 * host's URL checks (scheme, host) in front of the file lookup both hosts share
 * (core/renderer-files). Pure Node (no electron import) so it is unit-tested.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { contentSecurityPolicy } from '../core/csp';
import { contentTypeFor } from '../core/content-type';
import { findRendererFile, isInside, rendererHeaders, rendererPathSegments } from '../core/renderer-files';

export const APP_SCHEME = 'app';
export const APP_HOST = 'fnstudio';
const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;

export { contentTypeFor };

export type AppPathResolution =
  | { ok: true; filePath: string }
  | { ok: false; status: 400 | 403 | 404; reason: string };

/** The URL of an app:// request, or why it is not one of ours. */
function appUrl(requestUrl: string): { ok: true; url: URL } | { ok: false; status: 400 | 403; reason: string } {
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
  return { ok: true, url };
}

/**
 * Maps an app:// URL to a file under `rootDir`, refusing anything that could reach
 * outside it: other hosts, encoded separators or NUL bytes, `..` segments (raw or
 * percent-encoded). Query strings and fragments are ignored. `/` is index.html.
 * Symlinks are checked by {@link serveAppRequest} (needs the disk).
 */
export function resolveAppPath(rootDir: string, requestUrl: string): AppPathResolution {
  const parsed = appUrl(requestUrl);
  if (!parsed.ok) return parsed;
  const segments = rendererPathSegments(parsed.url.pathname);
  if (!segments.ok) return segments;
  const root = path.resolve(rootDir);
  const filePath = path.resolve(root, ...segments.segments);
  if (!isInside(root, filePath)) return { ok: false, status: 403, reason: 'path escapes the app folder' };
  return { ok: true, filePath };
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
  const parsed = appUrl(requestUrl);
  if (!parsed.ok) return textResponse(parsed.status, parsed.reason);
  const found = await findRendererFile(rootDir, parsed.url.pathname);
  if (!found.ok) return textResponse(found.status, found.reason);
  let body: Buffer;
  try {
    body = await fs.readFile(found.file);
  } catch {
    return textResponse(404, `not found: ${parsed.url.pathname}`);
  }
  return new Response(method === 'HEAD' ? null : body, { status: 200, headers: appHeaders(found.contentType) });
}

/** 'self' is app://fnstudio; nothing else may be connected to in Electron (IPC is not fetch). */
function appHeaders(contentType: string): Record<string, string> {
  return rendererHeaders(contentType, contentSecurityPolicy());
}

function textResponse(status: number, message: string): Response {
  return new Response(`${status}: ${message}\n`, { status, headers: appHeaders('text/plain; charset=utf-8') });
}
