/**
 * `fnstudio test` end to end: the real built binary on a copy of the fixture workspace
 * (main/cli/test-fixtures/test-workspace: `webhook` passes, `orders` has a passing, a
 * failing and a malformed case).
 */
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { cpSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { BIN, Scratch, assertBuilt, collectOutput, runCli } from './test-support';

const FIXTURE = path.join(__dirname, 'test-fixtures', 'test-workspace');

let scratch: Scratch;
let ws: string;

beforeAll(() => assertBuilt());
beforeEach(() => {
  scratch = new Scratch();
  ws = scratch.path('ws');
  cpSync(FIXTURE, ws, { recursive: true });
});
afterEach(() => scratch.remove());

describe('fnstudio test', () => {
  it('runs every function of the workspace: passes, failures with path/expected/actual, malformed cases; exit 1', async () => {
    const r = await runCli(['test', '--workspace', ws]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('webhook');
    expect(r.stdout).toMatch(/✓ posts an order \d+ ms/);
    expect(r.stdout).toMatch(/✓ retries when the webhook answers 503/);
    expect(r.stdout).toMatch(/✓ rejects an identify without email/);
    expect(r.stdout).toMatch(/✓ passes/);
    expect(r.stdout).toMatch(/✗ expects a total the handler does not send \d+ ms tests\/wrong-total\.test\.json/);
    expect(r.stdout).toContain('      requests[0].body.total is 12, expected 13\n');
    expect(r.stdout).toContain('expected 13');
    expect(r.stdout).toContain('actual   12');
    // Invalid JSON: the name inside cannot be read, so the file names the case.
    expect(r.stdout).toMatch(/✗ malformed tests\/malformed\.test\.json\n\s+tests\/malformed\.test\.json: invalid JSON at 4:37/);
    expect(r.stdout).toMatch(/Tests: 2 failed, 4 passed \(6 cases in 2 functions, [\d.]+ s\)/);
  });

  it('exit 0 when every case of the given folders passes', async () => {
    const r = await runCli(['test', path.join(ws, 'webhook')]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Tests: 3 passed \(3 cases in 1 function/);
  });

  it('--filter runs only matching cases', async () => {
    const r = await runCli(['test', '--workspace', ws, '--filter', 'TOTAL']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/Tests: 1 failed, 0 passed \(1 case in 2 functions/);
    const none = await runCli(['test', '--workspace', ws, '--filter', 'nothing-like-this']);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('--filter "nothing-like-this" matches no test case in orders, webhook');
  });

  it('--reporter junit --out writes JUnit XML that parses, and still prints the pretty report', async () => {
    const out = scratch.path('junit.xml');
    const r = await runCli(['test', '--workspace', ws, '--reporter', 'junit', '--out', out]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`junit report written to ${out}`);
    expect(r.stdout).toMatch(/✗ malformed/);
    const xml = readFileSync(out, 'utf8');
    expect(XMLValidator.validate(xml)).toBe(true);
    const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', isArray: (n) => ['testsuite', 'testcase'].includes(n) }).parse(xml);
    const suites = doc.testsuites.testsuite as Array<{ name: string; tests: string; failures: string; testcase: Array<{ name: string; failure?: { type: string; '#text': string } }> }>;
    expect(suites.map((s) => [s.name, s.tests, s.failures])).toEqual([
      ['orders', '3', '2'],
      ['webhook', '3', '0'],
    ]);
    const wrong = suites[0].testcase.find((c) => c.name === 'expects a total the handler does not send');
    expect(wrong?.failure?.type).toBe('ExpectationMismatch');
    expect(wrong?.failure?.['#text']).toContain('requests[0].body.total\n  expected: 13\n  actual:   12');
  });

  it('--reporter json prints one JSON object', async () => {
    const r = await runCli(['test', path.join(ws, 'orders'), '--reporter', 'json']);
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout);
    expect(report).toMatchObject({ passed: 1, failed: 2, total: 3 });
    expect(report.functions[0].cases.map((c: { file: string; status: string }) => [c.file, c.status])).toEqual([
      ['tests/malformed.test.json', 'failed'],
      ['tests/passes.test.json', 'passed'],
      ['tests/wrong-total.test.json', 'failed'],
    ]);
  });

  it('records snapshots, compares them, and --update-snapshots re-records', async () => {
    scratch.write('ws/webhook/tests/snap.test.json', { event: { type: 'track', event: 'Viewed', userId: 'u9', properties: { total: 1 } }, settings: { webhookUrl: 'https://hooks.example.com/in' }, snapshot: true });
    let r = await runCli(['test', path.join(ws, 'webhook'), '--filter', 'snap']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('(snapshot written)');
    const snapFile = path.join(ws, 'webhook', 'tests', 'snap.snapshot.json');
    expect(JSON.parse(readFileSync(snapFile, 'utf8')).requests[0].body).toEqual({ event: 'Viewed', userId: 'u9', total: 1 });
    writeFileSync(path.join(ws, 'webhook', 'handler.js'), readFileSync(path.join(ws, 'webhook', 'handler.js'), 'utf8').replace('total: event.properties.total', 'total: event.properties.total + 1'));
    r = await runCli(['test', path.join(ws, 'webhook'), '--filter', 'snap']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('snapshot.requests[0].body.total');
    r = await runCli(['test', path.join(ws, 'webhook'), '--filter', 'snap', '--update-snapshots']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('(snapshot updated)');
  });

  it.each([
    [['test', '--reporter', 'xml'], "option '--reporter' must be one of pretty, junit, json"],
    [['test', 'no-such-folder'], 'no-such-folder: no such folder'],
    [['test', '--workspace', 'x', 'y'], 'give function folders or --workspace, not both'],
    [['test', '--bogus'], "unknown option '--bogus'"],
  ])('bad usage %j exits 2 with a clear message', async (args, message) => {
    const r = await runCli(args, { cwd: scratch.dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
  });

  it('a folder without handler.js, an empty workspace and an unwritable --out exit 2', async () => {
    scratch.write('empty/readme.txt', 'nothing');
    let r = await runCli(['test', scratch.path('empty')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('not a function folder: it has no handler.js');
    r = await runCli(['test', '--workspace', scratch.path('empty')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('has no function folders');
    r = await runCli(['test', '--workspace', ws, '--out', scratch.path('missing/dir/junit.xml')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('does not exist');
  });

  it('honours the function\'s strictNetwork and --strict-network: a loopback request is refused before its mock rule', async () => {
    const fn = scratch.path('local-hook');
    scratch.write('local-hook/handler.js', `async function onTrack(event) {\n  try {\n    const res = await fetch('http://127.0.0.1:9/hook', { method: 'POST' });\n    return 'reached ' + res.status;\n  } catch (err) {\n    return err.message;\n  }\n}\n`);
    scratch.write('local-hook/function.json', { displayName: 'Local Hook', settings: [] });
    scratch.write('local-hook/tests/reaches.test.json', {
      name: 'reaches the local hook',
      event: { type: 'track', event: 'Ping' },
      mocks: [{ method: 'POST', url: 'http://127.0.0.1:9/*', status: 202 }],
      expect: { outcome: 'Success', result: 'reached 202' },
    });
    const result = async (args: string[]): Promise<{ code: number | null; result: unknown }> => {
      const r = await runCli(['test', fn, '--reporter', 'json', ...args]);
      return { code: r.code, result: JSON.parse(r.stdout).functions[0].cases[0].outcome.result };
    };
    expect(await result([])).toEqual({ code: 0, result: 'reached 202' });
    const flagged = await result(['--strict-network']);
    expect(flagged.code).toBe(1);
    expect(flagged.result).toMatch(/blocked \(network policy\): 127\.0\.0\.1 is a loopback address/);
    scratch.write('local-hook/function.json', { displayName: 'Local Hook', settings: [], strictNetwork: true });
    const declared = await result([]);
    expect(declared.code).toBe(1);
    expect(declared.result).toMatch(/blocked \(network policy\): 127\.0\.0\.1 is a loopback address/);
   }, 90_000);

  it('--help explains the format and the exit status', async () => {
    const r = await runCli(['test', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Usage: fnstudio test [<function-folder>...]');
    expect(r.stdout).toContain('--update-snapshots');
    expect(r.stdout).toContain('Exit status');
  });

  it('--watch re-runs all cases when the handler changes, one case when that case changes', async () => {
    const child = spawn(process.execPath, [BIN, 'test', path.join(ws, 'webhook'), '--watch'], { env: { ...process.env, NO_COLOR: '1' }, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    const done = collectOutput(child);
    const waitFor = async (predicate: () => boolean, what: string) => {
      const deadline = Date.now() + 20_000;
      while (!predicate()) {
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; output so far:\n${stdout}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    };
    const watching = () => (stdout.match(/Watching for changes/g) ?? []).length;
    try {
      await waitFor(() => watching() === 1, 'the first run');
      expect(stdout).toMatch(/Tests: 3 passed/);
      const handler = path.join(ws, 'webhook', 'handler.js');
      writeFileSync(handler, readFileSync(handler, 'utf8').replace("console.log(`sent ${event.event}`);", "throw new Error('broken on purpose');"));
      await waitFor(() => watching() === 2, 'the re-run after the handler changed');
      expect(stdout).toContain('re-running webhook (all cases)');
      expect(stdout).toMatch(/Tests: 1 failed, 2 passed/);
      const caseFile = path.join(ws, 'webhook', 'tests', 'rejects-identify.test.json');
      writeFileSync(caseFile, readFileSync(caseFile, 'utf8').replace('"email"', '"e-mail"'));
      await waitFor(() => watching() === 3, 'the re-run after a case changed');
      expect(stdout).toContain('re-running webhook: tests/rejects-identify.test.json');
      expect(stdout.slice(stdout.lastIndexOf('re-running'))).toMatch(/Tests: 1 failed, 0 passed \(1 case in 1 function/);
    } finally {
      child.kill('SIGINT');
    }
    const result = await done;
    // Stopped by Ctrl+C: the status of the last run (a failing case).
    expect(result.code).toBe(1);
    expect(existsSync(path.join(ws, 'webhook', 'tests', 'rejects-identify.snapshot.json'))).toBe(false);
  });
});
