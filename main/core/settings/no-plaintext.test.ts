/**
 * The promise of issue 4: an encrypted setting's value lives in the OS keychain and
 * nowhere else. A function that logs its secret and sends it in every part of a request
 * runs in the real runtime; afterwards the workspace folder, the preferences folder and the outcome the hosts
 * show are searched for the plaintext (and its common encodings).
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FunctionSetting } from '../../contract/function';
import { createRuntime } from '../../../runtime';
import type { Runtime } from '../../../runtime/api';
import { ConfPreferencesStore } from '../preferences/conf-store';
import { createPreferencesService } from '../preferences-service';
import { maskSecret, redactOutcome } from '../redact';
import { KeytarSecretStore } from '../secrets/keytar-store';
import { requireSessionBus } from '../secrets/private-keyring.testkit';
import { startFakeSegment } from '../remote/fake-segment/server';
import { FunctionsClient, type WaitNotice } from '../remote/functions-client';
import { RemoteStore, tokenKey } from '../remote/remotes';
import { SyncEngine } from '../sync/sync-engine';
import { deleteFunctionSecrets } from './function-settings';
import { resolveSettings } from './resolve';
import { createSettingsService } from './service';

const SECRET = `sk_live_${randomBytes(12).toString('hex')}`;
const SERVICE = `fnstudio-test-${randomBytes(4).toString('hex')}`;
const FUNCTION_ID = 'leaky-function';

const SCHEMA: FunctionSetting[] = [
  { name: 'apiKey', label: 'API Key', description: 'Bearer token', type: 'STRING', required: true, sensitive: true },
  { name: 'endpoint', label: 'Endpoint', description: '', type: 'STRING', required: true, sensitive: false },
];

/** Logs the secret, sends it in the URL, headers and body, and throws it. */
const HANDLER = `async function onTrack(event, settings) {
  console.log('using key', settings.apiKey);
  const res = await fetch(settings.endpoint + '?key=' + encodeURIComponent(settings.apiKey), {
    method: 'POST',
    headers: { Authorization: 'Bearer ' + settings.apiKey, 'X-Basic': 'Basic ' + btoa('user:' + settings.apiKey) },
    body: JSON.stringify({ key: settings.apiKey, event: event.event }),
  });
  throw new Error('upstream rejected ' + settings.apiKey + ': ' + (await res.text()));
}
`;

let root: string;
let workspace: string;
let prefsDir: string;
const store = new KeytarSecretStore({ service: SERVICE });
let runtime: Runtime;

beforeAll(() => {
  requireSessionBus();
  runtime = createRuntime({ workers: 1 });
  root = mkdtempSync(join(tmpdir(), 'fnstudio-noplain-'));
  workspace = join(root, 'workspace');
  prefsDir = join(root, 'config', 'fnstudio');
  mkdirSync(join(workspace, FUNCTION_ID), { recursive: true });
  writeFileSync(
    join(workspace, FUNCTION_ID, 'function.json'),
    JSON.stringify({ displayName: 'Leaky', description: '', resourceType: 'DESTINATION', settings: SCHEMA }, null, 2),
  );
  writeFileSync(join(workspace, FUNCTION_ID, 'handler.js'), HANDLER);
});
afterAll(async () => {
  await runtime.close();
  await deleteFunctionSecrets({ functionDir: join(workspace, FUNCTION_ID), functionId: FUNCTION_ID, secretStore: store }, SCHEMA);
  rmSync(root, { recursive: true, force: true });
});

function allFileText(dir: string): string {
  let text = '';
  for (const entry of readdirSync(dir)) {
    const p = join(dir, entry);
    text += statSync(p).isDirectory() ? allFileText(p) : `${readFileSync(p).toString('latin1')}\n`;
  }
  return text;
}

function forms(secret: string): string[] {
  return [secret, encodeURIComponent(secret), Buffer.from(secret).toString('base64').slice(0, 16), JSON.stringify(secret)];
}

