/**
 * The built renderer's files, as both hosts serve them (the web host over HTTP, Electron
 * over app://): which file a request path names, never one outside the renderer folder,
 * and the headers every answer carries. Each host only parses its own URL and writes the
 * answer its way.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { contentTypeFor } from './content-type';

export type RendererPath = { ok: true; segments: string[] } | { ok: false; status: 400 | 403; reason: string };

export type RendererFile = { ok: true; file: string; contentType: string } | { ok: false; status: 400 | 403 | 404; reason: string };

/**
 * A URL's path (still percent-encoded, as URL.pathname gives it) as decoded segments.
 * URL parsing has already folded "." and ".." (raw or %2e); what is left encoded must not
 * smuggle a separator, a NUL or a dot segment past us after decoding. `/` is index.html.
 */
export function rendererPathSegments(rawPathname: string): RendererPath {
  const segments: string[] = [];
  for (const raw of rawPathname.split('/').filter((s) => s !== '')) {
    let segment: string;
    try {
      segment = decodeURIComponent(raw);
    } catch {
      return { ok: false, status: 400, reason: `malformed percent-encoding in ${JSON.stringify(raw)}` };
    }
    if (segment === '.' || segment === '..' || /[/\\\0]/.test(segment)) {
      return { ok: false, status: 403, reason: `path segment ${JSON.stringify(raw)} escapes the renderer folder` };
    }
    segments.push(segment);
  }
  if (segments.length === 0) segments.push('index.html');
  return { ok: true, segments };
}

/** True when `candidate` is strictly inside `root` (both absolute). */
export function isInside(root: string, candidate: string): boolean {
  const rel = path.relative(root, candidate);
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
}

/**
 * The file under `rootDir` that `rawPathname` names. A folder means its index.html; a
 * symlink must not lead outside the folder; a missing build says how to make one.
 */
export async function findRendererFile(rootDir: string, rawPathname: string): Promise<RendererFile> {
  const parsed = rendererPathSegments(rawPathname);
  if (!parsed.ok) return parsed;
  const root = path.resolve(rootDir);
  let realRoot: string;
  try {
    realRoot = await fs.realpath(root);
    await fs.access(path.join(realRoot, 'index.html'));
  } catch {
    return { ok: false, status: 404, reason: `the renderer is not built (${path.join(root, 'index.html')} is missing): run npm run build` };
  }
  let file = path.resolve(root, ...parsed.segments);
  if (!isInside(root, file)) return { ok: false, status: 403, reason: 'the path escapes the renderer folder' };
  const notFound: RendererFile = { ok: false, status: 404, reason: `${rawPathname} not found` };
  try {
    if ((await fs.stat(file)).isDirectory()) file = path.join(file, 'index.html');
    if (!(await fs.stat(file)).isFile()) return notFound;
    const real = await fs.realpath(file);
    if (!isInside(realRoot, real)) return { ok: false, status: 403, reason: 'the path escapes the renderer folder (symlink)' };
    return { ok: true, file: real, contentType: contentTypeFor(real) };
  } catch {
    return notFound;
  }
}

/**
 * Headers of every answer either host gives for the renderer: the CSP (when the host has
 * one for this answer), no sniffing, no referrer, no framing, no cross-origin use.
 */
export function rendererHeaders(contentType: string, csp: string | null): Record<string, string> {
  return {
    'Content-Type': contentType,
    ...(csp === null ? {} : { 'Content-Security-Policy': csp }),
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'X-Frame-Options': 'DENY',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
    // HTML is the entry point: always fetched afresh, so a rebuild is picked up at once.
    'Cache-Control': contentType.startsWith('text/html') ? 'no-store' : 'no-cache',
  };
}
