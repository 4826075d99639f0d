import { describe, expect, it } from 'vitest';
import { addressKind, judgeAddress, judgeLiteralHost } from './address-policy';

/** A URL's hostname exactly as the runtime sees it (WHATWG parsing normalises IPv4 spellings). */
const hostOf = (url: string) => new URL(url).hostname;

describe('addressKind', () => {
  it('classifies IPv4 ranges', () => {
    const cases: Array<[string, string]> = [
      ['169.254.169.254', 'link-local'],
      ['169.254.0.1', 'link-local'],
      ['127.0.0.1', 'loopback'],
      ['127.255.1.2', 'loopback'],
      ['0.0.0.0', 'loopback'],
      ['10.1.2.3', 'private'],
      ['172.16.0.1', 'private'],
      ['172.31.255.255', 'private'],
      ['172.32.0.1', 'public'],
      ['172.15.0.1', 'public'],
      ['192.168.1.1', 'private'],
      ['100.64.0.1', 'private'],
      ['100.127.255.255', 'private'],
      ['100.128.0.1', 'public'],
      ['8.8.8.8', 'public'],
      ['169.253.1.1', 'public'],
    ];
    for (const [address, kind] of cases) expect(addressKind(address), address).toBe(kind);
  });

  it('classifies IPv6 ranges, including IPv4 carried inside IPv6', () => {
    const cases: Array<[string, string]> = [
      ['::1', 'loopback'],
      ['::', 'loopback'],
      ['fe80::1', 'link-local'],
      ['febf::1', 'link-local'],
      ['fe80::1%eth0', 'link-local'],
      ['fd00:ec2::254', 'link-local'],
      ['fd00:ec2:0:0:0:0:0:254', 'link-local'],
      ['fd00:ec2::253', 'private'],
      ['fc00::1', 'private'],
      ['fdff::1', 'private'],
      ['::ffff:169.254.169.254', 'link-local'],
      ['::ffff:a9fe:a9fe', 'link-local'],
      ['0:0:0:0:0:ffff:a9fe:a9fe', 'link-local'],
      ['::ffff:127.0.0.1', 'loopback'],
      ['::ffff:10.0.0.1', 'private'],
      ['::ffff:8.8.8.8', 'public'],
      ['::169.254.169.254', 'link-local'],
      ['64:ff9b::a9fe:a9fe', 'link-local'],
      ['2002:a9fe:a9fe::1', 'link-local'],
      ['2606:4700::1111', 'public'],
      ['fec0::1', 'private'],
    ];
    for (const [address, kind] of cases) expect(addressKind(address), address).toBe(kind);
  });

  it('is null for names', () => {
    expect(addressKind('example.com')).toBeNull();
    expect(addressKind('localhost')).toBeNull();
  });
});

describe('judgeLiteralHost', () => {
  it('blocks every spelling of the metadata address a URL accepts', () => {
    const urls = [
      'http://169.254.169.254/latest/meta-data/',
      'http://2852039166/', // decimal
      'http://0xA9FEA9FE/', // hex
      'http://0251.0376.0251.0376/', // octal
      'http://0xa9.0xfe.0xa9.0xfe/',
      'http://169.254.43518/', // short form
      'http://169.254.169.254./', // trailing dot
      'http://[::ffff:169.254.169.254]/',
      'http://[::ffff:a9fe:a9fe]/',
      'http://[fe80::a9fe:a9fe]/',
      'http://[fd00:ec2::254]/latest/meta-data/',
    ];
    for (const url of urls) {
      const verdict = judgeLiteralHost(hostOf(url), false);
      expect(verdict?.blocked, url).toMatch(/link-local address, where cloud metadata endpoints live/);
      // strict mode blocks it as well, for the same reason
      expect(judgeLiteralHost(hostOf(url), true)?.blocked, url).toMatch(/link-local/);
    }
  });

  it('allows loopback and private literals with a warning, and blocks them in strict mode', () => {
    const urls = ['http://127.0.0.1:8080/', 'http://[::1]/', 'http://10.0.0.5/', 'http://192.168.0.1/', 'http://[fd12::1]/', 'http://localhost:3000/', 'http://api.localhost/', 'http://0x7f000001/'];
    for (const url of urls) {
      const relaxed = judgeLiteralHost(hostOf(url), false);
      expect(relaxed?.blocked, url).toBeNull();
      expect(relaxed?.warning, url).toMatch(/Segment's servers could not reach this (loopback|private) address/);
      const strict = judgeLiteralHost(hostOf(url), true);
      expect(strict?.blocked, url).toMatch(/strict network mode blocks loopback and private addresses/);
    }
  });

  it('lets public literals through silently and leaves names to resolution', () => {
    expect(judgeLiteralHost(hostOf('http://93.184.216.34/'), true)).toEqual({ kind: 'public', blocked: null, warning: null });
    expect(judgeLiteralHost(hostOf('https://api.example.com/'), true)).toBeNull();
  });
});

describe('judgeAddress', () => {
  it('names the host and the address it resolved to', () => {
    expect(judgeAddress('169.254.169.254', 'metadata.google.internal', false).blocked).toMatch(/^metadata\.google\.internal \(169\.254\.169\.254\) is a link-local address/);
    expect(judgeAddress('10.0.0.1', 'db.internal', false).warning).toMatch(/^db\.internal \(10\.0\.0\.1\) is a private address/);
  });
});
