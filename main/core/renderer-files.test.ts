import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { findRendererFile, rendererHeaders, rendererPathSegments } from './renderer-files';

let base: string;
let root: string;
beforeAll(() => {
  base = mkdtempSync(path.join(os.tmpdir(), 'fnstudio-renderer-files-'));
  root = path.join(base, 'renderer');
  mkdirSync(path.join(root, 'assets', 'docs'), { recursive: true });
  writeFileSync(path.join(root, 'index.html'), '<title>fnstudio</title>');
  writeFileSync(path.join(root, 'assets', 'a b.js'), '1');
  writeFileSync(path.join(root, 'assets', 'docs', 'index.html'), 'docs');
  writeFileSync(path.join(base, 'secret.txt'), 'top secret');
  symlinkSync(path.join(base, 'secret.txt'), path.join(root, 'assets', 'link.txt'));
});
afterAll(() => rmSync(base, { recursive: true, force: true }));

describe('rendererPathSegments', () => {
  it('decodes segments and refuses what could leave the folder after decoding', () => {
    expect(rendererPathSegments('/')).toEqual({ ok: true, segments: ['index.html'] });
    expect(rendererPathSegments('/assets/a%20b.js')).toEqual({ ok: true, segments: ['assets', 'a b.js'] });
    for (const raw of ['/..%2fsecret.txt', '/a%5cb', '/a%00b', '/%2e%2e']) {
      expect(rendererPathSegments(raw), raw).toMatchObject({ ok: false, status: 403 });
    }
    expect(rendererPathSegments('/%E0%A4%A.js')).toMatchObject({ ok: false, status: 400, reason: expect.stringContaining('malformed percent-encoding') });
  });
});

describe('findRendererFile', () => {
  it('finds files, a folder\'s index.html, and their content types', async () => {
    expect(await findRendererFile(root, '/')).toMatchObject({ ok: true, contentType: 'text/html; charset=utf-8' });
    expect(await findRendererFile(root, '/assets/a%20b.js')).toMatchObject({ ok: true, file: path.join(root, 'assets', 'a b.js'), contentType: 'text/javascript; charset=utf-8' });
    expect(await findRendererFile(root, '/assets/docs')).toMatchObject({ ok: true, file: path.join(root, 'assets', 'docs', 'index.html') });
  });

  it('answers 404 naming the path, 403 for a symlink out, and a build hint when not built', async () => {
    expect(await findRendererFile(root, '/nope.js')).toEqual({ ok: false, status: 404, reason: '/nope.js not found' });
    expect(await findRendererFile(root, '/assets')).toMatchObject({ ok: false, status: 404 });
    expect(await findRendererFile(root, '/assets/link.txt')).toMatchObject({ ok: false, status: 403, reason: expect.stringContaining('symlink') });
    expect(await findRendererFile(path.join(base, 'missing'), '/')).toMatchObject({ ok: false, status: 404, reason: expect.stringContaining('run npm run build') });
  });
});

describe('rendererHeaders', () => {
  it('gives every answer the hardening headers, the CSP when given, and no caching of HTML', () => {
    expect(rendererHeaders('text/html; charset=utf-8', "default-src 'none'")).toEqual({
      'Content-Type': 'text/html; charset=utf-8',
      'Content-Security-Policy': "default-src 'none'",
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
      'X-Frame-Options': 'DENY',
      'Cross-Origin-Opener-Policy': 'same-origin',
      'Cross-Origin-Resource-Policy': 'same-origin',
      'Cache-Control': 'no-store',
    });
    expect(rendererHeaders('text/css; charset=utf-8', null)).not.toHaveProperty('Content-Security-Policy');
    expect(rendererHeaders('text/css; charset=utf-8', null)['Cache-Control']).toBe('no-cache');
  });
});
