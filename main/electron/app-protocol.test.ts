import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, mkdirSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { contentSecurityPolicy } from '../core/csp';
import { APP_ENTRY_URL, contentTypeFor, resolveAppPath, serveAppRequest } from './app-protocol';

let base: string;
let root: string;

beforeAll(() => {
  base = mkdtempSync(path.join(tmpdir(), 'fnstudio-app-protocol-'));
  root = path.join(base, 'renderer');
  mkdirSync(path.join(root, 'assets'), { recursive: true });
  writeFileSync(path.join(root, 'index.html'), '<!doctype html><title>fnstudio</title>');
  writeFileSync(path.join(root, 'assets', 'main-abc.js'), 'console.log(1)');
  writeFileSync(path.join(root, 'assets', 'a b.css'), 'body{}');
  writeFileSync(path.join(base, 'secret.txt'), 'top secret');
  symlinkSync(path.join(base, 'secret.txt'), path.join(root, 'assets', 'link.txt'));
});

afterAll(() => rmSync(base, { recursive: true, force: true }));

describe('resolveAppPath', () => {
  it('maps the root and plain files under the renderer folder', () => {
    expect(resolveAppPath(root, 'app://fnstudio/')).toEqual({ ok: true, filePath: path.join(root, 'index.html') });
    expect(resolveAppPath(root, APP_ENTRY_URL)).toEqual({ ok: true, filePath: path.join(root, 'index.html') });
    expect(resolveAppPath(root, 'app://fnstudio/assets/main-abc.js')).toEqual({
      ok: true,
      filePath: path.join(root, 'assets', 'main-abc.js'),
    });
  });

  it('ignores query strings and fragments', () => {
    expect(resolveAppPath(root, 'app://fnstudio/assets/main-abc.js?v=3#x')).toEqual({
      ok: true,
      filePath: path.join(root, 'assets', 'main-abc.js'),
    });
    expect(resolveAppPath(root, 'app://fnstudio/?token=../../etc/passwd')).toEqual({
      ok: true,
      filePath: path.join(root, 'index.html'),
    });
  });

  it('decodes percent-encoded names', () => {
    expect(resolveAppPath(root, 'app://fnstudio/assets/a%20b.css')).toEqual({
      ok: true,
      filePath: path.join(root, 'assets', 'a b.css'),
    });
  });

  it('never resolves outside the folder, raw or encoded', () => {
    const attempts = [
      'app://fnstudio/../secret.txt',
      'app://fnstudio/assets/../../secret.txt',
      'app://fnstudio/%2e%2e/secret.txt',
      'app://fnstudio/%2E%2E/%2e%2e/secret.txt',
      'app://fnstudio/..%2fsecret.txt',
      'app://fnstudio/assets%2f..%2f..%2fsecret.txt',
      'app://fnstudio/..%5csecret.txt',
      'app://fnstudio/%252e%252e/secret.txt',
      'app://fnstudio/assets/%00.js',
    ];
    for (const url of attempts) {
      const r = resolveAppPath(root, url);
      if (r.ok) {
        // Folded by the URL parser to a path that is still inside the root.
        expect(path.relative(root, r.filePath).startsWith('..'), url).toBe(false);
        expect(r.filePath.startsWith(root + path.sep), url).toBe(true);
      } else {
        expect([400, 403], url).toContain(r.status);
      }
    }
    // Those that carry an encoded separator or dot segment are refused outright.
    expect(resolveAppPath(root, 'app://fnstudio/..%2fsecret.txt')).toMatchObject({ ok: false, status: 403 });
    expect(resolveAppPath(root, 'app://fnstudio/..%5csecret.txt')).toMatchObject({ ok: false, status: 403 });
    expect(resolveAppPath(root, 'app://fnstudio/assets/%00.js')).toMatchObject({ ok: false, status: 403 });
  });

  it('refuses other hosts, schemes, credentials and malformed URLs', () => {
    expect(resolveAppPath(root, 'app://evil/index.html')).toMatchObject({ ok: false, status: 403 });
    expect(resolveAppPath(root, 'app://user:pw@fnstudio/index.html')).toMatchObject({ ok: false, status: 403 });
    expect(resolveAppPath(root, 'file:///etc/passwd')).toMatchObject({ ok: false, status: 400 });
    expect(resolveAppPath(root, 'https://fnstudio/index.html')).toMatchObject({ ok: false, status: 400 });
    expect(resolveAppPath(root, 'not a url')).toMatchObject({ ok: false, status: 400 });
    expect(resolveAppPath(root, 'app://fnstudio/%E0%A4%A.js')).toMatchObject({ ok: false, status: 400 });
  });
});

