/**
 * `fnstudio new` end to end (the built binary): every template makes a folder that
 * `fnstudio test` passes, offline, with no keychain entry.
 */
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { Scratch, assertBuilt, runCli } from './test-support';

let scratch: Scratch;
beforeAll(() => assertBuilt());
beforeEach(() => {
  scratch = new Scratch();
});
afterEach(() => scratch.remove());

describe('fnstudio new', () => {
  it('creates a folder from each template, prints where, and fnstudio test is green on all of them', async () => {
    const ws = scratch.path('functions');
    for (const template of ['default', 'webhook', 'retry', 'validate', 'batch']) {
      const r = await runCli(['new', `My ${template}`, '--template', template, '--workspace', ws]);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      const dir = path.join(ws, `my-${template}`);
      expect(r.stdout).toContain(`Created "My ${template}" from the ${template} template in ${dir}`);
      expect(existsSync(path.join(dir, 'handler.js'))).toBe(true);
      expect(readdirSync(path.join(dir, 'tests')).length).toBeGreaterThan(0);
    }
    const meta = JSON.parse(readFileSync(path.join(ws, 'my-batch', 'function.json'), 'utf8'));
    expect(meta.settings).toEqual([expect.objectContaining({ name: 'endpoint', type: 'STRING', required: true, sensitive: false })]);
    expect(JSON.parse(readFileSync(path.join(ws, 'my-batch', 'mocks.json'), 'utf8'))[0].url).toBe('https://api.example.com/batch');

    const tested = await runCli(['test', '--workspace', ws]);
    expect(tested.stdout).toMatch(/Tests: \d+ passed \(\d+ cases in 5 functions/);
    expect(tested.stdout).not.toContain('✗');
    expect(tested.code).toBe(0);
  });

  it('defaults to the default template, takes FNSTUDIO_WORKSPACE, and numbers a taken name', async () => {
    const ws = scratch.path('env-ws');
    const env = { FNSTUDIO_WORKSPACE: ws, FNSTUDIO_CONFIG_DIR: scratch.path('config') };
    expect((await runCli(['new', 'Enricher'], { env })).code).toBe(0);
    const again = await runCli(['new', 'Enricher'], { env });
    expect(again.code).toBe(0);
    expect(again.stdout).toContain(path.join(ws, 'enricher-2'));
    expect(again.stdout).toContain('from FNSTUDIO_WORKSPACE');
    expect(readFileSync(path.join(ws, 'enricher', 'handler.js'), 'utf8')).toContain('async function onIdentify');
  });

  it.each([
    [['new'], 'missing the name of the new function'],
    [['new', 'a', 'b'], "unexpected argument 'b'"],
    [['new', 'x', '--template', 'nope'], "no template 'nope' (templates: default, webhook, retry, validate, batch)"],
    [['new', 'x'.repeat(101), '--workspace', '.'], 'cannot create'],
  ])('bad input %j exits 2 with a clear message and creates nothing', async (args, message) => {
    const r = await runCli(args, { cwd: scratch.dir, env: { FNSTUDIO_WORKSPACE: scratch.path('untouched') } });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
    expect(existsSync(scratch.path('untouched'))).toBe(false);
  });

  it('--help lists the templates', async () => {
    const r = await runCli(['new', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/webhook\s+POST to a webhook/);
  });
});
