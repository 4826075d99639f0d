/**
 * `fnstudio capture` end to end: the real built binary listening on 127.0.0.1, fed by
 * Segment's own Node library, recording NDJSON and running a function folder with its
 * mocks.json; stopped with SIGINT as a person stops it with Ctrl+C.
 */
import { describe, it, expect, afterEach } from 'vitest';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { Analytics } from '@segment/analytics-node';
import { BIN, Scratch, assertBuilt, collectOutput, runCli, type CliResult } from './test-support';

const children: ChildProcessWithoutNullStreams[] = [];
const scratches: Scratch[] = [];
afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
  for (const s of scratches.splice(0)) s.remove();
});

interface Started {
  child: ChildProcessWithoutNullStreams;
  url: string;
  done: Promise<CliResult>;
  /** Everything printed so far. */
  output(): string;
}

/** Starts `fnstudio capture --port 0 …` and waits for the address it prints. */
async function startCapture(args: string[], cwd: string): Promise<Started> {
  assertBuilt();
  const env = { ...process.env, FORCE_COLOR: undefined, NO_COLOR: '1' };
  const child = spawn(process.execPath, [BIN, 'capture', '--port', '0', ...args], { cwd, env, stdio: ['pipe', 'pipe', 'pipe'] });
  children.push(child);
  let printed = '';
  child.stdout.on('data', (d: Buffer) => (printed += d.toString('utf8')));
  child.stderr.on('data', (d: Buffer) => (printed += d.toString('utf8')));
  const done = collectOutput(child);
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setInterval(() => {
      const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(printed);
      if (m) {
        clearInterval(timer);
        resolve(m[1]);
      } else if (child.exitCode !== null) {
        clearInterval(timer);
        reject(new Error(`capture exited early:\n${printed}`));
      }
    }, 25);
  });
  return { child, url, done, output: () => printed };
}

