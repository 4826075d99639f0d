import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRuntime } from './index';
import type { Runtime } from './api';
import { request, startTestServer, TRACK, type TestServer } from './test-support';

let runtime: Runtime;
let server: TestServer;
beforeAll(async () => {
  runtime = createRuntime({ workers: 2 });
  server = await startTestServer((req, res) => {
    if (req.url.startsWith('/status/')) {
      res.statusCode = Number(req.url.slice('/status/'.length));
      res.end('status body');
      return;
    }
    if (req.url === '/binary') {
      res.setHeader('content-type', 'application/octet-stream');
      res.end(Buffer.from([0, 1, 2, 3, 255]));
      return;
    }
    res.setHeader('content-type', 'application/json');
    res.setHeader('x-echo', 'yes');
    res.end(JSON.stringify({ method: req.method, url: req.url, body: req.body, ua: req.headers['user-agent'] }));
  });
});
afterAll(async () => {
  await runtime.close();
  await server.close();
});

describe('fetch (live, real local server)', () => {
  it('sends node-fetch v2 default headers and captures request and response', async () => {
    const code = `async function onTrack(event, settings) {
      const res = await fetch(settings.url + '/hook?x=1', { method: 'POST', body: 'plain text', headers: { 'X-Key': 'k1' } });
      const json = await res.json();
      return { status: res.status, ok: res.ok, echo: res.headers.get('x-echo'), json };
    }`;
    const outcome = await runtime.invoke({ ...request(code, TRACK), settings: { url: server.url } });
    expect(outcome.outcome).toBe('Success');
    expect(outcome.result).toEqual({
      status: 200,
      ok: true,
      echo: 'yes',
      json: { method: 'POST', url: '/hook?x=1', body: 'plain text', ua: 'node-fetch/1.0 (+https://github.com/bitinn/node-fetch)' },
    });
    const seen = server.requests[server.requests.length - 1];
    expect(seen.headers).toMatchObject({
      accept: '*/*',
      'accept-encoding': 'gzip,deflate',
      connection: 'close',
      'content-type': 'text/plain;charset=UTF-8',
      'x-key': 'k1',
    });
    expect(outcome.requests).toHaveLength(1);
    const [trace] = outcome.requests;
    expect(trace).toMatchObject({ method: 'POST', url: `${server.url}/hook?x=1`, body: 'plain text', mocked: false });
    expect(trace.headers).toMatchObject({ 'x-key': 'k1', accept: '*/*', 'content-type': 'text/plain;charset=UTF-8' });
    expect(trace.response?.status).toBe(200);
    expect(trace.response?.headers['x-echo']).toBe('yes');
    expect(JSON.parse(trace.response?.body ?? '')).toMatchObject({ method: 'POST' });
    expect(trace.durationMs).toBeGreaterThanOrEqual(0);
  });

  it('resolves on HTTP errors and rejects only on network failure', async () => {
    const code = `async function onTrack(event, settings) {
      const res = await fetch(settings.url + '/status/503');
      let failure;
      try { await fetch('http://127.0.0.1:1/'); } catch (e) { failure = [e.name, e.type, /ECONNREFUSED/.test(e.message)]; }
      return [res.status, res.ok, await res.text(), failure];
    }`;
    const outcome = await runtime.invoke({ ...request(code, TRACK), settings: { url: server.url } });
    expect(outcome.result).toEqual([503, false, 'status body', ['FetchError', 'system', true]]);
    expect(outcome.requests[1].response).toBeNull();
    expect(outcome.requests[1].error).toMatch(/ECONNREFUSED/);
  });

  it('notes binary bodies and posts JSON, URLSearchParams and FormData bodies', async () => {
    const code = `async function onTrack(event, settings) {
      const bin = await (await fetch(settings.url + '/binary')).buffer();
      const a = await (await fetch(settings.url + '/json', { method: 'POST', body: JSON.stringify({ a: 1 }), headers: { 'Content-Type': 'application/json' } })).json();
      const b = await (await fetch(settings.url + '/form', { method: 'POST', body: new URLSearchParams({ q: 'x y' }) })).json();
      const form = new FormData(); form.append('field', 'value');
      const c = await (await fetch(settings.url + '/multipart', { method: 'POST', body: form })).json();
      return [Array.from(bin), a.body, b.body, /name="field"\\r\\n\\r\\nvalue/.test(c.body)];
    }`;
    const outcome = await runtime.invoke({ ...request(code, TRACK), settings: { url: server.url } });
    expect(outcome.error).toBeNull();
    expect(outcome.result).toEqual([[0, 1, 2, 3, 255], '{"a":1}', 'q=x+y', true]);
    expect(outcome.requests[0].response?.body).toBe('[binary 5 bytes]');
    expect(outcome.requests[2].headers['content-type']).toBe('application/x-www-form-urlencoded;charset=UTF-8');
    expect(outcome.requests[3].headers['content-type']).toMatch(/^multipart\/form-data;boundary=/);
  });

  it('sends a text body as UTF-8 with its byte count, and reads it back as those bytes would', async () => {
    const code = `async function onTrack(event, settings) {
      const text = 'Zoë paid 5 € \\ud800 😀';
      const req = new Request(settings.url + '/text', { method: 'POST', body: text });
      const [asText, asBytes] = [await req.text(), Array.from(await req.buffer()).length];
      const res = await fetch(settings.url + '/text', { method: 'POST', body: text });
      return { asText, asBytes, echoed: (await res.json()).body };
    }`;
    const outcome = await runtime.invoke({ ...request(code, TRACK), settings: { url: server.url } });
    expect(outcome.error).toBeNull();
    // The lone surrogate becomes U+FFFD, as Buffer.from (node-fetch) encodes it.
    const sent = 'Zoë paid 5 € \ufffd 😀';
    const bytes = Buffer.byteLength(sent, 'utf8');
    expect(outcome.result).toEqual({ asText: sent, asBytes: bytes, echoed: sent });
    const seen = server.requests[server.requests.length - 1];
    expect(seen.headers['content-length']).toBe(String(bytes));
    expect(outcome.requests[0].headers['content-length']).toBe(String(bytes));
    expect(outcome.requests[0].body).toBe(sent);
  });

  it('rejects relative URLs like node-fetch', async () => {
    const outcome = await runtime.invoke(request('async function onTrack() { await fetch("/relative") }', TRACK));
    expect(outcome.error).toMatchObject({ name: 'TypeError', message: 'Only absolute URLs are supported' });
  });
});

