/**
 * Secrets given with --settings are masked in what `fnstudio run` prints: by name for a
 * bare handler.js (and undeclared keys of a folder), and whatever the name with --secret.
 */
import { describe, it, expect, afterAll } from 'vitest';
import { Scratch, assertBuilt, runCli } from './test-support';

const HANDLER = `
async function onTrack(event, settings) {
  console.log('settings', JSON.stringify(settings));
  const res = await fetch('https://api.example.test/v1?key=' + settings.apiKey, {
    method: 'POST',
    headers: { authorization: 'Bearer ' + settings.authToken, 'x-team': settings.teamCode },
    body: JSON.stringify({ region: settings.region, pw: settings.db_password }),
  });
  if (event.event === 'Fail') throw new Error('rejected with ' + settings.teamCode + ' and ' + settings.clientsecret);
  return settings;
}
`;

const SETTINGS = {
  apiKey: 'ak_live_1234567890',
  authToken: 'tok_abcdefghijkl',
  db_password: 'hunter2hunter2',
  clientsecret: 'cs_zyxwvutsrq',
  teamCode: 'TEAM-ORANGE-77',
  region: 'eu-west-1',
};
const NAMED_SECRETS = ['ak_live_1234567890', 'tok_abcdefghijkl', 'hunter2hunter2', 'cs_zyxwvutsrq'];

const scratch = new Scratch();
afterAll(() => scratch.remove());
const mock = [{ url: 'https://api.example.test/*', status: 200, body: { ok: true } }];

describe('fnstudio run masks secrets given with --settings', () => {
  it('masks values whose names look secret for a bare handler.js, in the report and in --json', async () => {
    assertBuilt();
    const handler = scratch.write('bare/handler.js', HANDLER);
    const settings = scratch.write('bare/settings.json', SETTINGS);
    const event = scratch.write('bare/event.json', { type: 'track', event: 'Fail', userId: 'u' });
    const rules = scratch.write('bare/mocks.json', mock);
    for (const extra of [[], ['--json']]) {
      const res = await runCli(['run', handler, '--event', event, '--settings', settings, '--mock', rules, '--offline', ...extra]);
      expect(res.code).toBe(1);
      const out = res.stdout + res.stderr;
      for (const secret of NAMED_SECRETS) expect(out).not.toContain(secret);
      expect(out).toContain('••••');
      // Not secret by name: printed as given.
      expect(out).toContain('eu-west-1');
      expect(out).toContain('TEAM-ORANGE-77');
    }
  }, 90_000);

  it('masks a plainly named setting given with --secret, repeatable', async () => {
    const handler = scratch.write('marked/handler.js', HANDLER);
    const settings = scratch.write('marked/settings.json', SETTINGS);
    const event = scratch.write('marked/event.json', { type: 'track', event: 'Fail', userId: 'u' });
    const rules = scratch.write('marked/mocks.json', mock);
    const res = await runCli(['run', handler, '--event', event, '--settings', settings, '--mock', rules, '--secret', 'teamCode', '--secret', 'region', '--json']);
    expect(res.code).toBe(1);
    expect(res.stdout).not.toContain('TEAM-ORANGE-77');
    expect(res.stdout).not.toContain('eu-west-1');
    const report = JSON.parse(res.stdout) as { error: { message: string }; requests: Array<{ headers: Record<string, string> }> };
    expect(report.error.message).toMatch(/rejected with ••••/);
    expect(report.requests[0].headers['x-team']).toMatch(/^••••/);
  }, 90_000);

  it('masks undeclared secret-looking keys of a folder, but follows function.json for declared ones', async () => {
    const dir = scratch.path('folder');
    scratch.write('folder/handler.js', HANDLER);
    scratch.write('folder/function.json', {
      displayName: 'Masking',
      settings: [
        { name: 'apiKey', type: 'STRING', required: true, sensitive: false },
        { name: 'region', type: 'STRING', required: false, sensitive: true },
      ],
    });
    const settings = scratch.write('folder-settings.json', SETTINGS);
    const event = scratch.write('folder-event.json', { type: 'track', event: 'Ok', userId: 'u' });
    const res = await runCli(['run', dir, '--event', event, '--settings', settings, '--mock', scratch.write('folder-mocks.json', mock), '--json']);
    expect(res.code).toBe(0);
    // apiKey is declared not sensitive: shown. region is declared sensitive: masked.
    expect(res.stdout).toContain('ak_live_1234567890');
    expect(res.stdout).not.toContain('eu-west-1');
    for (const secret of ['tok_abcdefghijkl', 'hunter2hunter2', 'cs_zyxwvutsrq']) expect(res.stdout).not.toContain(secret);
  }, 90_000);

  it('refuses --secret naming no given setting, with exit status 2', async () => {
    const handler = scratch.write('typo/handler.js', HANDLER);
    const settings = scratch.write('typo/settings.json', { apiKey: 'x' });
    const event = scratch.write('typo/event.json', { type: 'track', event: 'Ok', userId: 'u' });
    const res = await runCli(['run', handler, '--event', event, '--settings', settings, '--secret', 'apiKye']);
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(/--secret apiKye: there is no setting of that name to mask \(settings given: apiKey\)/);
  }, 90_000);
});