async function waitFor(check: () => boolean, what: string, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const HANDLER = `
async function onTrack(event, settings) {
  const res = await fetch('https://hooks.example.test/events', { method: 'POST', headers: { authorization: 'Bearer ' + settings.apiKey }, body: JSON.stringify(event) });
  if (!res.ok) throw new RetryError('hook answered ' + res.status);
  return res.status;
}
async function onIdentify(event, settings) {
  await fetch('https://unmocked.example.test/' + settings.apiKey);
}
`;

describe('fnstudio capture', () => {
  it('records what analytics-node sends and prints one outcome line per event from the function', async () => {
    const scratch = new Scratch();
    scratches.push(scratch);
    scratch.write('fn/handler.js', HANDLER);
    scratch.write('fn/function.json', { displayName: 'Hook', settings: [{ name: 'apiKey', type: 'STRING', required: true, sensitive: false }] });
    scratch.write('fn/settings.local.json', { values: { apiKey: 'pk_visible_value' }, secretsSet: [] });
    scratch.write('fn/mocks.json', [{ method: 'POST', url: 'https://hooks.example.test/*', status: 201 }]);

    const capture = await startCapture(['--out', 'rec/events.ndjson', '--function', 'fn'], scratch.dir);
    // The line naming the function's mocks may arrive in a later chunk than the address.
    await waitFor(() => /1 mock rule from mocks\.json/.test(capture.output()), 'the line naming 1 mock rule from mocks.json');
    const analytics = new Analytics({ writeKey: 'wk', host: capture.url, flushAt: 3, maxRetries: 0 });
    analytics.track({ userId: 'u1', event: 'Signed Up' });
    analytics.identify({ userId: 'u1', traits: { plan: 'free' } });
    analytics.page({ userId: 'u1', name: 'Home' });
    await analytics.closeAndFlush({ timeout: 15_000 });
    await waitFor(() => (capture.output().match(/→ /g) ?? []).length >= 3, 'three outcome lines');

    const refused = await fetch(capture.url + '/v1/track', { method: 'POST', body: JSON.stringify({ userId: 'u', event: 'No key' }) });
    expect(refused.status).toBe(400);
    await waitFor(() => /refused/.test(capture.output()), 'the refusal line');

    capture.child.kill('SIGINT');
    const result = await capture.done;
    expect(result.code).toBe(0);
    const lines = result.stdout.split('\n');
    expect(lines.find((l) => l.includes('track "Signed Up"'))).toMatch(/→ Success · \d+ ms · 1 request/);
    expect(lines.find((l) => l.includes('identify'))).toMatch(/→ Bad Request: .*offline/);
    expect(lines.find((l) => l.includes('page "Home"'))).toMatch(/→ Unsupported Event Type/);
    expect(lines.find((l) => l.includes('refused'))).toMatch(/refused \/v1\/track \(400\): .*write key/);
    expect(result.stdout).toMatch(/stopped; 3 events recorded to rec\/events\.ndjson, 1 refused; outcomes: Success 1, Bad Request 1, Unsupported Event Type 1/);

    const events = readFileSync(scratch.path('rec/events.ndjson'), 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(events.map((e) => e.type)).toEqual(['track', 'identify', 'page']);
    expect(events[0]).toMatchObject({ event: 'Signed Up', userId: 'u1', receivedAt: expect.any(String), sentAt: expect.any(String), messageId: expect.any(String) });
  }, 90_000);

  it('without --function prints a line per recorded event', async () => {
    const scratch = new Scratch();
    scratches.push(scratch);
    const capture = await startCapture([], scratch.dir);
    const res = await fetch(capture.url + '/v1/batch', {
      method: 'POST',
      headers: { authorization: `Basic ${Buffer.from('k:').toString('base64')}` },
      body: JSON.stringify({ batch: [{ type: 'track', userId: 'u', event: 'A' }, { type: 'group', userId: 'u', groupId: 'g1' }] }),
    });
    expect(res.status).toBe(200);
    await waitFor(() => (capture.output().match(/recorded\n/g) ?? []).length >= 2, 'two recorded lines');
    capture.child.kill('SIGINT');
    const result = await capture.done;
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/track "A" \(user u\) {2}recorded/);
    expect(result.stdout).toMatch(/group group g1 \(user u\) {2}recorded/);
    expect(readFileSync(scratch.path('events.ndjson'), 'utf8').trimEnd().split('\n')).toHaveLength(2);
  }, 90_000);

  it('--function honours the function\'s strictNetwork and --strict-network: a loopback request is refused even with a mock rule', async () => {
    const scratch = new Scratch();
    scratches.push(scratch);
    const local = `async function onTrack(event) {\n  const res = await fetch('http://127.0.0.1:9/hook', { method: 'POST' });\n  return res.status;\n}\n`;
    const mocks = [{ method: 'POST', url: 'http://127.0.0.1:9/*', status: 202 }];
    scratch.write('strict/handler.js', local);
    scratch.write('strict/function.json', { displayName: 'Strict', settings: [], strictNetwork: true });
    scratch.write('strict/mocks.json', mocks);
    scratch.write('loose/handler.js', local);
    scratch.write('loose/function.json', { displayName: 'Loose', settings: [] });
    scratch.write('loose/mocks.json', mocks);
    const send = async (url: string): Promise<void> => {
      const res = await fetch(url + '/v1/track', { method: 'POST', headers: { authorization: `Basic ${Buffer.from('k:').toString('base64')}` }, body: JSON.stringify({ userId: 'u', event: 'Ping' }) });
      expect(res.status).toBe(200);
    };
    const runs: Array<[string[], RegExp]> = [
      [['--function', 'loose'], /→ Success/],
      [['--function', 'strict'], /→ Bad Request: .*blocked \(network policy\): 127\.0\.0\.1 is a loopback address/],
      [['--function', 'loose', '--strict-network'], /→ Bad Request: .*blocked \(network policy\): 127\.0\.0\.1 is a loopback address/],
    ];
    for (const [args, expected] of runs) {
      const capture = await startCapture(['--out', 'rec.ndjson', ...args], scratch.dir);
      await waitFor(() => /mock rule from mocks\.json/.test(capture.output()), 'the line naming the mock rules');
      await send(capture.url);
      await waitFor(() => /→ /.test(capture.output()), 'an outcome line');
      capture.child.kill('SIGINT');
      const result = await capture.done;
      expect(result.stdout, args.join(' ')).toMatch(expected);
      if (args.includes('loose') && args.length === 2) expect(result.stdout).not.toContain('strict network');
      else expect(result.stdout).toContain('loopback and private addresses refused (strict network)');
    }
    const usage = await runCli(['capture', '--strict-network']);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('--strict-network applies to the function run with --function');
  }, 120_000);

  it('rejects bad usage with exit status 2 and a port in use with 1', async () => {
    const bad = await runCli(['capture', '--port', 'eighty']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--port' must be a port number/);
    const extra = await runCli(['capture', 'fn']);
    expect(extra.code).toBe(2);
    expect(extra.stderr).toMatch(/--function <folder>/);
    const missing = await runCli(['capture', '--function', '/nonexistent/fn']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/no such file or folder/);

    const scratch = new Scratch();
    scratches.push(scratch);
    const first = await startCapture([], scratch.dir);
    const port = new URL(first.url).port;
    const second = await runCli(['capture', '--port', port], { cwd: scratch.dir });
    expect(second.code).toBe(1);
    expect(second.stderr).toMatch(new RegExp(`port ${port} .* already in use`));
    first.child.kill('SIGINT');
    expect((await first.done).code).toBe(0);
  }, 90_000);
});
