/**
 * `fnstudio replay` end to end: the built binary, a real runtime, real files.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { REPO_ROOT, Scratch, assertBuilt, collectOutput, runCli } from './test-support';

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
    for (const option of ['--mock', '--live', '--filters', '--no-retries', '--concurrency', '--settings', '--destination-name', '--json', '--out', '--list', '--show <run-id>', '--delete <run-id>']) expect(r.stdout).toContain(option);
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

describe('fnstudio replay and the network policy', () => {
  it("honours the function's strictNetwork and --strict-network: loopback requests are refused before their mock rule", async () => {
    const local = path.dirname(scratch.write('local-hook/handler.js', `async function onTrack(event) {\n  try {\n    await fetch('http://127.0.0.1:9/hook', { method: 'POST' });\n  } catch (err) {\n    throw new ValidationError(err.message);\n  }\n}\n`));
    scratch.write('local-hook/function.json', { displayName: 'Local Hook', description: '', resourceType: 'DESTINATION', settings: [] });
    scratch.write('local-hook/mocks.json', [{ method: 'POST', url: 'http://127.0.0.1:9/*', status: 202 }]);
    const file = scratch.path('local-hook-events.ndjson');
    writeFileSync(file, events(5));
    const replayed = async (args: string[]) => {
      const r = await runCli(['replay', local, file, '--json', '--no-retries', ...args]);
      return { code: r.code, summary: JSON.parse(r.stdout) as { byOutcome: Record<string, number>; topErrors: Array<{ message: string }> } };
    };
    const open = await replayed([]);
    expect(open.code).toBe(0);
    expect(open.summary.byOutcome).toEqual({ Success: 5 });
    const flagged = await replayed(['--strict-network']);
    expect(flagged.code).toBe(1);
    expect(flagged.summary.byOutcome).toEqual({ 'Message Rejected': 5 });
    expect(JSON.stringify(flagged.summary.topErrors)).toMatch(/blocked \(network policy\): 127\.0\.0\.1 is a loopback address/);
    scratch.write('local-hook/function.json', { displayName: 'Local Hook', description: '', resourceType: 'DESTINATION', settings: [], strictNetwork: true });
    const declared = await replayed([]);
    expect(declared.code).toBe(1);
    expect(declared.summary.byOutcome).toEqual({ 'Message Rejected': 5 });
  }, 90_000);
});

describe('fnstudio replay memory', () => {
  it('does not load the TypeScript compiler for a JavaScript handler (45 MB of the 300 MB budget)', async () => {
    const probe = [
      `const main = require(${JSON.stringify(path.join(REPO_ROOT, 'out', 'main', 'cli', 'main.js'))});`,
      `require(${JSON.stringify(path.join(REPO_ROOT, 'out', 'main', 'cli', 'commands', 'replay.js'))});`,
      'const loaded = Object.keys(require.cache).filter((f) => /[\\/]node_modules[\\/]typescript[\\/]/.test(f));',
      "process.stdout.write(JSON.stringify({ main: typeof main.main, loaded }));",
    ].join('\n');
    const child = spawn(process.execPath, ['-e', probe]);
    const r = await collectOutput(child);
    expect(r.stderr).toBe('');
    const { main, loaded } = JSON.parse(r.stdout);
    // The CLI with every command's module linked, as `fnstudio replay` starts.
    expect(main).toBe('function');
    expect(loaded).toEqual([]);
  });
});

describe('fnstudio replay --list / --show / --delete', () => {
  let runsFn: string;
  beforeAll(() => {
    // A folder of its own, so the runs of the tests above do not count here.
    runsFn = path.dirname(scratch.write('runs-fn/handler.js', 'async function onTrack(event) { if (event.properties.fail) throw new ValidationError("no"); }\n'));
  });

  it('lists no runs of a folder that has none, as text and as JSON', async () => {
    const text = await runCli(['replay', '--list', runsFn]);
    expect(text.code).toBe(0);
    expect(text.stdout).toBe(`No replay runs in ${path.join(runsFn, '.fnstudio', 'replays')}.\n`);
    const json = await runCli(['replay', '--list', runsFn, '--json']);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toEqual({ folder: path.join(runsFn, '.fnstudio', 'replays'), runs: [] });
  });

  it('lists runs newest first, shows one again and deletes it; an unknown run id is bad input', async () => {
    const capture = scratch.write('runs-capture.ndjson', events(3, (i) => (i === 2 ? { properties: { fail: true } } : {})));
    const first = JSON.parse((await runCli(['replay', runsFn, capture, '--json', '--seed', '1'])).stdout);
    const second = JSON.parse((await runCli(['replay', path.join(runsFn, 'handler.js'), capture, '--json', '--no-retries'])).stdout);
    expect(first.runId).not.toBe(second.runId);

    const list = await runCli(['replay', '--list', runsFn, '--json']);
    expect(list.code).toBe(0);
    const { runs } = JSON.parse(list.stdout);
    // Both runs (the folder and its handler file keep their runs in the same place), newest first.
    expect(runs.map((r: { runId: string }) => r.runId).sort()).toEqual([first.runId, second.runId].sort());
    expect(runs[0].startedAt >= runs[1].startedAt).toBe(true);
    expect(runs[0]).toMatchObject({ total: 3, delivered: 2, finished: true });

    const table = await runCli(['replay', '--list', path.join(runsFn, 'handler.js')]);
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/^RUN ID\s+STARTED \(UTC\)\s+EVENTS\s+DELIVERED\n/);
    expect(table.stdout).toMatch(new RegExp(`${first.runId}\\s+\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\dZ\\s+3\\s+2\\n`));
    expect(table.stdout).toContain(`2 runs in ${path.join(runsFn, '.fnstudio', 'replays')}`);

    const shown = await runCli(['replay', '--show', first.runId, runsFn]);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toMatch(/Delivered\s+2/);
    expect(shown.stdout).toMatch(/Message Rejected\s+1/);
    expect(shown.stdout).toContain(`Run record: ${first.recordDir}`);
    const shownJson = JSON.parse((await runCli(['replay', '--show', first.runId, runsFn, '--json'])).stdout);
    expect(shownJson).toMatchObject({ runId: first.runId, total: 3, delivered: 2, byOutcome: first.byOutcome, options: { seed: 1 }, recordDir: first.recordDir });

    const deleted = await runCli(['replay', '--delete', first.runId, runsFn, '--json']);
    expect(deleted.code).toBe(0);
    expect(JSON.parse(deleted.stdout)).toEqual({ deleted: first.runId, recordDir: first.recordDir });
    expect(existsSync(first.recordDir)).toBe(false);
    expect(existsSync(second.recordDir)).toBe(true);
    const after = JSON.parse((await runCli(['replay', '--list', runsFn, '--json'])).stdout);
    expect(after.runs.map((r: { runId: string }) => r.runId)).toEqual([second.runId]);

    const again = await runCli(['replay', '--delete', first.runId, runsFn]);
    expect(again.code).toBe(2);
    expect(again.stderr).toBe(`fnstudio replay: no replay run "${first.runId}" in ${runsFn}\n`);
    const againJson = await runCli(['replay', '--show', 'no-such-run', runsFn, '--json']);
    expect(againJson.code).toBe(2);
    expect(JSON.parse(againJson.stdout)).toMatchObject({ exitCode: 2, error: { name: 'InputError', message: `no replay run "no-such-run" in ${runsFn}` } });
    // Not an id at all (a path): refused before anything is touched.
    const escape = await runCli(['replay', '--delete', '../../runs-fn', runsFn]);
    expect(escape.code).toBe(2);
    expect(escape.stderr).toContain('"../../runs-fn" is not a replay run id');
    expect(existsSync(runsFn)).toBe(true);

    const text = await runCli(['replay', '--delete', second.runId, runsFn]);
    expect(text.code).toBe(0);
    expect(text.stdout).toBe(`Deleted replay run ${second.runId} (${second.recordDir}).\n`);
    expect(existsSync(second.recordDir)).toBe(false);
  });

  it('says what is wrong with a run command', async () => {
    const both = await runCli(['replay', '--list', '--delete', 'x', runsFn]);
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('--list and --delete cannot be combined');
    const mixed = await runCli(['replay', '--list', runsFn, '--live']);
    expect(mixed.code).toBe(2);
    expect(mixed.stderr).toContain('--live is an option of a replay; it does not go with --list');
    const noFolder = await runCli(['replay', '--list']);
    expect(noFolder.code).toBe(2);
    expect(noFolder.stderr).toContain('missing the function');
    const extra = await runCli(['replay', '--show', 'abc', runsFn, 'events.ndjson']);
    expect(extra.code).toBe(2);
    expect(extra.stderr).toContain("unexpected argument 'events.ndjson'");
    const missing = await runCli(['replay', '--list', scratch.path('not-there')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('not-there: no such file or folder');
    const noValue = await runCli(['replay', '--delete']);
    expect(noValue.code).toBe(2);
    const damaged = scratch.write('runs-fn/.fnstudio/replays/20260101T000000Z-broken/summary.json', '{"runId": ');
    expect(existsSync(damaged)).toBe(true);
    const show = await runCli(['replay', '--show', '20260101T000000Z-broken', runsFn]);
    expect(show.code).toBe(2);
    expect(show.stderr).toContain('replay run "20260101T000000Z-broken": its summary.json is damaged');
  });
});