describe('serveAppRequest', () => {
  it('serves index.html with the shared CSP and a content type', async () => {
    const res = await serveAppRequest(root, 'app://fnstudio/');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(res.headers.get('content-security-policy')).toBe(contentSecurityPolicy());
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await res.text()).toContain('<title>fnstudio</title>');
  });

  it('builds the CSP for app:// with self-only sources and no WebSocket origin', async () => {
    const res = await serveAppRequest(root, 'app://fnstudio/index.html');
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toMatch(/connect-src 'self'(;|$)/);
    expect(csp).not.toMatch(/ws:|http:|https:|unsafe-eval/);
    expect(csp).toContain("frame-ancestors 'none'");
  });

  it('serves assets with a query string and the right type', async () => {
    const res = await serveAppRequest(root, 'app://fnstudio/assets/main-abc.js?import');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(await res.text()).toBe('console.log(1)');
  });

  it('answers 404 for missing files and folders, naming the path', async () => {
    const missing = await serveAppRequest(root, 'app://fnstudio/assets/nope.js');
    expect(missing.status).toBe(404);
    expect(await missing.text()).toContain('/assets/nope.js');
    expect((await serveAppRequest(root, 'app://fnstudio/assets')).status).toBe(404);
  });

  it('answers 404 with a build hint when the renderer is not built', async () => {
    const res = await serveAppRequest(path.join(base, 'no-such-dir'), 'app://fnstudio/');
    expect(res.status).toBe(404);
    expect(await res.text()).toContain('npm run build');
  });

  it('refuses traversal and symlinks leading outside, never leaking the file', async () => {
    for (const url of ['app://fnstudio/..%2fsecret.txt', 'app://fnstudio/assets/link.txt', 'app://other/secret.txt']) {
      const res = await serveAppRequest(root, url);
      expect(res.status, url).toBeGreaterThanOrEqual(400);
      expect(await res.text(), url).not.toContain('top secret');
    }
    expect((await serveAppRequest(root, 'app://fnstudio/assets/link.txt')).status).toBe(403);
  });

  it('refuses methods other than GET and HEAD', async () => {
    expect((await serveAppRequest(root, 'app://fnstudio/', 'POST')).status).toBe(405);
    const head = await serveAppRequest(root, 'app://fnstudio/', 'HEAD');
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
  });
});

describe('serving the built renderer (npm run build output)', () => {
  const builtRoot = path.resolve(__dirname, '..', '..', 'out', 'renderer');
  beforeAll(() => {
    if (!existsSync(path.join(builtRoot, 'index.html'))) throw new Error(`${builtRoot} is not built: run npm run build first`);
  });

  it('index.html and everything it references load from app:// with a real content type', async () => {
    const index = await serveAppRequest(builtRoot, APP_ENTRY_URL);
    expect(index.status).toBe(200);
    const html = await index.text();
    const refs = [...html.matchAll(/\s(?:src|href)="([^"]+)"/g)].map((m) => m[1]);
    expect(refs.length).toBeGreaterThan(0);
    for (const ref of refs) {
      const url = new URL(ref, APP_ENTRY_URL).toString();
      expect(url.startsWith('app://fnstudio/'), ref).toBe(true);
      const res = await serveAppRequest(builtRoot, url);
      expect(res.status, url).toBe(200);
      expect(res.headers.get('content-type'), url).not.toBe('application/octet-stream');
    }
  });

  it('every built asset (workers, fonts, styles) has a known content type', () => {
    const assets = readdirSync(path.join(builtRoot, 'assets'));
    expect(assets.some((f) => /editor\.worker.*\.js$/.test(f))).toBe(true);
    const unknown = assets.filter((f) => contentTypeFor(f) === 'application/octet-stream');
    expect(unknown).toEqual([]);
  });
});
