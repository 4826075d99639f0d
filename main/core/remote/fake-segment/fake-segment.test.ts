/** The fake's own contract points that the SDK test does not reach, over raw HTTP. */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeSegment, type FakeSegment } from './server';

let fake: FakeSegment;
const auth = { authorization: 'Bearer owner-token' };

beforeAll(async () => {
  fake = await startFakeSegment({ token: 'owner-token', readOnlyToken: 'reader-token', workspaceName: 'WS' });
});
afterAll(() => fake.close());

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- answers are arbitrary JSON; each test asserts the fields it reads
async function call(method: string, p: string, body?: unknown, headers: Record<string, string> = auth): Promise<{ status: number; headers: Headers; json: any }> {
  const res = await fetch(fake.url + p, {
    method,
    headers: { ...headers, ...(body === undefined ? {} : { 'content-type': 'application/vnd.segment.v1+json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, headers: res.headers, json: await res.json() };
}

describe('fake-segment', () => {
  it('pages with dot-style pagination, emits rate-limit headers, and requires resourceType', async () => {
    for (const name of ['a', 'b', 'c']) fake.seed({ displayName: name, code: '' });
    fake.seed({ displayName: 'src', code: '', resourceType: 'SOURCE' });
    const page = await call('GET', '/functions?resourceType=DESTINATION&pagination.count=2');
    expect(page.status).toBe(200);
    expect(page.json.data.functions.map((f: { displayName: string }) => f.displayName)).toEqual(['a (WS)', 'b (WS)']);
    expect(page.json.data.functions[0].code).toBeUndefined();
    expect(page.headers.get('x-ratelimit-remaining')).toMatch(/^\d+$/);
    const rest = await call('GET', `/functions?resourceType=DESTINATION&pagination.count=2&pagination.cursor=${encodeURIComponent(page.json.data.pagination.next)}`);
    expect(rest.json.data.functions.map((f: { displayName: string }) => f.displayName)).toEqual(['c (WS)']);
    const sources = await call('GET', '/functions?resourceType=SOURCE');
    expect(sources.json.data.functions[0]).toMatchObject({ displayName: 'src' });
    expect(sources.json.data.functions[0].id).toMatch(/^sfnc_[A-Za-z0-9]{22}$/);
    const missing = await call('GET', '/functions');
    expect(missing.status).toBe(422);
    expect(missing.json.errors[0]).toMatchObject({ type: 'input-validation', field: 'resourceType' });
  });

  it('answers 422 naming the field, 500 for code that does not compile, and 401 for a read-only role writing', async () => {
    const bad = await call('POST', '/functions', { code: '', displayName: 'x', resourceType: 'DESTINATION', settings: [{ name: 'k', label: 'k', description: '', type: 'NUMBER', required: false, sensitive: false }] });
    expect(bad.status).toBe(422);
    expect(bad.json.errors[0]).toMatchObject({ type: 'input-validation', field: 'settings[0].type' });
    const syntax = await call('POST', '/functions', { code: 'async function (', displayName: 'x', resourceType: 'DESTINATION' });
    expect(syntax.status).toBe(500);
    expect(syntax.json.errors[0].message).toMatch(/^function invocation failed: /);
    const reader = await call('POST', '/functions', { code: '', displayName: 'x', resourceType: 'DESTINATION' }, { authorization: 'Bearer reader-token' });
    expect(reader.status).toBe(401);
    expect(reader.json.errors[0].message).toContain('Functions Admin');
    const read = await call('GET', '/functions?resourceType=DESTINATION', undefined, { authorization: 'Bearer reader-token' });
    expect(read.status).toBe(200);
    expect(fake.requests.every((r) => !JSON.stringify(r).includes('owner-token'))).toBe(true);
  });

  it('injects a 429 with Retry-After, X-RateLimit-Reset and data.msBeforeNext, once', async () => {
    fake.injectFault({ status: 429, msBeforeNext: 2500 });
    const limited = await call('GET', '/functions?resourceType=DESTINATION');
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('3');
    expect(Date.parse(limited.headers.get('x-ratelimit-reset')!)).toBeGreaterThan(Date.now() - 1000);
    expect(limited.json.errors[0]).toMatchObject({ type: 'RequestError', data: { msBeforeNext: 2500, remainingPoints: 0 } });
    expect((await call('GET', '/functions?resourceType=DESTINATION')).status).toBe(200);
  });

  it('deploys only source function instances unless told otherwise, and answers 404 for versions when they are off', async () => {
    const fn = fake.seed({ displayName: 'd', code: 'async function onTrack() {}' });
    const refused = await call('POST', `/functions/${fn.id}/deploy`);
    expect(refused.status).toBe(400);
    expect(refused.json.errors[0].message).toMatch(/source function instance/);
    const instance = await call('POST', '/functions/sfn_rh5BDZp6QDHvXFCkibm1pR/deploy');
    expect(instance.json).toEqual({ data: { functionDeployment: { status: 'SUCCESS' } } });
    fake.switches.versions = false;
    expect((await call('GET', `/functions/${fn.id}/versions`)).status).toBe(404);
    fake.switches.versions = true;
  });

  it('starts by hand: the first line of output is its URL', async () => {
    const cli = path.join(__dirname, '..', '..', '..', '..', 'out', 'main', 'core', 'remote', 'fake-segment', 'cli.js');
    if (!existsSync(cli)) throw new Error('out/ is missing: run `npm run build:node` before this test (npm test does)');
    const child = spawn(process.execPath, [cli, '--token', 't', '--workspace-name', 'Hand'], { stdio: ['ignore', 'pipe', 'pipe'] });
    const line = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        if (out.includes('\n')) resolve(out.split('\n')[0]);
      });
      child.once('exit', (code) => reject(new Error(`exited ${code}`)));
    });
    expect(line).toMatch(/^fake-segment: http:\/\/127\.0\.0\.1:\d+$/);
    const res = await fetch(`${line.slice('fake-segment: '.length)}/functions?resourceType=DESTINATION`, { headers: { authorization: 'Bearer t' } });
    expect(res.status).toBe(200);
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });
});
