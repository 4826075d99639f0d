import { createHash, createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRuntime } from './index';
import type { Runtime } from './api';
import { request, TRACK } from './test-support';
import { describeBody } from './sandbox/network';
import { toPlainData } from './sandbox/plain-data';

// describeBody and toPlainData are pure host helpers: tested here directly; the header
// checks and digests through a real worker.

describe('describeBody (request/response bodies in the trace)', () => {
  it('gives UTF-8 text, drops a leading BOM as TextDecoder does, and notes binary data', () => {
    expect(describeBody(null)).toBeNull();
    expect(describeBody(Buffer.from('héllo ✓\t\r\n'))).toBe('héllo ✓\t\r\n');
    expect(describeBody(Buffer.from([0xef, 0xbb, 0xbf, 0x61]))).toBe('a');
    expect(describeBody(Buffer.from([0x61, 0x00, 0x62]))).toBe('[binary 3 bytes]');
    expect(describeBody(Buffer.from([0x61, 0x1f]))).toBe('[binary 2 bytes]');
    expect(describeBody(Buffer.from([0xff, 0xfe]))).toBe('[binary 2 bytes]');
    expect(describeBody(Buffer.from([0xe2, 0x9c]))).toBe('[binary 2 bytes]'); // cut character, not truncated by us
  });

  it('cuts bodies over 64 KB, also in the middle of a character', () => {
    const big = Buffer.from('a'.repeat(64 * 1024 - 1) + '✓✓');
    const text = describeBody(big)!;
    expect(text.startsWith('a'.repeat(100))).toBe(true);
    expect(text).toMatch(/… \[truncated: 65541 bytes in all\]$/);
    const binaryTail = Buffer.concat([Buffer.alloc(64 * 1024 + 10, 0x61), Buffer.from([0x00])]);
    expect(describeBody(binaryTail)).toMatch(/truncated/); // the control byte lies past the captured part
    expect(describeBody(Buffer.concat([Buffer.from([0x01]), Buffer.alloc(70 * 1024, 0x61)]))).toBe(`[binary ${70 * 1024 + 1} bytes]`);
  });
});

describe('toPlainData (handler results)', () => {
  it('keeps JSON semantics on the fast path', () => {
    expect(toPlainData(undefined)).toBeNull();
    expect(toPlainData(Number.NaN)).toBeNull();
    expect(toPlainData('x')).toBe('x');
    expect(toPlainData({ a: 1, f: () => 1, u: undefined, d: new Date(0), n: [1, undefined] })).toEqual({ a: 1, d: '1970-01-01T00:00:00.000Z', n: [1, null] });
    const shared = { k: 1 };
    expect(toPlainData({ x: shared, y: shared })).toEqual({ x: { k: 1 }, y: { k: 1 } });
    expect(toPlainData({ toJSON: () => 'custom' })).toBe('custom');
  });

  it('shows cycles and BigInts instead of failing, and never throws', () => {
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic.self = cyclic;
    expect(toPlainData(cyclic)).toEqual({ a: 1, self: '[Circular]' });
    expect(toPlainData({ big: 10n })).toEqual({ big: '10' });
    expect(toPlainData({ get bad() { throw new Error('nope'); } })).toMatch(/could not be converted to JSON: nope/);
  });
});

describe('facades in a real worker (fetch headers, crypto digests)', () => {
  let runtime: Runtime;
  beforeAll(() => {
    runtime = createRuntime({ workers: 1 });
  });
  afterAll(async () => {
    await runtime.close();
  });

  it('accepts token names and Latin-1 values; rejects others like node-fetch', async () => {
    const code = `async function onTrack() {
  const h = new Headers();
  const tryIt = (name, value) => { try { h.append(name, value); return 'ok'; } catch (e) { return e.message; } };
  return [
    tryIt("X-Ok!#$%&'*+-.^_\`|~09", 'v\\u00e9 \\t1'),
    tryIt('bad name', 'v'),
    tryIt('', 'v'),
    tryIt('x-v', 'caf\\u0101'),
    tryIt('x-w', 'a\\nb'),
    h.get('x-ok!#$%&\\'*+-.^_\`|~09'),
  ];
}`;
    const outcome = await runtime.invoke(request(code, TRACK));
    expect(outcome.result).toEqual([
      'ok',
      'bad name is not a legal HTTP header name',
      ' is not a legal HTTP header name',
      'cafā is not a legal HTTP header value',
      'a\nb is not a legal HTTP header value',
      'vé \t1',
    ]);
  });

  it('digests hashes and HMACs exactly as Node does, in every output form', async () => {
    const code = `async function onTrack() {
  const out = [];
  for (const enc of ['hex', 'base64', 'latin1', undefined]) {
    const h = crypto.createHmac('sha256', 'k').update('body').digest(enc);
    out.push(typeof h === 'string' ? h : 'buffer:' + h.toString('hex'));
    const d = crypto.createHash('md5').update('body').digest(enc);
    out.push(typeof d === 'string' ? d : 'buffer:' + d.toString('hex'));
  }
  return out;
}`;
    const outcome = await runtime.invoke(request(code, TRACK));
    const expected: string[] = [];
    for (const enc of ['hex', 'base64', 'latin1', undefined] as const) {
      const h = createHmac('sha256', 'k').update('body').digest();
      const d = createHash('md5').update('body').digest();
      expected.push(enc ? h.toString(enc) : `buffer:${h.toString('hex')}`, enc ? d.toString(enc) : `buffer:${d.toString('hex')}`);
    }
    expect(outcome.result).toEqual(expected);
  });

  it('sends content-length 0 for an empty POST or PUT in any letter case', async () => {
    const code = `async function onTrack(event, settings) {
  for (const method of ['post', 'Put', 'PATCH']) await fetch('https://x.test/' + method, { method });
}`;
    const outcome = await runtime.invoke(request(code, TRACK, { network: { mockRules: [{ url: 'https://x.test/*', status: 204 }], offline: true } }));
    expect(outcome.outcome).toBe('Success');
    expect(outcome.requests.map((r) => [r.method, r.headers['content-length']])).toEqual([
      ['POST', '0'],
      ['PUT', '0'],
      ['PATCH', undefined],
    ]);
  });
});