describe('no plaintext secret outside the keychain', () => {
  it('after entering test values, running and saving preferences, only the keychain holds the secret', async () => {
    const settings = createSettingsService({
      secretStore: store,
      locate: async (id) => ({ functionDir: join(workspace, id), schema: SCHEMA }),
    });
    await settings.setTestValue(FUNCTION_ID, 'apiKey', SECRET);
    await settings.setTestValue(FUNCTION_ID, 'endpoint', 'https://collect.example.test/v1');
    const preferences = createPreferencesService(new ConfPreferencesStore({ dir: prefsDir }));
    await preferences.set({ lastFunctionId: FUNCTION_ID, workspacePath: workspace, paneSizes: { output: 0.3 } });

    const resolved = await resolveSettings({
      functionDir: join(workspace, FUNCTION_ID),
      functionId: FUNCTION_ID,
      schema: SCHEMA,
      secretStore: store,
    });
    expect(resolved.values.apiKey).toBe(SECRET);
    expect(resolved.secrets).toEqual([SECRET]);

    const raw = await runtime.invoke({
      functionId: FUNCTION_ID,
      code: HANDLER,
      filename: 'handler.js',
      input: { type: 'track', event: 'Order Completed', userId: 'u1', messageId: 'm1' },
      settings: resolved.values,
      network: {
        mockRules: [{ method: 'POST', url: 'https://collect.example.test/*', status: 401, body: 'denied' }],
        offline: true,
      },
    });
    // The function really leaked it everywhere: logs, URL, headers, body, error.
    expect(raw.outcome).toBe('Bad Request');
    expect(raw.logs[0].message).toContain(SECRET);
    expect(raw.requests[0].url).toContain(encodeURIComponent(SECRET));
    expect(raw.requests[0].body).toContain(SECRET);
    expect(raw.error?.message).toContain(SECRET);
    const basic = Buffer.from(`user:${SECRET}`).toString('base64');
    expect(JSON.stringify(raw.requests[0].headers)).toContain(basic);
    const shown = redactOutcome(raw, resolved.secrets);

    const shownText = JSON.stringify(shown);
    const workspaceText = allFileText(workspace);
    const prefsText = allFileText(prefsDir);
    expect(prefsText).toContain(FUNCTION_ID);
    expect(shownText).not.toContain(basic.slice(8, 40));
    for (const form of forms(SECRET)) {
      expect(shownText).not.toContain(form);
      expect(workspaceText).not.toContain(form);
      expect(prefsText).not.toContain(form);
    }
    expect(shown.logs[0].message).toBe(`using key ${maskSecret(SECRET)}`);
    expect(shown.requests[0].headers.authorization).toBe(`Bearer ${maskSecret(SECRET)}`);
    expect((await settings.getTestValues(FUNCTION_ID)).secretsSet).toEqual({ apiKey: true });
    // And the secret is where it belongs, retrievable on explicit request.
    expect(await settings.revealSecret(FUNCTION_ID, 'apiKey')).toBe(SECRET);
  });
});

describe('no Public API token outside the keychain (issue 8)', () => {
  it('after adding a remote, pulling, pushing, a conflict and every error class, only the keychain holds the token', async () => {
    const token = `seg_pat_${randomBytes(16).toString('hex')}`;
    const fake = await startFakeSegment({ token, workspaceName: 'Scan' });
    const remotes = new RemoteStore({ configDir: prefsDir, secretStore: store, clientOptions: { backoffBaseMs: 1, maxAttempts: 2 } });
    const seen: string[] = [];
    const waits: WaitNotice[] = [];
    const logged: string[] = [];
    const originalLog = console.log;
    const originalError = console.error;
    console.log = (...args: unknown[]) => void logged.push(args.map(String).join(' '));
    console.error = (...args: unknown[]) => void logged.push(args.map(String).join(' '));
    try {
      fake.seed({ displayName: 'Scanned', code: 'async function onTrack() {}\n' });
      const added = await remotes.add({ name: 'scan', apiUrl: fake.url, token });
      seen.push(JSON.stringify(added), JSON.stringify(await remotes.list()));
      const engine = new SyncEngine({
        connect: async (name) => {
          const c = await remotes.connect(name, { env: {} });
          return new FunctionsClient({ apiUrl: c.apiUrl, token: c.token, backoffBaseMs: 1, maxAttempts: 2, onWait: (n) => waits.push(n) });
        },
      });
      const pulled = await engine.pull(workspace, 'scan', 'all');
      seen.push(JSON.stringify(pulled));
      const dir = join(workspace, pulled[0].functionId!);
      writeFileSync(join(dir, 'handler.js'), 'async function onTrack() { return 1 }\n');
      seen.push(JSON.stringify(await engine.previewPush(dir)));
      fake.injectFault({ status: 429, msBeforeNext: 5 });
      seen.push(JSON.stringify(await engine.push(dir, { deploy: true })));
      fake.edit(JSON.parse(readFileSync(join(dir, 'function.json'), 'utf8')).remote.functionId, { code: 'async function onTrack() { return 9 }\n' });
      writeFileSync(join(dir, 'handler.js'), 'async function onTrack() { return 2 }\n');
      seen.push(JSON.stringify(await engine.push(dir)), JSON.stringify(await engine.statusAll(workspace)), JSON.stringify(await engine.versions(dir)));
      for (const fault of [{ status: 503, count: 5 }, { status: 0, drop: true, count: 5 }, { status: 429, msBeforeNext: 600_000 }, { status: 401 }, { status: 422 }]) {
        fake.clearFaults();
        fake.injectFault(fault);
        const err = await engine.diff(dir).then(() => null, (e: Error) => e);
        expect(err).not.toBeNull();
        seen.push(String(err), err!.message, err!.stack ?? '', JSON.stringify(err));
      }
      fake.clearFaults();
      const bad = await new FunctionsClient({ apiUrl: fake.url, token: `${token}x`, maxAttempts: 1 }).listFunctions('DESTINATION').catch((e: Error) => e);
      seen.push(bad instanceof Error ? bad.toString() : JSON.stringify(bad), JSON.stringify(bad));
      seen.push(JSON.stringify(waits), JSON.stringify(fake.requests));
    } finally {
      console.log = originalLog;
      console.error = originalError;
      await fake.close();
    }
    expect(waits.length).toBeGreaterThan(0);
    const everything = [...seen, ...logged, allFileText(workspace), allFileText(prefsDir)].join('\n');
    expect(readFileSync(join(prefsDir, 'remotes.json'), 'utf8')).toContain(fake.url);
    for (const form of forms(token)) expect(everything).not.toContain(form);
    expect(await store.get(tokenKey('scan'))).toBe(token);
    await remotes.remove('scan');
  });
});
