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
