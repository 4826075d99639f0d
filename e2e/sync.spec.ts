/**
 * Issue 8 in the browser, against fake-segment started here: connect a Segment workspace,
 * pull two functions, edit and save, the remote changes underneath → the conflict view,
 * resolved; versions listed and one restored; a 429 shown as a wait; the server stopped
 * mid-push → a clear error with the local edits intact.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { startFakeSegment, type FakeSegment } from '../main/core/remote/fake-segment/server';
import { editorText, expect, screenshot, setEditorText, test as base } from './fixtures';

const TOKEN = 'e2e-public-api-token-7Hk2';
const WEBHOOK_V1 = 'async function onTrack(event) {\n  return "v1";\n}\n';

const test = base.extend<{ fakeSegment: FakeSegment }>({
  // eslint-disable-next-line no-empty-pattern
  fakeSegment: async ({}, use) => {
    const fake = await startFakeSegment({ token: TOKEN, workspaceName: 'E2E Space' });
    fake.seed({ displayName: 'Webhook', code: WEBHOOK_V1 });
    fake.seed({ displayName: 'Mailer', code: 'async function onIdentify() {}\n' });
    fake.seed({ displayName: 'Ingest', code: '', resourceType: 'SOURCE' });
    await use(fake);
    await fake.close();
  },
});

function remoteId(workspace: string, folder: string): string {
  return JSON.parse(readFileSync(join(workspace, folder, 'function.json'), 'utf8')).remote.functionId as string;
}

async function saveEditor(page: Page, code: string): Promise<void> {
  await setEditorText(page, code);
  await page.keyboard.press('ControlOrMeta+S');
  await expect(page.locator('.dirty-label')).toHaveCount(0);
}

test('connect, pull, save, conflict, history and restore, 429 wait, server gone mid-push', async ({ page, studio, scratch, fakeSegment }) => {
  await page.goto(studio.url);

  // Connect.
  await page.getByRole('button', { name: 'Segment workspaces' }).click();
  const dialog = page.getByRole('dialog', { name: 'Segment workspaces' });
  await dialog.getByLabel('Remote name').fill('prod');
  await dialog.getByLabel('Region').selectOption('custom');
  await dialog.getByLabel('API URL').fill(fakeSegment.url);
  await dialog.getByLabel('Public API token').fill(TOKEN);
  await dialog.getByRole('button', { name: 'Connect' }).click();
  await expect(dialog.getByTestId('connect-result')).toContainText('2 destination functions');
  await expect(dialog.getByLabel('Public API token')).toHaveValue('');

  // Pull two functions; the source function is read-only.
  await expect(dialog.getByLabel('Pull Ingest')).toBeDisabled();
  await dialog.getByLabel('Pull Webhook').check();
  await dialog.getByLabel('Pull Mailer').check();
  await dialog.getByRole('button', { name: 'Pull selected' }).click();
  await expect(dialog.getByRole('list', { name: 'Pull results' })).toContainText('created: pulled "Webhook"');
  await expect(dialog.getByRole('list', { name: 'Pull results' })).toContainText('created: pulled "Mailer"');
  await screenshot(page, 'sync-connected');
  await dialog.getByRole('button', { name: 'Close' }).click();
  await expect(page.getByTestId('sync-badge-webhook')).toHaveText('in sync');
  await expect(page.getByTestId('sync-badge-mailer')).toHaveText('in sync');
  const webhookId = remoteId(studio.workspace, 'webhook');

  // Edit and save to Segment, with a diff preview.
  await page.getByRole('button', { name: 'Open Webhook' }).click();
  await expect.poll(() => editorText(page)).toContain('"v1"');
  await saveEditor(page, 'async function onTrack(event) {\n  return "v2";\n}\n');
  await expect(page.getByTestId('sync-badge-webhook')).toHaveText('local changes');
  await page.getByRole('tab', { name: 'Segment' }).click();
  await page.getByRole('button', { name: 'Save to Segment…' }).click();
  const preview = page.getByRole('dialog', { name: 'Save to Segment' });
  await expect(preview.getByTestId('diff-view')).toContainText('"v2"');
  await screenshot(page, 'sync-preview');
  await preview.getByRole('button', { name: 'Confirm Save' }).click();
  await expect(page.getByTestId('push-report')).toContainText(`Saved as ${webhookId}`);
  expect(fakeSegment.get(webhookId)).toMatchObject({ code: 'async function onTrack(event) {\n  return "v2";\n}\n', displayName: 'Webhook (E2E Space)' });
  await expect(page.getByTestId('sync-badge-webhook')).toHaveText('in sync');

  // The remote changes underneath; the next save shows the conflict view.
  fakeSegment.edit(webhookId, { code: 'async function onTrack(event) {\n  return "theirs";\n}\n' });
  await saveEditor(page, 'async function onTrack(event) {\n  return "mine";\n}\n');
  await page.getByRole('button', { name: 'Save to Segment…' }).click();
  const conflict = page.getByRole('dialog', { name: 'Conflict with the Segment workspace' });
  await expect(conflict).toContainText('changed code');
  await expect(conflict.getByTestId('diff-view')).toContainText('"theirs"');
  await expect(conflict.getByTestId('diff-view')).toContainText('"mine"');
  await screenshot(page, 'sync-conflict');
  // Edit the merge on the right-hand side: keep mine, noting theirs.
  await conflict.locator('.editor.modified .view-line').nth(1).click();
  await page.keyboard.press('End');
  await page.keyboard.type(' // merged with theirs');
  await conflict.getByRole('button', { name: 'Use this merge' }).click();
  const afterMerge = page.getByRole('dialog', { name: 'Save to Segment' });
  await afterMerge.getByRole('button', { name: 'Confirm Save' }).click();
  await expect(page.getByTestId('push-report')).toBeVisible();
  await expect.poll(() => fakeSegment.get(webhookId)?.code).toBe('async function onTrack(event) {\n  return "mine"; // merged with theirs\n}\n');
  await expect.poll(() => editorText(page)).toContain('// merged with theirs');
  expect(readFileSync(join(studio.workspace, 'webhook', 'handler.js'), 'utf8')).toContain('// merged with theirs');
  await expect(page.getByTestId('sync-badge-webhook')).toHaveText('in sync');

  // History: versions listed, the first one restored (local follows: no local edits).
  const history = page.getByRole('region', { name: 'History' });
  await history.getByRole('button', { name: 'Refresh' }).click();
  await expect(history.getByTestId('version-item')).toHaveCount(4);
  await history.getByTestId('version-item').last().getByRole('button', { name: /^Restore version/ }).click();
  await page.getByRole('dialog', { name: 'Restore this version?' }).getByRole('button', { name: 'Restore' }).click();
  await expect(history.getByTestId('version-item')).toHaveCount(5);
  expect(fakeSegment.get(webhookId)!.code).toBe(WEBHOOK_V1);
  await expect.poll(() => editorText(page)).toContain('"v1"');

  // A 429 is shown as a wait, then the call goes through.
  fakeSegment.injectFault({ status: 429, msBeforeNext: 2500, pathIncludes: '/versions', method: 'GET' });
  await history.getByRole('button', { name: 'Refresh' }).click();
  await expect(page.getByTestId('remote-wait')).toContainText('rate-limiting');
  await screenshot(page, 'sync-rate-limited');
  await expect(history.getByTestId('version-item')).toHaveCount(5);

  // A change made in Segment is pulled from the Segment tab.
  fakeSegment.edit(webhookId, { code: 'async function onTrack(event) {\n  return "v3";\n}\n' });
  await page.getByRole('button', { name: 'Pull', exact: true }).click();
  await expect.poll(() => editorText(page)).toContain('"v3"');
  await expect(page.getByTestId('sync-badge-webhook')).toHaveText('in sync');

  // The server stops mid-push: a clear error, local edits intact.
  await saveEditor(page, 'async function onTrack(event) {\n  return "unsent";\n}\n');
  await page.getByRole('button', { name: 'Save to Segment…' }).click();
  const last = page.getByRole('dialog', { name: 'Save to Segment' });
  await expect(last.getByTestId('diff-view')).toContainText('"unsent"');
  await fakeSegment.close();
  await last.getByRole('button', { name: 'Confirm Save' }).click();
  await expect(page.locator('.notice-error')).toContainText('Could not reach the Segment workspace', { timeout: 30_000 });
  await expect(page.locator('.notice-error')).toContainText('local files are unchanged');
  expect(readFileSync(join(studio.workspace, 'webhook', 'handler.js'), 'utf8')).toContain('"unsent"');
  await expect.poll(() => editorText(page)).toContain('"unsent"');
  await expect(page.getByTestId('sync-badge-webhook')).toHaveText(/local changes|status unknown/);
  // The token is nowhere on the page, in the host's log, or in a file under the workspace or the config folder.
  expect(await page.content()).not.toContain(TOKEN);
  expect(studio.stderr()).not.toContain(TOKEN);
  const files = [...filesUnder(studio.workspace), ...filesUnder(join(scratch, 'config'))];
  expect(files.some((f) => f.endsWith('remotes.json'))).toBe(true);
  for (const file of files) expect(readFileSync(file, 'latin1'), file).not.toContain(TOKEN);
});

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true }).filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
}
