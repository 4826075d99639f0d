/** Content types of the built renderer's files, shared by both hosts that serve it. */
import * as path from 'node:path';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.wasm': 'application/wasm',
  '.txt': 'text/plain; charset=utf-8',
};

export function contentTypeFor(filePath: string): string {
  const lower = filePath.toLowerCase();
  // `.d.ts` would otherwise map by its last extension to a video type.
  if (lower.endsWith('.d.ts')) return 'text/plain; charset=utf-8';
  return CONTENT_TYPES[path.extname(lower)] ?? 'application/octet-stream';
}
