/**
 * `fnstudio run` refusing bad usage and bad input with exit status 2 and a message that
 * names the file and the problem. Spawns the real built binary.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { Scratch, assertBuilt, runCli } from './test-support';

const HANDLER = 'async function onTrack(event) { return { ok: true }; }\n';

describe('fnstudio run: bad usage and bad input (exit 2)', () => {
  const s = new Scratch();
  let handler: string;
  let event: string;
  beforeAll(() => {
    assertBuilt();
    handler = s.write('handler.js', HANDLER);
    event = s.write('track.json', { type: 'track', event: 'Clicked', userId: 'u1' });
  });
  afterAll(() => s.remove());

  async function expectBadInput(args: string[], message: string | RegExp, stdin?: string): Promise<void> {
    const r = await runCli(args, { cwd: s.dir, stdin });
    expect(r.code, r.stderr).toBe(2);
    if (typeof message === 'string') expect(r.stderr).toContain(message);
    else expect(r.stderr).toMatch(message);
    if (!args.includes('--json')) {
      expect(r.stdout).toBe('');
      return;
    }
    // --json: stdout still carries exactly one JSON object, naming the same problem
    const report = JSON.parse(r.stdout) as { outcome: unknown; exitCode: number; error: { name: string; message: string; stack: unknown } };
    expect(report).toMatchObject({ outcome: null, exitCode: 2, logs: [], requests: [], result: null });
    expect(report.error.name).toMatch(/^(UsageError|InputError|JsonFileError|MockRulesError)$/);
    if (typeof message === 'string') expect(r.stderr).toContain(report.error.message);
    else expect(report.error.message).toMatch(message);
  }

  it('reports bad input as one JSON object on stdout with --json (and as text on stderr)', async () => {
    await expectBadInput(['run', handler, '--event', s.path('missing.json'), '--json'], `${s.path('missing.json')}: file not found`);
    s.write('broken.json', '{"type": "track",\n  "event": }');
    await expectBadInput(['run', handler, '--json', '--event', s.path('broken.json')], /broken\.json: invalid JSON at 2:12/);
    await expectBadInput(['run', handler, '--json'], 'missing --event');
    // after `--`, --json is an argument, not the option
    const r = await runCli(['run', handler, '--event', event, '--', '--json'], { cwd: s.dir });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
  });

  it('prints the top-level help and per-command help', async () => {
    const top = await runCli(['--help']);
    expect(top.code).toBe(0);
    expect(top.stdout).toMatch(/Usage: fnstudio <command>/);
    expect(top.stdout).toMatch(/^\s+run\s+run a destination function/m);
    const run = await runCli(['run', '--help']);
    expect(run.code).toBe(0);
    for (const option of ['--event', '--settings', '--mock', '--offline', '--timeout', '--memory', '--json']) {
      expect(run.stdout).toContain(option);
    }
    expect(run.stdout).toMatch(/Exit status:/);
    const viaHelp = await runCli(['help', 'run']);
    expect(viaHelp.stdout).toBe(run.stdout);
    const version = await runCli(['--version']);
    expect(version.stdout).toMatch(/^fnstudio \d+\.\d+\.\d+\n$/);
  });

  it('rejects an unknown command', async () => {
    const r = await runCli(['rnu']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("unknown command 'rnu'");
  });

  it('rejects an unknown flag, suggesting the near one', async () => {
    await expectBadInput(['run', handler, '--evnt', event], "unknown option '--evnt' (did you mean '--event'?)");
  });

  it('rejects a flag without its value', async () => {
    await expectBadInput(['run', handler, '--event'], "option '--event' needs a value");
    await expectBadInput(['run', handler, '--event', '--json'], "option '--event' needs a value");
  });

  it('rejects a non-numeric or out-of-range timeout and memory', async () => {
    await expectBadInput(['run', handler, '--event', event, '--timeout', 'soon'], "option '--timeout' must be a whole number of ms, got 'soon'");
    await expectBadInput(['run', handler, '--event', event, '--timeout', '0'], "option '--timeout' must be between 1 and");
    await expectBadInput(['run', handler, '--event', event, '--memory=12.5'], "option '--memory' must be a whole number of MB");
  });

  it('requires a target and an event, and one target only', async () => {
    await expectBadInput(['run', '--event', event], 'missing the function to run');
    await expectBadInput(['run', handler], 'missing --event');
    await expectBadInput(['run', handler, handler, '--event', event], `unexpected argument '${handler}'`);
    await expectBadInput(['run', handler, '--event', event, '--json', '--json'], "option '--json' was given more than once");
  });

  it('names a missing handler, folder without handler.js, and missing event file', async () => {
    await expectBadInput(['run', s.path('nope.js'), '--event', event], `${s.path('nope.js')}: no such file or folder`);
    const emptyFolder = s.path('empty-fn');
    s.write('empty-fn/function.json', { displayName: 'x', settings: [] });
    await expectBadInput(['run', emptyFolder, '--event', event], `${emptyFolder}: not a function folder: it has no handler.js`);
    await expectBadInput(['run', handler, '--event', s.path('missing.json')], `${s.path('missing.json')}: file not found`);
    await expectBadInput(['run', handler, '--event', s.dir], `${s.dir}: is a directory`);
  });

  it('gives line:col of invalid JSON in the event file and on stdin', async () => {
    const bad = s.write('bad.json', '{\n  "type": "track",\n  "event": "x"\n  "userId": "u"\n}\n');
    await expectBadInput(['run', handler, '--event', bad], `${bad}: invalid JSON at 4:3: expected ',' or '}' after a property value`);
    await expectBadInput(['run', handler, '--event', '-'], '<stdin>: invalid JSON at 1:10: expected a value', '{"type": }');
    await expectBadInput(['run', handler, '--event', '-'], '<stdin>: the file is empty', '');
  });

  it('rejects events that are not objects', async () => {
    await expectBadInput(['run', handler, '--event', s.write('n.json', '42')], 'expected an event object (or an array of them for a batch), got a number');
    await expectBadInput(['run', handler, '--event', s.write('e.json', '[]')], 'the batch is empty');
    await expectBadInput(['run', handler, '--event', s.write('b.json', '[{"type":"track"}, "x"]')], 'batch item [1] is a string');
  });

  it('validates the mock rules file, naming the rule index', async () => {
    const cases: Array<[unknown, string]> = [
      [{ url: 'https://a.test/*' }, 'mock rules must be a JSON array of rules, got an object'],
      [[{ url: 'https://a.test/*' }, { status: 200 }], "rule [1]: 'url' is missing"],
      [[{ url: '/a(b/' }], "rule [0]: 'url' /a(b/ is not a valid regular expression"],
      [[{ url: 'https://a.test/', method: 'SEND' }], `rule [0]: 'method' "SEND" is not an HTTP method`],
      [[{ url: 'https://a.test/' }, { url: 'https://b.test/', status: 700 }], "rule [1]: 'status' must be an integer from 200 to 599, got 700"],
      [[{ url: 'https://a.test/', delayMs: -5 }], "rule [0]: 'delayMs' must be a number of milliseconds"],
    ];
    for (const [i, [rules, message]] of cases.entries()) {
      const file = s.write(`rules-${i}.json`, rules);
      await expectBadInput(['run', handler, '--event', event, '--mock', file], `${file}: ${message}`);
    }
    const broken = s.write('rules-broken.json', '[{"url": "https://a.test/*"},]');
    await expectBadInput(['run', handler, '--event', event, '--mock', broken], `${broken}: invalid JSON at 1:30`);
  });

  it('validates the settings file and function.json', async () => {
    await expectBadInput(['run', handler, '--event', event, '--settings', s.write('settings-array.json', '[1]')], 'settings must be a JSON object');
    await expectBadInput(['run', handler, '--event', event, '--settings', s.write('settings-bad.json', '{"a": 1')], 'invalid JSON at 1:8');
    s.write('bad-meta/handler.js', HANDLER);
    const meta = s.write('bad-meta/function.json', '{"settings": [{"name": "api key"}]}');
    await expectBadInput(['run', s.path('bad-meta'), '--event', event], `${meta}: settings[0]: 'name' must be a JavaScript identifier`);
    s.write('broken-meta/handler.js', HANDLER);
    const brokenMeta = s.write('broken-meta/function.json', '{"settings": [}');
    await expectBadInput(['run', s.path('broken-meta'), '--event', event], `${brokenMeta}: invalid JSON at 1:15`);
  });

  it('reports a required setting without a value as Invalid Settings (exit 1) without running', async () => {
    s.write('needs-key/handler.js', 'throw new Error("must not run");\n');
    s.write('needs-key/function.json', {
      displayName: 'Needs key',
      settings: [{ name: 'apiKey', label: 'API Key', description: '', type: 'STRING', required: true, sensitive: true }],
    });
    const r = await runCli(['run', s.path('needs-key'), '--event', event, '--json']);
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout) as { outcome: string; error: { message: string } };
    expect(out.outcome).toBe('Invalid Settings');
    expect(out.error.message).toContain('Missing required setting "API Key" (apiKey) (encrypted)');
  });
});
