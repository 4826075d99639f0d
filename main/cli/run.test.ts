/**
 * `fnstudio run` end to end: the real built binary, the real runtime (worker threads)
 * and a real HTTP server on 127.0.0.1.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Scratch, assertBuilt, runCli, COLLECTOR_META } from './test-support';

interface Received {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

const HANDLER = `// A destination function as written in Segment's editor.
async function onTrack(event, settings) {
  console.log('sending', event.event);
  const res = await fetch(settings.endpoint + '/collect', {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: 'Bearer ' + settings.apiKey },
    body: JSON.stringify({ name: event.event, user: event.userId }),
  });
  const body = await res.json();
  return { status: res.status, body };
}

async function onIdentify(event) {
  throw new ValidationError('email is missing');
}

async function onPage(event) {
  const missing = event.properties.nothing.here;
}

async function onScreen(event) {
  for (;;) {}
}

async function onGroup(event) {
  const mocked = await fetch('https://api.example.test/v1/groups', { method: 'PUT', body: 'g' });
  const text = await mocked.text();
  try {
    await fetch('https://elsewhere.example.test/');
  } catch (err) {
    console.warn('blocked:', err.message);
  }
  return { mockedStatus: mocked.status, text };
}

async function onAlias(event) {
  const hoard = [];
  for (;;) hoard.push({ n: hoard.length, text: 'x'.repeat(64) + hoard.length });
}

async function onBatch(events, settings) {
  return events.map((e, i) => (e.userId ? { status: 200 } : { status: 400, errormessage: 'userId missing in event ' + i }));
}
`;

interface JsonOutcome {
  outcome: string;
  retryable: boolean;
  error: { name: string; message: string; stack: string } | null;
  logs: Array<{ level: string; message: string }>;
  requests: Array<{
    method: string;
    url: string;
    headers: Record<string, string>;
    body: string | null;
    response: { status: number; headers: Record<string, string>; body: string | null } | null;
    error?: string;
    warning?: string;
    mocked: boolean;
    durationMs: number;
  }>;
  result: unknown;
  durationMs: number;
  items?: Array<{ index: number; status: number; errormessage?: string; category: string }>;
}

describe('fnstudio run (real runtime, real HTTP server)', () => {
  const s = new Scratch();
  const received: Received[] = [];
  let server: http.Server;
  let endpoint: string;
  let handler: string;
  let settings: string;
  const track = { type: 'track', event: 'Course Clicked', userId: 'AiUGstSDIg', properties: { title: 'Intro' } };

  beforeAll(async () => {
    assertBuilt();
    server = http.createServer((req, res) => {
      let body = '';
      req.setEncoding('utf8');
      req.on('data', (d: string) => (body += d));
      req.on('end', () => {
        received.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
        res.writeHead(202, { 'content-type': 'application/json', 'x-served-by': 'test' });
        res.end(JSON.stringify({ accepted: true, echo: body.length }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    handler = s.write('handler.js', HANDLER);
    settings = s.write('settings.json', { endpoint, apiKey: 'sk_test_0123456789abcdef' });
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    s.remove();
  });

  async function runJson(args: string[], stdin?: string): Promise<{ code: number | null; out: JsonOutcome }> {
    const r = await runCli([...args, '--json'], { cwd: s.dir, stdin });
    expect(r.stderr).toBe('');
    // Exactly one JSON document on stdout.
    return { code: r.code, out: JSON.parse(r.stdout) as JsonOutcome };
  }

  it('runs a handler against an event and prints the request trace (human report)', async () => {
    const before = received.length;
    const event = s.write('track.json', track);
    const r = await runCli(['run', handler, '--event', event, '--settings', settings], { cwd: s.dir });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).not.toMatch(/\u001b\[/);
    expect(r.stdout.split('\n')[0]).toMatch(/^Success · \d/);
    expect(r.stdout).toContain('log   sending Course Clicked');
    expect(r.stdout).toContain(`POST ${endpoint}/collect → 202 Accepted`);
    expect(r.stdout).toMatch(/request headers\n\s+.*content-type: application\/json/);
    expect(r.stdout).toContain('"name": "Course Clicked"');
    expect(r.stdout).toContain('x-served-by: test');
    expect(r.stdout).toContain('"accepted": true');
    expect(r.stdout).toMatch(/Result\n\s+\{\n\s+"status": 202/);
    expect(received.length).toBe(before + 1);
    expect(received[before]).toMatchObject({ method: 'POST', url: '/collect' });
    expect(JSON.parse(received[before].body)).toEqual({ name: 'Course Clicked', user: 'AiUGstSDIg' });
  });

  it('prints exactly one JSON object with the documented shape (--json)', async () => {
    const { code, out } = await runJson(['run', handler, '--event', s.write('track.json', track), '--settings', settings]);
    expect(code).toBe(0);
    expect(Object.keys(out)).toEqual(expect.arrayContaining(['outcome', 'error', 'logs', 'requests', 'result', 'durationMs']));
    expect(out.outcome).toBe('Success');
    expect(out.error).toBeNull();
    expect(out.logs).toEqual([{ level: 'log', message: 'sending Course Clicked' }]);
    expect(out.requests).toHaveLength(1);
    const [req] = out.requests;
    expect(req).toMatchObject({ method: 'POST', url: `${endpoint}/collect`, mocked: false });
    expect(JSON.parse(req.body ?? '')).toEqual({ name: 'Course Clicked', user: 'AiUGstSDIg' });
    expect(req.response).toMatchObject({ status: 202, headers: expect.objectContaining({ 'x-served-by': 'test' }) });
    expect(JSON.parse(req.response?.body ?? '')).toEqual({ accepted: true, echo: expect.any(Number) });
    expect(typeof req.durationMs).toBe('number');
    expect(out.result).toEqual({ status: 202, body: { accepted: true, echo: expect.any(Number) } });
    expect(out.durationMs).toBeGreaterThan(0);
  });

  it('reads the event from stdin with --event -', async () => {
    const { code, out } = await runJson(['run', handler, '--event', '-', '--settings', settings], JSON.stringify(track));
    expect(code).toBe(0);
    expect(out.logs[0].message).toBe('sending Course Clicked');
  });

  it('masks encrypted settings from a function folder in everything it prints', async () => {
    s.write('fn/handler.js', HANDLER);
    s.write('fn/function.json', COLLECTOR_META);
    const before = received.length;
    const r = await runCli(['run', s.path('fn'), '--event', s.write('track.json', track), '--settings', settings], { cwd: s.dir });
    expect(r.code).toBe(0);
    expect(received[before].headers.authorization).toBe('Bearer sk_test_0123456789abcdef');
    expect(r.stdout).toContain('authorization: Bearer ••••');
    expect(r.stdout).not.toContain('sk_test_0123456789abcdef');
  });

  it('exits 1 with the category for a rejected event', async () => {
    const { code, out } = await runJson(['run', handler, '--event', s.write('identify.json', { type: 'identify', userId: 'u' })]);
    expect(code).toBe(1);
    expect(out.outcome).toBe('Message Rejected');
    expect(out.error).toMatchObject({ name: 'ValidationError', message: 'email is missing' });
  });

  it('shows the error with a stack pointing at the handler line (Bad Request, exit 1)', async () => {
    const page = s.write('page.json', { type: 'page', userId: 'u', properties: {} });
    const r = await runCli(['run', handler, '--event', page], { cwd: s.dir });
    expect(r.code).toBe(1);
    expect(r.stdout.split('\n')[0]).toMatch(/^Bad Request/);
    expect(r.stdout).toMatch(/Error\n\s+TypeError: Cannot read properties of undefined \(reading 'here'\)/);
    // `const missing = event.properties.nothing.here;` is line 18 of HANDLER.
    expect(r.stdout).toMatch(/handler\.js:18:\d+/);
  });

  it('reports an unsupported event type (exit 1)', async () => {
    const { code, out } = await runJson(['run', handler, '--event', s.write('delete.json', { type: 'delete', userId: 'u' })]);
    expect(code).toBe(1);
    expect(out.outcome).toBe('Unsupported Event Type');
    expect(out.error?.message).toBe('delete not supported');
  });

  it('stops a handler at the --memory limit (Bad Request naming the limit, exit 1)', async () => {
    const { code, out } = await runJson(['run', handler, '--event', s.write('alias.json', { type: 'alias', userId: 'u', previousId: 'p' }), '--memory', '32']);
    expect(code).toBe(1);
    expect(out.outcome).toBe('Bad Request');
    expect(out.error?.message).toContain('memory limit of 32 MB');
  });

  it('runs a batch through onBatch with per-item results', async () => {
    const batch = s.write('batch.json', [track, { type: 'track', event: 'x' }, { ...track, event: 'y' }]);
    const { code, out } = await runJson(['run', handler, '--event', batch]);
    // One item failed, so the run is not a clean success for CI.
    expect(code).toBe(1);
    expect(out.outcome).toBe('Success');
    expect(out.items).toHaveLength(3);
    expect(out.items?.[0]).toMatchObject({ index: 0, status: 200, category: 'Success' });
    expect(out.items?.[1]).toMatchObject({ index: 1, status: 400, errormessage: 'userId missing in event 1' });
    const human = await runCli(['run', handler, '--event', batch], { cwd: s.dir });
    expect(human.stdout).toMatch(/Batch items \(3\)\n\s+\[0\] 200 Success\n\s+\[1\] 400 \S.* · userId missing in event 1\n\s+\[2\] 200 Success/);
    const allGood = s.write('batch-ok.json', [track, track]);
    expect((await runCli(['run', handler, '--event', allGood], { cwd: s.dir })).code).toBe(0);
  });

  it('answers requests from mock rules and blocks the rest with --offline', async () => {
    const before = received.length;
    const rules = s.write('rules.json', [
      { method: 'GET', url: 'https://api.example.test/*', status: 500 },
      { method: 'PUT', url: '/^https:\\/\\/api\\.example\\.test\\/v1\\//', status: 201, headers: { 'x-mock': 'yes' }, body: 'created' },
    ]);
    const group = s.write('group.json', { type: 'group', userId: 'u', groupId: 'g' });
    const { code, out } = await runJson(['run', handler, '--event', group, '--mock', rules, '--offline']);
    expect(code).toBe(0);
    expect(out.result).toEqual({ mockedStatus: 201, text: 'created' });
    expect(out.requests).toHaveLength(2);
    expect(out.requests[0]).toMatchObject({ method: 'PUT', mocked: true, response: { status: 201, body: 'created' } });
    expect(out.requests[1].response).toBeNull();
    expect(out.requests[1].error).toContain('blocked (offline)');
    expect(out.logs[0]).toMatchObject({ level: 'warn' });
    expect(out.logs[0].message).toContain('blocked (offline)');
    expect(received.length).toBe(before);
    const human = await runCli(['run', handler, '--event', group, '--mock', rules, '--offline'], { cwd: s.dir });
    expect(human.stdout).toMatch(/PUT https:\/\/api\.example\.test\/v1\/groups → 201.*mocked/);
    expect(human.stdout).toMatch(/GET https:\/\/elsewhere\.example\.test\/ → network error: .*blocked \(offline\)/);
  });

  it('marks a request to a loopback address with a warning, and refuses it with --strict-network', async () => {
    const event = s.write('track.json', track);
    const before = received.length;
    const relaxed = await runJson(['run', handler, '--event', event, '--settings', settings]);
    expect(relaxed.code).toBe(0);
    expect(relaxed.out.requests[0].warning).toBe("127.0.0.1 is a loopback address: Segment's servers could not reach this loopback address, so this request would fail on Segment");
    expect(received.length).toBe(before + 1);
    const strict = await runJson(['run', handler, '--event', event, '--settings', settings, '--strict-network']);
    expect(strict.code).toBe(1);
    expect(strict.out.outcome).toBe('Bad Request');
    expect(strict.out.error?.name).toBe('FetchError');
    expect(strict.out.error?.message).toBe(
      `request to ${endpoint}/collect failed, reason: blocked (network policy): 127.0.0.1 is a loopback address, which Segment's servers could not reach; strict network mode blocks loopback and private addresses`,
    );
    expect(received.length).toBe(before + 1);
    const human = await runCli(['run', handler, '--event', event, '--settings', settings], { cwd: s.dir, env: { NO_COLOR: '1' } });
    expect(human.stdout).toMatch(/→ 202 Accepted.*\n {4}warning: 127\.0\.0\.1 is a loopback address: Segment's servers could not reach/);
    const help = await runCli(['run', '--help'], { cwd: s.dir });
    expect(help.stdout).toMatch(/--strict-network\s+also block requests to loopback and private\s+addresses/);
  });

  it("uses a function folder's mocks.json after --mock's rules, and its strictNetwork setting", async () => {
    s.write('fnm/handler.js', HANDLER);
    s.write('fnm/function.json', COLLECTOR_META);
    s.write('fnm/mocks.json', [{ method: 'PUT', url: 'https://api.example.test/*', status: 201, body: 'from mocks.json' }]);
    const group = s.write('group.json', { type: 'group', userId: 'u', groupId: 'g' });
    const before = received.length;
    const folder = await runJson(['run', s.path('fnm'), '--event', group, '--settings', settings, '--offline']);
    expect(folder.code).toBe(0);
    expect(folder.out.result).toEqual({ mockedStatus: 201, text: 'from mocks.json' });
    expect(folder.out.requests[1].error).toContain('blocked (offline)');
    // The first matching rule answers, and --mock's rules come first.
    const flagRules = s.write('flag-rules.json', [{ method: 'PUT', url: 'https://api.example.test/v1/*', status: 202, body: 'from --mock' }]);
    const both = await runJson(['run', s.path('fnm'), '--event', group, '--settings', settings, '--offline', '--mock', flagRules]);
    expect(both.out.result).toEqual({ mockedStatus: 202, text: 'from --mock' });
    // A bare handler file has no folder rules.
    const bare = await runJson(['run', s.path('fnm/handler.js'), '--event', group, '--offline']);
    expect(bare.out.requests[0].error).toContain('blocked (offline)');
    expect(received.length).toBe(before);

    // A broken mocks.json stops the run (exit 2) naming the file and the rule.
    s.write('fnm/mocks.json', [{ url: 'https://api.example.test/*', status: 'ok' }]);
    const broken = await runCli(['run', s.path('fnm'), '--event', group, '--settings', settings], { cwd: s.dir });
    expect(broken.code).toBe(2);
    expect(broken.stderr).toContain(`${s.path('fnm/mocks.json')}: rule [0]`);
    expect(broken.stdout).toBe('');
    // Invalid JSON names the file once, as its path, with line and column.
    s.write('fnm/mocks.json', '[{bad');
    const invalid = await runCli(['run', s.path('fnm'), '--event', group, '--settings', settings], { cwd: s.dir });
    expect(invalid.code).toBe(2);
    expect(invalid.stderr).toContain(`${s.path('fnm/mocks.json')}: invalid JSON at 1:3`);
    expect(invalid.stderr.split('mocks.json').length).toBe(2);

    // "strictNetwork": true in function.json refuses the loopback endpoint, as --strict-network does.
    s.write('fnm/mocks.json', []);
    s.write('fnm/function.json', { ...COLLECTOR_META, strictNetwork: true });
    const strict = await runJson(['run', s.path('fnm'), '--event', s.write('track.json', track), '--settings', settings]);
    expect(strict.code).toBe(1);
    expect(strict.out.error?.message).toContain('blocked (network policy): 127.0.0.1 is a loopback address');
    expect(received.length).toBe(before);
    s.write('fnm/function.json', { ...COLLECTOR_META, strictNetwork: 'yes' });
    const badMeta = await runCli(['run', s.path('fnm'), '--event', s.write('track.json', track), '--settings', settings], { cwd: s.dir });
    expect(badMeta.code).toBe(2);
    expect(badMeta.stderr).toContain("'strictNetwork' must be true or false");
  });

  it('ends a runaway handler at --timeout (Timeout, retryable, exit 1)', async () => {
    const { code, out } = await runJson(['run', handler, '--event', s.write('screen.json', { type: 'screen', userId: 'u' }), '--timeout', '700']);
    expect(code).toBe(1);
    expect(out.outcome).toBe('Timeout');
    expect(out.retryable).toBe(true);
    // The flag's limit, not the 5 s default, ended it (said by the outcome itself rather than
    // by a wall clock that a busy machine stretches).
    expect(out.error?.message).toMatch(/time limit of 700 ms/);
  });

  it('colours the category when asked (FORCE_COLOR) and not when NO_COLOR', async () => {
    const event = s.write('track.json', track);
    const coloured = await runCli(['run', handler, '--event', event, '--settings', settings], { cwd: s.dir, env: { FORCE_COLOR: '1' } });
    expect(coloured.stdout).toContain('\u001b[32mSuccess\u001b[39m');
    const plain = await runCli(['run', handler, '--event', event, '--settings', settings], { cwd: s.dir, env: { NO_COLOR: '1' } });
    expect(plain.stdout).not.toMatch(/\u001b\[/);
  });
});
