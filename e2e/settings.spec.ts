/**
 * Issue 4 in the browser: build a settings schema with its live preview, enter test values
 * (the encrypted one goes to the real OS keychain through the web host), run a function
 * that logs and sends the secret, and find it only masked on the page.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { editorText, expect, screenshot, setEditorText, test } from './fixtures';
import { addRequiredSecretSetting, addSetting, createFunction, expectOutcome, openSettingsPanel, pageExposure, saveCodeWithTrackEvent } from './settings-helpers';

const SECRET = 'sk_live_e2e_Secret_9876';
const MASKED = '••••9876';

function findFile(dir: string, name: string): string {
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile() && entry.name === name) return join(entry.parentPath, entry.name);
  }
  throw new Error(`no ${name} under ${dir}`);
}

test('settings builder, live preview, test values in the keychain, redacted runs, Invalid Settings', async ({ page, studio, echoServer }) => {
  await page.goto(studio.url);
  await createFunction(page, 'Secret Sender');

  const code = [
    'async function onTrack(event, settings) {',
    "  console.log('calling with key', settings.apiKey, 'verbose', settings.verbose);",
    "  const res = await fetch(settings.endpointUrl + '/collect?key=' + settings.apiKey, {",
    "    method: 'POST',",
    "    headers: { 'Content-Type': 'application/json', Authorization: 'Bearer ' + settings.apiKey },",
    '    body: JSON.stringify({ key: settings.apiKey, event: event.event }),',
    '  });',
    '  return { status: res.status, sentKey: settings.apiKey };',
    '}',
    '',
  ].join('\n');
  await saveCodeWithTrackEvent(page, code);

  const panel = await openSettingsPanel(page);
  const preview = panel.getByRole('region', { name: 'Preview' });
  await expect(preview).toContainText('No settings yet');

  // 1. A required STRING: the preview follows the label as it is typed.
  let editor = await addSetting(page, 'Endpoint');
  await expect(preview.locator('.pv-label')).toHaveText('Endpoint');
  await expect(editor.getByLabel('Name')).toHaveValue('endpoint');
  await editor.getByLabel('Label').pressSequentially(' URL', { delay: 15 });
  await expect(preview.locator('.pv-label')).toHaveText('Endpoint URL');
  await expect(preview).toContainText('settings.endpointUrl');
  await editor.getByLabel('Description').fill('Where events are sent');
  await expect(preview).toContainText('Where events are sent');
  await expect(preview.locator('.pv-required')).toHaveCount(0);
  await editor.getByLabel('Required').check();
  await expect(preview.getByTestId('preview-field').first().locator('.pv-required')).toBeVisible();

  // 2. An encrypted, required STRING.
  editor = await addSetting(page, 'API Key');
  await expect(editor.getByLabel('Name')).toHaveValue('apiKey');
  await editor.getByLabel('Required').check();
  await editor.getByLabel('Encrypted').check();
  const keyField = preview.locator('[data-setting="apiKey"]');
  await expect(keyField).toContainText('Encrypted');
  await expect(keyField.locator('input[type="password"]')).toBeVisible();

  // 3. A BOOLEAN; its name is validated inline.
  editor = await addSetting(page, 'Verbose logging');
  await editor.getByLabel('Type').selectOption('BOOLEAN');
  await expect(preview.getByRole('switch', { name: 'Verbose logging' })).toBeVisible();
  await editor.getByLabel('Name').fill('verbose logging');
  await expect(editor).toContainText('Name must be a JavaScript identifier');
  await editor.getByLabel('Name').fill('apiKey');
  await expect(editor).toContainText('Another setting is already named “apiKey”');
  await page.getByRole('button', { name: 'Save settings' }).click();
  await expect(panel).toContainText('Fix the highlighted fields before saving.');
  await editor.getByLabel('Name').fill('verbose');
  await expect(editor.locator('.sb-error')).toHaveCount(0);
  await expect(editor).toContainText('Edited by hand.');

  // Reorder: up moves it in the builder and the preview, down puts it back.
  await page.getByRole('button', { name: 'Move Verbose logging up' }).click();
  await expect(preview.locator('.pv-label')).toHaveText(['Endpoint URL', 'Verbose logging', 'API Key']);
  await page.getByRole('button', { name: 'Move Verbose logging down' }).click();
  await expect(preview.locator('.pv-label')).toHaveText(['Endpoint URL', 'API Key', 'Verbose logging']);
  await expect(preview).toContainText('Save the settings to enter a test value.');
  await screenshot(page, 'settings-01-builder-preview');

  await page.getByRole('button', { name: 'Save settings' }).click();
  await expect(page.getByRole('button', { name: 'Save settings' })).toBeDisabled();
  const functionJson = JSON.parse(readFileSync(findFile(studio.workspace, 'function.json'), 'utf8')) as { settings: unknown };
  expect(functionJson.settings).toEqual([
    { name: 'endpointUrl', label: 'Endpoint URL', description: 'Where events are sent', type: 'STRING', required: true, sensitive: false },
    { name: 'apiKey', label: 'API Key', description: '', type: 'STRING', required: true, sensitive: true },
    { name: 'verbose', label: 'Verbose logging', description: '', type: 'BOOLEAN', required: false, sensitive: false },
  ]);
  await expect(panel.getByTestId('keychain-banner')).toHaveCount(0);

  // Test values: plain ones into settings.local.json, the encrypted one into the keychain.
  const endpoint = preview.getByLabel('Endpoint URL', { exact: true });
  await endpoint.fill(echoServer.origin);
  await endpoint.press('Enter');
  await expect(preview.locator('[data-setting="endpointUrl"]')).toContainText('Saved');
  const keyInput = keyField.locator('input[type="password"]');
  await keyInput.fill(SECRET);
  await keyInput.press('Enter');
  await expect(keyField.getByTestId('secret-mask')).toContainText('set · in keychain');
  await expect(keyField).toContainText('Saved in the OS keychain');
  await preview.getByRole('switch', { name: 'Verbose logging' }).click();
  await expect(preview.getByRole('switch', { name: 'Verbose logging' })).toHaveAttribute('aria-checked', 'true');
  const localValues = readFileSync(findFile(studio.workspace, 'settings.local.json'), 'utf8');
  expect(localValues).toContain(echoServer.origin);
  expect(localValues).not.toContain(SECRET);
  expect(await pageExposure(page)).not.toContain(SECRET);
  await screenshot(page, 'settings-02-test-values');

  // Run: the function logs and sends the key; the page only ever shows it masked.
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  const output = page.getByRole('region', { name: 'Output' });
  await expectOutcome(page, 'Success');
  await expect(output.getByRole('list', { name: 'Console output' })).toContainText(`calling with key ${MASKED} verbose true`);
  const requests = output.getByRole('list', { name: 'Requests' });
  await expect(requests.locator('summary').first()).toContainText(`${echoServer.origin}/collect?key=${MASKED}`);
  await requests.locator('summary').first().click();
  await expect(requests).toContainText(`Bearer ${MASKED}`);
  await expect(requests).toContainText(`"key": "${MASKED}"`);
  await expect(output.getByLabel('Return value')).toContainText(MASKED);
  // The real request carried the real key.
  expect(echoServer.received).toHaveLength(1);
  expect(echoServer.received[0].headers.authorization).toBe(`Bearer ${SECRET}`);
  expect(await pageExposure(page)).not.toContain(SECRET);
  await screenshot(page, 'settings-03-redacted-run');

  // Reveal on explicit request, then hide again.
  await keyField.getByRole('button', { name: 'Reveal API Key' }).click();
  await expect(keyField.getByLabel('API Key (revealed)')).toHaveValue(SECRET);
  await screenshot(page, 'settings-04-revealed');
  await keyField.getByRole('button', { name: 'Hide' }).click();
  await expect(keyField.getByTestId('secret-mask')).toBeVisible();
  expect(await pageExposure(page)).not.toContain(SECRET);

  // Reload: the secret is still in the keychain and the run still succeeds.
  await page.reload();
  await expect.poll(() => editorText(page)).toContain('calling with key');
  await page.getByRole('tab', { name: 'Settings' }).click();
  await expect(keyField.getByTestId('secret-mask')).toContainText('set · in keychain');
  await expect(preview.getByLabel('Endpoint URL', { exact: true })).toHaveValue(echoServer.origin);
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  await expectOutcome(page, 'Success');
  await expect(output.getByRole('list', { name: 'Console output' })).toContainText(`calling with key ${MASKED}`);
  expect(echoServer.received).toHaveLength(2);
  expect(echoServer.received[1].headers.authorization).toBe(`Bearer ${SECRET}`);
  expect(await pageExposure(page)).not.toContain(SECRET);

  // Clearing a required value: Invalid Settings naming the setting, and nothing is sent.
  const endpointAgain = preview.getByLabel('Endpoint URL', { exact: true });
  await endpointAgain.fill('');
  await endpointAgain.press('Enter');
  await expect(preview.locator('[data-setting="endpointUrl"]')).toContainText('Cleared');
  await expect(preview.locator('[data-setting="endpointUrl"]')).toContainText('Required: runs are refused with Invalid Settings until it has a test value.');
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  await expectOutcome(page, 'Invalid Settings');
  await expect(output).toContainText('Endpoint URL');
  expect(echoServer.received).toHaveLength(2);
  await screenshot(page, 'settings-05-invalid-settings');

  // Renaming the encrypted setting (its name follows the label) moves its secret in the keychain.
  await panel.getByRole('button', { name: 'Edit setting 2: API Key' }).click();
  await panel.getByTestId('setting-editor').getByLabel('Label').fill('Partner API Key');
  await expect(panel.getByTestId('setting-editor').getByLabel('Name')).toHaveValue('partnerApiKey');
  await panel.getByRole('button', { name: 'Save settings' }).click();
  await expect(panel.getByRole('button', { name: 'Save settings' })).toBeDisabled();
  const renamed = preview.locator('[data-setting="partnerApiKey"]');
  await expect(renamed.getByTestId('secret-mask')).toContainText('set · in keychain');
  await renamed.getByRole('button', { name: 'Reveal Partner API Key' }).click();
  await expect(renamed.getByLabel('Partner API Key (revealed)')).toHaveValue(SECRET);
  await renamed.getByRole('button', { name: 'Hide' }).click();
  expect(await pageExposure(page)).not.toContain(SECRET);
});

// The web host started without a reachable Secret Service (no D-Bus session bus).
const withoutKeychain = test.extend({
  scratch: async ({ scratch }, use) => {
    const saved = process.env.DBUS_SESSION_BUS_ADDRESS;
    process.env.DBUS_SESSION_BUS_ADDRESS = `unix:path=${join(scratch, 'no-such-bus')}`;
    try {
      await use(scratch);
    } finally {
      if (saved === undefined) delete process.env.DBUS_SESSION_BUS_ADDRESS;
      else process.env.DBUS_SESSION_BUS_ADDRESS = saved;
    }
  },
});

withoutKeychain('without a keychain: a banner names the problem and runs needing the secret are refused', async ({ page, studio }) => {
  await page.goto(studio.url);
  await createFunction(page, 'No Keychain');
  await setEditorText(page, "async function onTrack(event, settings) {\n  console.log('key', settings.token);\n}\n");
  await page.getByLabel('Load event').selectOption('sample:track');

  await page.getByRole('tab', { name: 'Settings' }).click();
  const panel = page.getByRole('region', { name: 'Settings', exact: true });
  await addRequiredSecretSetting(page, 'Token');

  const banner = panel.getByTestId('keychain-banner');
  await expect(banner).toContainText('The OS keychain is unavailable');
  await expect(banner).toContainText('runs that need them are refused with Invalid Settings');
  const field = panel.getByRole('region', { name: 'Preview' }).locator('[data-setting="token"]');
  await expect(field.locator('input[type="password"]')).toBeDisabled();
  await expect(field.locator('input[type="password"]')).toHaveAttribute('placeholder', 'Keychain unavailable');
  // It never asks for a value that cannot be entered now; the raw reason waits behind Details.
  await expect(field).toContainText('while the OS keychain cannot be used');
  await expect(field).not.toContainText('until it has a test value');
  await expect(banner.getByTestId('keychain-detail')).toBeHidden();
  await banner.getByText('Details').click();
  await expect(banner.getByTestId('keychain-detail')).toBeVisible();
  await field.scrollIntoViewIfNeeded();
  await screenshot(page, 'settings-06-no-keychain');

  await page.getByRole('button', { name: 'Run', exact: true }).click();
  const output = page.getByRole('region', { name: 'Output' });
  await expectOutcome(page, 'Invalid Settings');
  await expect(output).toContainText('Token');
  await screenshot(page, 'settings-07-no-keychain-run');
});

test('TEXT_MAP rows and ARRAY lists as test values, drag to reorder, dark theme', async ({ page, studio }) => {
  await page.goto(studio.url);
  await createFunction(page, 'Maps And Lists');
  await setEditorText(page, "async function onTrack(event, settings) {\n  console.log(JSON.stringify(settings));\n}\n");
  await page.getByLabel('Load event').selectOption('sample:track');
  const panel = await openSettingsPanel(page);
  const preview = panel.getByRole('region', { name: 'Preview' });

  let editor = await addSetting(page, 'Extra headers');
  await editor.getByLabel('Type').selectOption('TEXT_MAP');
  await editor.getByLabel('Description').fill('Sent with every request');
  editor = await addSetting(page, 'Regions');
  await editor.getByLabel('Type').selectOption('ARRAY');
  await expect(preview.getByRole('group', { name: 'Extra headers' })).toBeVisible();
  await expect(preview.getByRole('group', { name: 'Regions' })).toBeVisible();

  // Drag the second card's grip onto the first: both builder and preview follow.
  await panel.locator('.sb-card').nth(1).locator('.sb-grip').dragTo(panel.locator('.sb-card').nth(0));
  await expect(preview.locator('.pv-label')).toHaveText(['Regions', 'Extra headers']);
  // Ctrl/⌘+S inside the tab saves the settings, not the (unsaved) code.
  await panel.getByTestId('setting-editor').getByLabel('Label').focus();
  await page.keyboard.press('ControlOrMeta+S');
  await expect(panel.getByRole('button', { name: 'Save settings' })).toBeDisabled();
  await expect(page.getByRole('img', { name: 'unsaved changes' })).toBeVisible();

  const headers = preview.getByRole('group', { name: 'Extra headers' });
  await headers.getByLabel('Extra headers: key 1').fill('x-team');
  await headers.getByLabel('Extra headers: value 1').fill('growth');
  await headers.getByRole('button', { name: '+ Add row' }).click();
  await headers.getByLabel('Extra headers: key 2').fill('x-team');
  await headers.getByLabel('Extra headers: value 2').fill('dup');
  await headers.getByLabel('Extra headers: key 1').click();
  await expect(preview.locator('[data-setting="extraHeaders"]')).toContainText('Key “x-team” appears twice; keys must be unique.');
  await headers.getByLabel('Extra headers: key 2').fill('x-env');
  await headers.getByLabel('Extra headers: value 2').fill('test');
  await headers.getByLabel('Extra headers: key 1').click();
  await expect(preview.locator('[data-setting="extraHeaders"]')).toContainText('Saved');

  const regions = preview.getByRole('group', { name: 'Regions' });
  await regions.getByLabel('Regions: item 1').fill('eu-west-1');
  await regions.getByRole('button', { name: '+ Add item' }).click();
  await regions.getByLabel('Regions: item 2').fill('us-east-1');
  await regions.getByLabel('Regions: item 2').press('Enter');
  await expect(preview.locator('[data-setting="regions"]')).toContainText('Saved');
  await expect(preview.getByRole('group', { name: 'Regions' }).getByLabel('Regions: item 2')).toHaveValue('us-east-1');

  await page.getByRole('button', { name: 'Run', exact: true }).click();
  const output = page.getByRole('region', { name: 'Output' });
  await expectOutcome(page, 'Success');
  await expect(output.getByRole('list', { name: 'Console output' })).toContainText(
    '{"regions":["eu-west-1","us-east-1"],"extraHeaders":{"x-team":"growth","x-env":"test"}}',
  );
  await page.emulateMedia({ colorScheme: 'dark' });
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await screenshot(page, 'settings-08-maps-lists-dark');

  // Deleting asks first; cancelling keeps the setting, confirming removes it once saved.
  await panel.getByRole('button', { name: 'Delete Extra headers' }).click();
  const confirmDialog = page.getByRole('dialog', { name: 'Delete setting' });
  await expect(confirmDialog).toContainText('Delete the setting “Extra headers”? When you save, its test value is removed too.');
  await confirmDialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(preview.locator('.pv-label')).toHaveText(['Regions', 'Extra headers']);
  await panel.getByRole('button', { name: 'Delete Extra headers' }).click();
  await page.getByRole('dialog', { name: 'Delete setting' }).getByRole('button', { name: 'Delete' }).click();
  await expect(preview.locator('.pv-label')).toHaveText(['Regions']);
  await panel.getByRole('button', { name: 'Save settings' }).click();
  await expect(panel.getByRole('button', { name: 'Save settings' })).toBeDisabled();
  const saved = JSON.parse(readFileSync(findFile(studio.workspace, 'function.json'), 'utf8')) as { settings: Array<{ name: string }> };
  expect(saved.settings.map((s) => s.name)).toEqual(['regions']);
  const values = JSON.parse(readFileSync(findFile(studio.workspace, 'settings.local.json'), 'utf8')) as unknown;
  expect(JSON.stringify(values)).not.toContain('x-team');
});

test('function.json edited on disk: adopted when the builder is clean, a banner when it has edits', async ({ page, studio }) => {
  await page.goto(studio.url);
  await createFunction(page, 'Edited Outside');
  await page.getByRole('tab', { name: 'Settings' }).click();
  const panel = page.getByRole('region', { name: 'Settings', exact: true });
  const preview = panel.getByRole('region', { name: 'Preview' });

  const file = findFile(studio.workspace, 'function.json');
  const writeSettings = (settings: unknown[]) => {
    const meta = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    writeFileSync(file, `${JSON.stringify({ ...meta, settings }, null, 2)}\n`);
  };
  const region = { name: 'region', label: 'Region', description: 'From git', type: 'STRING', required: false, sensitive: false };
  writeSettings([region]);
  await expect(preview.locator('.pv-label')).toHaveText(['Region']);
  await expect(preview).toContainText('From git');

  await addSetting(page, 'Local edit');
  writeSettings([region, { ...region, name: 'team', label: 'Team' }]);
  await expect(panel.getByRole('alert').filter({ hasText: 'changed on disk' })).toBeVisible();
  await expect(preview.locator('.pv-label')).toHaveText(['Region', 'Local edit']);
  await panel.getByRole('button', { name: 'Load from disk' }).click();
  await expect(preview.locator('.pv-label')).toHaveText(['Region', 'Team']);
  await expect(panel.getByRole('alert').filter({ hasText: 'changed on disk' })).toHaveCount(0);
  await expect(panel.getByRole('button', { name: 'Save settings' })).toBeDisabled();
});
