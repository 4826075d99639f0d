import { describe, expect, it } from 'vitest';
import { externalUrlToOpen, isAllowedNavigation, isAllowedRequestUrl, isAppUrl, isTrustedSender } from './security-policy';

describe('isTrustedSender', () => {
  it('trusts only the top frame of our app:// page', () => {
    expect(isTrustedSender('app://fnstudio/index.html', true)).toBe(true);
    expect(isTrustedSender('app://fnstudio/', true)).toBe(true);
    expect(isTrustedSender('app://fnstudio/index.html?x=1#y', true)).toBe(true);
  });

  it('refuses subframes even of our own origin', () => {
    expect(isTrustedSender('app://fnstudio/index.html', false)).toBe(false);
  });

  it('refuses every other origin, scheme and malformed URL', () => {
    for (const url of [
      'app://evil/index.html',
      'app://fnstudio.evil.com/index.html',
      'app://user@fnstudio/index.html',
      'app://fnstudio:8080/index.html',
      'https://fnstudio/index.html',
      'http://127.0.0.1:5173/',
      'file:///work/main/out/renderer/index.html',
      'devtools://devtools/bundled/inspector.html',
      'about:blank',
      'data:text/html,<script>1</script>',
      '',
      'app:fnstudio',
      'not a url',
    ]) {
      expect(isTrustedSender(url, true), url).toBe(false);
    }
  });
});

describe('isAllowedNavigation', () => {
  it('allows only reloading the same app page', () => {
    expect(isAllowedNavigation('app://fnstudio/index.html', 'app://fnstudio/index.html')).toBe(true);
    expect(isAllowedNavigation('app://fnstudio/other.html', 'app://fnstudio/index.html')).toBe(false);
    expect(isAllowedNavigation('https://example.com/', 'app://fnstudio/index.html')).toBe(false);
    expect(isAllowedNavigation('app://evil/index.html', 'app://fnstudio/index.html')).toBe(false);
    expect(isAllowedNavigation('file:///etc/passwd', 'app://fnstudio/index.html')).toBe(false);
    expect(isAllowedNavigation('javascript:alert(1)', 'app://fnstudio/index.html')).toBe(false);
  });
});

describe('externalUrlToOpen', () => {
  it('passes ordinary http(s) links, normalised', () => {
    expect(externalUrlToOpen('https://segment.com/docs/connections/functions/')).toBe(
      'https://segment.com/docs/connections/functions/',
    );
    expect(externalUrlToOpen('HTTP://Example.COM')).toBe('http://example.com/');
  });

  it('drops other schemes, credentials, local targets and junk', () => {
    for (const url of [
      'file:///etc/passwd',
      'javascript:alert(1)',
      'smb://host/share',
      'ms-settings:privacy',
      'app://fnstudio/index.html',
      'https://user:pw@example.com/',
      'http://localhost:3000/',
      'http://127.0.0.1:9999/admin',
      'http://[::1]/',
      'http://0.0.0.0/',
      'http://foo.localhost/',
      'https://',
      'not a url',
      `https://example.com/${'a'.repeat(3000)}`,
    ]) {
      expect(externalUrlToOpen(url), url).toBeNull();
    }
  });

  it('isAppUrl recognises only our origin', () => {
    expect(isAppUrl('app://fnstudio/assets/x.js')).toBe(true);
    expect(isAppUrl('app://other/')).toBe(false);
  });
});

describe('isAllowedRequestUrl', () => {
  it('lets the page load only its own files and in-memory resources', () => {
    for (const url of ['app://fnstudio/assets/editor.worker-x.js', 'data:image/png;base64,AA==', 'blob:app://fnstudio/5f1c', 'devtools://devtools/bundled/inspector.html']) {
      expect(isAllowedRequestUrl(url), url).toBe(true);
    }
  });

  it('cancels remote and local-file content', () => {
    for (const url of [
      'https://cdn.jsdelivr.net/npm/monaco-editor/min/vs/loader.js',
      'http://127.0.0.1:8080/',
      'ws://127.0.0.1:9000/rpc',
      'wss://example.com/',
      'file:///etc/passwd',
      'app://evil/x.js',
      'ftp://example.com/',
      'garbage',
    ]) {
      expect(isAllowedRequestUrl(url), url).toBe(false);
    }
  });
});
