import { describe, expect, it } from 'vitest';
import { externalLinkPrompt, externalUrlToOpen, isAllowedNavigation, isAllowedRequestUrl, isAppUrl, isTrustedSender, OPEN_LINK_BUTTON } from './security-policy';

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

  it('drops every spelling of this machine and of private, shared and link-local networks', () => {
    for (const url of [
      'http://[::ffff:127.0.0.1]/',
      'http://[::ffff:7f00:1]:8080/',
      'http://[0:0:0:0:0:ffff:127.0.0.1]/',
      'http://[::ffff:192.168.1.10]/',
      'http://[::ffff:a9fe:a9fe]/latest/meta-data/',
      'http://[::127.0.0.1]/',
      'http://[64:ff9b::10.0.0.1]/',
      'http://[2002:c0a8:101::1]/',
      'http://[fe80::1]/',
      'http://[fe80::1%25eth0]/',
      'http://[fd12:3456:789a::1]/',
      'http://[fc00::1]/',
      'http://[::]/',
      'http://[ff02::1]/',
      'http://2130706433/',
      'http://0x7f.1/',
      'http://017700000001/',
      'http://127.1/',
      'http://10.1.2.3/',
      'http://172.16.0.1/',
      'http://172.31.255.255/',
      'http://192.168.0.1/',
      'http://169.254.169.254/latest/meta-data/',
      'http://100.64.0.1/',
      'http://0.1.2.3/',
      'http://224.0.0.251/',
      'http://255.255.255.255/',
      'http://printer.local/',
      'http://router.lan/',
      'http://metadata.google.internal/',
      'http://nas.home.arpa/',
      'http://intranet/',
      'http://LOCALHOST./',
    ]) {
      expect(externalUrlToOpen(url), url).toBeNull();
    }
  });

  it('passes public addresses next to the local ranges', () => {
    for (const url of [
      'https://172.32.0.1/',
      'https://172.15.255.255/',
      'https://100.128.0.1/',
      'https://169.255.0.1/',
      'https://11.0.0.1/',
      'https://8.8.8.8/',
      'https://[2606:4700:4700::1111]/',
      'https://[2001:db8::1]/',
      'https://[::ffff:8.8.8.8]/',
      'https://docs.local-first.dev/',
      'https://segment.com/',
    ]) {
      expect(externalUrlToOpen(url), url).not.toBeNull();
    }
  });

  it('asks before any link opens, naming its host apart from the URL, with Cancel the default', () => {
    const prompt = externalLinkPrompt('https://segment.com.evil.example/login?next=segment.com');
    expect(prompt.message).toBe('Open segment.com.evil.example in your web browser?');
    expect(prompt.detail).toBe('https://segment.com.evil.example/login?next=segment.com');
    expect(prompt.buttons[OPEN_LINK_BUTTON]).toBe('Open in browser');
    expect(prompt.defaultId).not.toBe(OPEN_LINK_BUTTON);
    expect(prompt.cancelId).not.toBe(OPEN_LINK_BUTTON);
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
