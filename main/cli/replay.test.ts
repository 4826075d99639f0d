/**
 * `fnstudio replay` end to end: the built binary, a real runtime, real files.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Scratch, assertBuilt, runCli } from './test-support';

const HANDLER = `
async function onTrack(event, settings) {
  if (event.properties && event.properties.reject) throw new ValidationError('missing email for ' + event.messageId);
  const res = await fetch(settings.endpoint, { method: 'POST', body: JSON.stringify(event) });
  return res.status;
}
async function onIdentify(event) {
  await fetch('https://unmocked.partner.test/identify');
}
`;

const events = (n: number, extra: (i: number) => Record<string, unknown> = () => ({})) =>
  Array.from({ length: n }, (_, i) => JSON.stringify({ type: 'track', event: 'Order Completed', messageId: `m${i}`, userId: `u${i}`, properties: { total: i }, ...extra(i) })).join('\n') + '\n';

let scratch: Scratch;
let fn: string;
beforeAll(() => {
  assertBuilt();
  scratch = new Scratch();
  fn = path.dirname(scratch.write('shop-sync/handler.js', HANDLER));
  scratch.write('shop-sync/function.json', { displayName: 'Shop Sync', description: '', resourceType: 'DESTINATION', settings: [{ name: 'endpoint', label: 'Endpoint', description: '', type: 'STRING', required: true, sensitive: false }] });
  scratch.write('shop-sync/settings.local.json', { values: { endpoint: 'https://api.shop.test/v1/orders' } });
  scratch.write('shop-sync/mocks.json', [{ method: 'POST', url: 'https://api.shop.test/*', status: 201 }]);
});
afterAll(() => scratch.remove());

describe('fnstudio replay', () => {
  it('prints help for strangers', async () => {
    const r = await runCli(['replay', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Usage: fnstudio replay <function-folder \| handler\.js> <events file\|folder\|->\.\.\./);
    for (const option of ['--mock', '--live', '--filters', '--no-retries', '--concurrency', '--settings', '--destination-name', '--json', '--out']) expect(r.stdout).toContain(option);
  });

  it('replays a gzipped NDJSON capture with the folder mocks and settings: --json has the issue fields, exit 0', async () => {
    const file = scratch.path('capture.ndjson.gz');
    writeFileSync(file, gzipSync(events(300)));
    const r = await runCli(['replay', fn, file, '--json']);
    expect(r.stderr).toBe('');
    const s = JSON.parse(r.stdout);
    expect(s.byOutcome).toEqual({ Success: 300 });
    expect(r.code).toBe(0);
    expect(s).toMatchObject({
      total: 300,
      delivered: 300,
      filtered: 0,
      skipped: { count: 0, lines: [] },
      byOutcome: { Success: 300 },
      retried: { delivered: 0, gaveUp: 0 },
      attempts: 300,
      inputs: [{ file, format: 'ndjson', gzip: true }],
      options: { destinationName: 'Shop Sync', mockRules: 1, live: false },
    });
    for (const key of ['durationMs', 'eventsPerSecond']) expect(typeof s[key]).toBe('number');
    for (const key of ['p50', 'p95', 'p99']) expect(typeof s.latencyMs[key]).toBe('number');
    expect(s.eventsPerSecond).toBeGreaterThan(0);
    expect(s.recordDir.startsWith(path.join(fn, '.fnstudio', 'replays'))).toBe(true);
    expect(readdirSync(s.recordDir).sort()).toEqual(['details.ndjson', 'outcomes.ndjson', 'summary.json']);
    expect(readFileSync(path.join(s.recordDir, 'outcomes.ndjson'), 'utf8').trim().split('\n')).toHaveLength(300);
  });

  it('reports failures, filtered events, offline hosts and bad lines in the table, exit 1', async () => {
    const text =
      events(4, (i) => (i === 1 ? { properties: { reject: true } } : i === 2 ? { integrations: { All: false } } : {})) +
      '{"type": "identify", "userId": "x"}\n' +
      'not json at all\n';
    const file = scratch.write('mixed.ndjson', text);
    const r = await runCli(['replay', fn, file, '--out', scratch.path('runs')]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/Replay of 5 events from .*mixed\.ndjson \(ndjson\)/);
    expect(r.stdout).toMatch(/Delivered\s+2/);
    expect(r.stdout).toMatch(/Filtered\s+1/);
    expect(r.stdout).toMatch(/Message Rejected\s+1/);
    expect(r.stdout).toMatch(/Bad Request\s+1/);
    expect(r.stdout).toMatch(/Skipped lines\s+1\s+not-json 1/);
    expect(r.stdout).toMatch(/1 × Message Rejected: missing email for m1/);
    expect(r.stdout).toMatch(/1 × unmocked\.partner\.test/);
    expect(r.stdout).toContain(`${file}:6  not-json`);
    expect(r.stdout).toContain(`Run record: ${scratch.path('runs')}`);
    expect(readdirSync(scratch.path('runs'))).toHaveLength(1);
  });

  it('reads stdin, applies --filters and --destination-name', async () => {
    const filters = scratch.write('filters.json', [{ title: 'only orders over 1', if: 'properties.total <= 1', actions: [{ type: 'DROP' }], enabled: true }]);
    const stdin = events(4, (i) => (i === 3 ? { integrations: { All: false, 'Shop Sync (Acme)': true } } : {}));
    const r = await runCli(['replay', fn, '-', '--filters', filters, '--destination-name', 'Shop Sync (Acme)', '--json'], { stdin });
    expect(r.code).toBe(0);
    const s = JSON.parse(r.stdout);
    expect(s).toMatchObject({ total: 4, delivered: 2, filtered: 2, inputs: [{ file: '-', format: 'ndjson', gzip: false }], options: { filters: 1, destinationName: 'Shop Sync (Acme)' } });
  });

  it('bad input exits 2 with a message naming it (and one JSON object with --json)', async () => {
    const missing = await runCli(['replay', fn, scratch.path('nope.ndjson'), '--json']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('nope.ndjson: no such file or folder');
    expect(JSON.parse(missing.stdout)).toMatchObject({ exitCode: 2, error: { name: 'InputError' } });

    const badFilter = scratch.write('bad-filters.json', [{ title: 'typo', if: 'type = ', actions: [{ type: 'DROP' }], enabled: true }]);
    const filterRun = await runCli(['replay', fn, scratch.write('one.ndjson', events(1)), '--filters', badFilter]);
    expect(filterRun.code).toBe(2);
    expect(filterRun.stderr).toMatch(/bad-filters\.json: filter \[0\] \("typo"\): "if" is not valid FQL/);

    const noEvents = await runCli(['replay', fn]);
    expect(noEvents.code).toBe(2);
    expect(noEvents.stderr).toMatch(/missing the events to replay/);
    expect(existsSync(path.join(fn, '.fnstudio', '.gitignore'))).toBe(true);
  });
});