describe('mock rules and offline', () => {
  it('answers from the first matching rule, captured like live requests', async () => {
    const code = `async function onTrack() {
      const a = await fetch('https://api.example.com/v1/users', { method: 'POST', body: '{}' });
      const b = await fetch('https://api.example.com/v1/users');
      const c = await fetch('https://hooks.example.com/42');
      return [a.status, await a.json(), a.headers.get('content-type'), b.status, await b.text(), c.status, c.headers.get('x-mock')];
    }`;
    const outcome = await runtime.invoke(
      request(code, TRACK, {
        network: {
          offline: true,
          mockRules: [
            { method: 'POST', url: 'https://api.example.com/*', status: 201, body: { id: 7 } },
            { url: 'https://api.example.com/*', body: 'plain' },
            { url: '/hooks\\.example\\.com\\/\\d+$/', status: 204, headers: { 'X-Mock': '1' }, delayMs: 20 },
          ],
        },
      }),
    );
    expect(outcome.error).toBeNull();
    expect(outcome.result).toEqual([201, { id: 7 }, 'application/json', 200, 'plain', 204, '1']);
    expect(outcome.requests.map((r) => [r.method, r.mocked, r.response?.status])).toEqual([
      ['POST', true, 201],
      ['GET', true, 200],
      ['GET', true, 204],
    ]);
    expect(outcome.requests[2].durationMs).toBeGreaterThanOrEqual(15);
  });

  it('blocks unmatched requests when offline with a clear network error', async () => {
    const code = `async function onTrack() { await fetch('https://api.example.com/x') }`;
    const outcome = await runtime.invoke(request(code, TRACK, { network: { offline: true, mockRules: [] } }));
    expect(outcome.outcome).toBe('Bad Request');
    expect(outcome.error?.name).toBe('FetchError');
    expect(outcome.error?.message).toMatch(/blocked \(offline\)/);
    expect(outcome.requests[0]).toMatchObject({ url: 'https://api.example.com/x', response: null, mocked: false });
    expect(outcome.requests[0].error).toMatch(/blocked \(offline\)/);
  });

  it('lets live requests through when a rule does not match and not offline', async () => {
    const code = `async function onTrack(e, s) { return (await fetch(s.url + '/live')).status }`;
    const outcome = await runtime.invoke({
      ...request(code, TRACK, { network: { offline: false, mockRules: [{ url: 'https://other.example.com/*' }] } }),
      settings: { url: server.url },
    });
    expect(outcome.result).toBe(200);
    expect(outcome.requests[0].mocked).toBe(false);
  });
});

