/**
 * `fnstudio run` on a function folder whose encrypted setting lives in the OS keychain:
 * a real gnome-keyring in a private D-Bus session (never the developer's own), and no
 * D-Bus session at all.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { spawn } from 'node:child_process';
import { chmodSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { BIN, REPO_ROOT, Scratch, assertBuilt, runCli, COLLECTOR_META, collectOutput } from './test-support';

const SECRET = 'sk_live_51HxQ2eKc9pTzVb7';

const HANDLER = `async function onTrack(event, settings) {
  console.log('key is', settings.apiKey);
  return { gotKey: settings.apiKey === ${JSON.stringify(SECRET)}, endpoint: settings.endpoint, echo: settings.apiKey };
}
`;

/** Runs a bash script inside a fresh D-Bus session with an unlocked, empty gnome-keyring. */
function inPrivateKeyring(script: string, scratch: Scratch): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const home = scratch.path('keyring-home');
  const dirs = { XDG_DATA_HOME: 'data', XDG_CONFIG_HOME: 'config', XDG_CACHE_HOME: 'cache', XDG_RUNTIME_DIR: 'run' };
  const env: NodeJS.ProcessEnv = { ...process.env, HOME: home, NO_COLOR: '1' };
  delete env.FORCE_COLOR;
  for (const [key, sub] of Object.entries(dirs)) {
    const dir = path.join(home, sub);
    mkdirSync(dir, { recursive: true });
    env[key] = dir;
  }
  chmodSync(env.XDG_RUNTIME_DIR as string, 0o700);
  const full = `echo -n test-pass | gnome-keyring-daemon --unlock --components=secrets >/dev/null\n${script}`;
  return collectOutput(spawn('dbus-run-session', ['--', 'bash', '-c', full], { env, cwd: REPO_ROOT }));
}

describe('fnstudio run with encrypted settings in the OS keychain', () => {
  const s = new Scratch();
  let fnDir: string;
  let event: string;
  beforeAll(() => {
    assertBuilt();
    fnDir = s.path('collector');
    s.write('collector/handler.js', HANDLER);
    s.write('collector/function.json', COLLECTOR_META);
    // Stored test values: the non-secret value, and only the NAME of the encrypted one.
    s.write('collector/settings.local.json', { values: { endpoint: 'https://collector.example.test' }, secretsSet: ['apiKey'] });
    event = s.write('track.json', { type: 'track', event: 'Signed Up', userId: 'u1' });
  });
  afterAll(() => s.remove());

  it('passes the keychain value to the handler and masks it in the output', async () => {
    const setSecret = `node -e "new (require('./out/main/core/secrets').KeytarSecretStore)().set('collector/apiKey', process.argv[1]).then(() => process.exit(0), (e) => { console.error(e); process.exit(3); })" '${SECRET}'`;
    const r = await inPrivateKeyring(`${setSecret} && node '${BIN}' run '${fnDir}' --event '${event}' --json`, s);
    // dbus-daemon may complain on stderr about fd limits in containers; only the exit counts.
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).not.toContain('fnstudio');
    const out = JSON.parse(r.stdout) as { outcome: string; result: { gotKey: boolean; endpoint: string; echo: string }; logs: Array<{ message: string }> };
    expect(out.outcome).toBe('Success');
    expect(out.result.gotKey).toBe(true);
    expect(out.result.endpoint).toBe('https://collector.example.test');
    expect(r.stdout).not.toContain(SECRET);
    expect(out.result.echo).toMatch(/^••••/);
    expect(out.logs[0].message).toMatch(/^key is ••••/);
  });

  it('refuses to run (Invalid Settings, exit 1) when the keychain cannot be reached', async () => {
    const r = await runCli(['run', fnDir, '--event', event, '--json'], {
      env: { DBUS_SESSION_BUS_ADDRESS: `unix:path=${s.path('no-such-bus')}` },
    });
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout) as { outcome: string; error: { message: string } };
    expect(out.outcome).toBe('Invalid Settings');
    expect(out.error.message).toMatch(/API Key.*cannot be read: .*keychain/i);
  });

  it('lets --settings override the stored values without touching the keychain', async () => {
    const overrides = s.write('override.json', { apiKey: SECRET, endpoint: 'https://other.example.test' });
    const r = await runCli(['run', fnDir, '--event', event, '--settings', overrides, '--json'], {
      env: { DBUS_SESSION_BUS_ADDRESS: `unix:path=${s.path('no-such-bus')}` },
    });
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { result: { gotKey: boolean; endpoint: string } };
    expect(out.result).toMatchObject({ gotKey: true, endpoint: 'https://other.example.test' });
    expect(r.stdout).not.toContain(SECRET);
  });
});