describe('network policy', () => {
  const METADATA_MOCK = { url: 'http://169.254.169.254/*', body: { AccessKeyId: 'mocked' } };

  it('refuses link-local addresses before mock rules: a rule for the metadata endpoint never answers', async () => {
    const code = `async function onTrack() {
      const out = [];
      for (const url of ['http://169.254.169.254/latest/meta-data/', 'http://2852039166/latest', 'http://[::ffff:a9fe:a9fe]/latest', 'http://[fd00:ec2::254]/latest']) {
        try { await fetch(url); out.push('answered ' + url); } catch (e) { out.push([e.name, e.type, e.code, e.message]); }
      }
      return out;
    }`;
    const outcome = await runtime.invoke(request(code, TRACK, { network: { offline: false, mockRules: [METADATA_MOCK, { url: 'http://*', body: 'any' }] } }));
    expect(outcome.error).toBeNull();
    const results = outcome.result as string[][];
    expect(results).toHaveLength(4);
    expect(results[0]).toEqual([
      'FetchError',
      'system',
      'EBLOCKED',
      'request to http://169.254.169.254/latest/meta-data/ failed, reason: blocked (network policy): 169.254.169.254 is a link-local address, where cloud metadata endpoints live; functions may never reach link-local addresses',
    ]);
    for (const result of results) expect(result[3]).toMatch(/blocked \(network policy\): .* is a link-local address/);
    expect(outcome.requests.map((r) => [r.url, r.mocked, r.response])).toEqual([
      ['http://169.254.169.254/latest/meta-data/', false, null],
      ['http://169.254.169.254/latest', false, null],
      ['http://[::ffff:a9fe:a9fe]/latest', false, null],
      ['http://[fd00:ec2::254]/latest', false, null],
    ]);
    for (const trace of outcome.requests) expect(trace.error).toMatch(/blocked \(network policy\)/);
  });

  it('refuses a redirect from a loopback server to the metadata endpoint, after one request to the loopback server only', async () => {
    const redirecting = await startTestServer((_req, res) => {
      res.statusCode = 302;
      res.setHeader('location', 'http://169.254.169.254/latest/meta-data/iam/security-credentials/');
      res.end();
    });
    try {
      const code = `async function onTrack(e, s) {
        try { await fetch(s.url + '/start'); return 'followed'; } catch (err) { return [err.name, err.code, err.message]; }
      }`;
      const outcome = await runtime.invoke({ ...request(code, TRACK), settings: { url: redirecting.url } });
      expect(outcome.result).toEqual([
        'FetchError',
        'EBLOCKED',
        'request to http://169.254.169.254/latest/meta-data/iam/security-credentials/ failed, reason: blocked (network policy): 169.254.169.254 is a link-local address, where cloud metadata endpoints live; functions may never reach link-local addresses',
      ]);
      expect(redirecting.requests.map((r) => r.url)).toEqual(['/start']);
      expect(outcome.requests).toHaveLength(1);
      expect(outcome.requests[0]).toMatchObject({ url: `${redirecting.url}/start`, response: null, mocked: false });
      expect(outcome.requests[0].warning).toMatch(/127\.0\.0\.1 is a loopback address: Segment's servers could not reach this loopback address/);
    } finally {
      await redirecting.close();
    }
  });

  it('allows loopback and private addresses with a warning in the trace; strict mode refuses them, mocked or not', async () => {
    const code = `async function onTrack(e, s) {
      const out = [];
      for (const url of [s.url + '/live', 'http://10.0.0.7/mocked']) {
        try { out.push((await fetch(url)).status); } catch (err) { out.push(err.code + ': ' + err.message); }
      }
      return out;
    }`;
    const mockRules = [{ url: 'http://10.0.0.7/*', status: 202 }];
    const relaxed = await runtime.invoke({ ...request(code, TRACK, { network: { offline: false, mockRules } }), settings: { url: server.url } });
    expect(relaxed.result).toEqual([200, 202]);
    expect(relaxed.requests.map((r) => [r.mocked, r.warning])).toEqual([
      [false, `127.0.0.1 is a loopback address: Segment's servers could not reach this loopback address, so this request would fail on Segment`],
      [true, `10.0.0.7 is a private address: Segment's servers could not reach this private address, so this request would fail on Segment`],
    ]);

    const before = server.requests.length;
    const strict = await runtime.invoke({ ...request(code, TRACK, { network: { offline: false, mockRules, strict: true } }), settings: { url: server.url } });
    expect(strict.result).toEqual([
      `EBLOCKED: request to ${server.url}/live failed, reason: blocked (network policy): 127.0.0.1 is a loopback address, which Segment's servers could not reach; strict network mode blocks loopback and private addresses`,
      `EBLOCKED: request to http://10.0.0.7/mocked failed, reason: blocked (network policy): 10.0.0.7 is a private address, which Segment's servers could not reach; strict network mode blocks loopback and private addresses`,
    ]);
    expect(strict.requests.map((r) => r.mocked)).toEqual([false, false]);
    expect(server.requests.length).toBe(before);
  });

  it('applies to AWS endpoints: an endpoint override to a link-local address is refused', async () => {
    const code = `async function onTrack() {
      const s3 = new AWS.S3({ endpoint: 'http://169.254.169.254', s3ForcePathStyle: true, region: 'us-east-1', maxRetries: 0,
        credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });
      try { await s3.listBuckets().promise(); return 'answered'; } catch (e) { return [e.code, e.message]; }
    }`;
    const outcome = await runtime.invoke(
      request(code, TRACK, { timeoutMs: 20_000, network: { offline: true, mockRules: [{ url: 'http://169.254.169.254/*', body: '<ListAllMyBucketsResult/>' }] } }),
    );
    expect(outcome.error).toBeNull();
    // the SDK files every socket error under NetworkingError, as it does for a refused connection
    expect(outcome.result).toEqual(['NetworkingError', expect.stringMatching(/blocked \(network policy\): 169\.254\.169\.254 is a link-local address/)]);
    expect(outcome.requests).toHaveLength(1);
    expect(outcome.requests[0]).toMatchObject({ url: 'http://169.254.169.254/', mocked: false, response: null });
  }, 40_000);

  it('applies to OAuth: a token URL on a link-local address is refused', async () => {
    const code = `async function onTrack() {
      const client = new OAuth.OAuth2('id', 'secret', 'http://[fe80::a9fe:a9fe]', null, '/oauth/token');
      return await new Promise((resolve) => client.getOAuthAccessToken('code', { grant_type: 'client_credentials' },
        (err, token) => resolve(err ? [err.name, err.code, err.message] : 'answered: ' + token)));
    }`;
    const outcome = await runtime.invoke(request(code, TRACK, { network: { offline: true, mockRules: [{ url: '*', body: { access_token: 'mocked' } }] } }));
    expect(outcome.error).toBeNull();
    expect(outcome.result).toEqual(['FetchError', 'EBLOCKED', expect.stringMatching(/blocked \(network policy\): fe80::a9fe:a9fe is a link-local address/)]);
    expect(outcome.requests[0]).toMatchObject({ url: 'http://[fe80::a9fe:a9fe]/oauth/token', mocked: false, response: null });
  });
});
