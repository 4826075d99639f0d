/**
 * The workspace folder in the UI: the list shows which folder and what decided it; when
 * the preference decides, changing it switches the list live; a bad path is refused with
 * its reason; with --workspace deciding, the UI says the change waits for a later start.
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { expect, screenshot, setEditorText, test } from './fixtures';

function writeFunction(root: string, id: string, displayName: string): void {
  mkdirSync(join(root, id, 'events'), { recursive: true });
  const meta = { displayName, description: '', resourceType: 'DESTINATION', settings: [], createdAt: '2026-01-01T00:00:00.000Z', updatedAt: '2026-01-01T00:00:00.000Z' };
  writeFileSync(join(root, id, 'function.json'), JSON.stringify(meta, null, 2));
  writeFileSync(join(root, id, 'handler.js'), 'async function onTrack(event) { return event.event; }\n');
}

async function openWorkspaceDialog(page: Page) {
  await page.getByRole('button', { name: 'Workspace folder' }).click();
  return page.getByRole('dialog', { name: 'Workspace folder' });
}

test.describe('when the preference decides the folder', () => {
  test.use({ studioWorkspaceFrom: 'default' });

  test('switching the workspace folder in the UI shows the other folder’s functions', async ({ page, studio, scratch }) => {
    writeFunction(studio.workspace, 'home-fn', 'Home Function');
    const other = join(scratch, 'other-functions');
    writeFunction(other, 'other-fn', 'Other Function');

    await page.goto(studio.url);
    await expect(page.getByRole('button', { name: 'Open Home Function' })).toBeVisible();
    await expect(page.getByTestId('workspace-path')).toContainText(studio.workspace);
    await expect(page.getByTestId('workspace-source')).toHaveText('default folder');

    // A file is not a folder: refused with the path and the reason; the list stays.
    const file = join(scratch, 'not-a-folder.txt');
    writeFileSync(file, 'x');
    let dialog = await openWorkspaceDialog(page);
    await expect(dialog).toContainText('switch to it now');
    await dialog.getByLabel('Folder').fill(file);
    await dialog.getByRole('button', { name: 'Switch' }).click();
    await expect(page.locator('.notice-error')).toContainText(`Cannot use ${file} as the workspace folder: it is a file, not a folder`);
    await expect(page.getByRole('button', { name: 'Open Home Function' })).toBeVisible();
    await expect(page.getByTestId('workspace-path')).toContainText(studio.workspace);
    await page.getByRole('button', { name: 'Dismiss message' }).click();

    // Unsaved edits are asked about first; Cancel keeps both the edits and the folder.
    await expect(page.getByRole('button', { name: 'Open Home Function' })).toHaveAttribute('aria-current', 'true');
    await setEditorText(page, '// not saved yet\nasync function onTrack() {}\n');
    dialog = await openWorkspaceDialog(page);
    await dialog.getByLabel('Folder').fill(other);
    await dialog.getByRole('button', { name: 'Switch' }).click();
    const guard = page.getByRole('dialog', { name: 'Unsaved changes' });
    await expect(guard).toContainText('before switching the workspace folder');
    await guard.getByRole('button', { name: 'Cancel' }).click();
    await expect(page.getByTestId('workspace-path')).toContainText(studio.workspace);
    await expect(page.getByRole('img', { name: 'unsaved changes' })).toBeVisible();

    // Save, then switch: the edit is on disk in the old folder.
    dialog = await openWorkspaceDialog(page);
    await dialog.getByLabel('Folder').fill(other);
    await dialog.getByRole('button', { name: 'Switch' }).click();
    await page.getByRole('dialog', { name: 'Unsaved changes' }).getByRole('button', { name: 'Save' }).click();
    await expect(page.getByRole('button', { name: 'Open Other Function' })).toBeVisible();
    expect(readFileSync(join(studio.workspace, 'home-fn', 'handler.js'), 'utf8')).toBe('// not saved yet\nasync function onTrack() {}\n');
    await expect(page.getByRole('button', { name: 'Open Home Function' })).toHaveCount(0);
    await expect(page.getByTestId('workspace-path')).toContainText(other);
    await expect(page.getByTestId('workspace-source')).toHaveText('chosen in fnstudio');
    await screenshot(page, 'workspace-switched');

    // The new folder is live: a function added there on disk shows up.
    writeFunction(other, 'added-on-disk', 'Added On Disk');
    await expect(page.getByRole('button', { name: 'Open Added On Disk' })).toBeVisible();
    // Nothing was moved or deleted in the folder left behind.
    expect(readdirSync(studio.workspace)).toEqual(['home-fn']);
  });
});

test.describe('when another window moves the workspace', () => {
  test.use({ studioWorkspaceFrom: 'default' });

  test('unsaved edits stay in the editor, detached: saving is refused until the workspace is back', async ({ page, studio, scratch }) => {
    writeFunction(studio.workspace, 'same-id', 'Original');
    const other = join(scratch, 'other');
    // A namesake in the other folder: saving the kept edits there would overwrite it.
    writeFunction(other, 'same-id', 'Namesake');
    const namesake = readFileSync(join(other, 'same-id', 'handler.js'), 'utf8');

    await page.goto(studio.url);
    await expect(page.getByRole('button', { name: 'Open Original' })).toHaveAttribute('aria-current', 'true');
    await setEditorText(page, '// my unsaved work\nasync function onTrack() {}\n');

    const second = await page.context().newPage();
    await second.goto(studio.url);
    let dialog = second.getByRole('dialog', { name: 'Workspace folder' });
    await second.getByRole('button', { name: 'Workspace folder' }).click();
    await dialog.getByLabel('Folder').fill(other);
    await dialog.getByRole('button', { name: 'Switch' }).click();
    await expect(second.getByRole('button', { name: 'Open Namesake' })).toBeVisible();

    await expect(page.locator('.notice-error')).toContainText('still holds your unsaved edits');
    await expect(page.getByRole('button', { name: 'Open Namesake' })).toBeVisible();
    await expect(page.getByRole('img', { name: 'unsaved changes' })).toHaveCount(0);
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await expect(page.locator('.notice-error')).toContainText(`was opened from ${studio.workspace}, but the workspace is now ${other}`);
    expect(readFileSync(join(other, 'same-id', 'handler.js'), 'utf8')).toBe(namesake);
    // Running it would take the namesake's settings: refused too.
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    await expect(page.locator('.notice-error')).toContainText('Cannot run: “Original” was opened from');
    // Deleting the namesake here does not close the kept edits.
    await page.getByRole('button', { name: 'Open Namesake' }).hover();
    await page.getByRole('button', { name: 'Delete Namesake' }).click();
    await page.getByRole('dialog', { name: 'Delete function' }).getByRole('button', { name: 'Delete' }).click();
    await expect(page.getByRole('button', { name: 'Open Namesake' })).toHaveCount(0);
    await expect(page.getByRole('banner')).toContainText('Original');
    writeFunction(other, 'same-id', 'Namesake');

    // Back to the first folder: the kept edits save where they belong.
    await second.getByRole('button', { name: 'Workspace folder' }).click();
    dialog = second.getByRole('dialog', { name: 'Workspace folder' });
    await dialog.getByLabel('Folder').fill(studio.workspace);
    await dialog.getByRole('button', { name: 'Switch' }).click();
    await expect(page.getByRole('button', { name: 'Open Original' })).toBeVisible();
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await expect.poll(() => readFileSync(join(studio.workspace, 'same-id', 'handler.js'), 'utf8')).toBe('// my unsaved work\nasync function onTrack() {}\n');
    expect(readFileSync(join(other, 'same-id', 'handler.js'), 'utf8')).toBe(namesake);
    await second.close();
  });
});

test('with --workspace deciding, a saved folder waits for a later start and the UI says so', async ({ page, studio, scratch }) => {
  writeFunction(studio.workspace, 'flag-fn', 'Flag Function');
  await page.goto(studio.url);
  await expect(page.getByRole('button', { name: 'Open Flag Function' })).toBeVisible();
  await expect(page.getByTestId('workspace-source')).toHaveText('set by --workspace');
  const dialog = await openWorkspaceDialog(page);
  await expect(dialog).toContainText('--workspace flag, which wins over this setting');
  const later = join(scratch, 'for-later');
  await dialog.getByLabel('Folder').fill(later);
  await dialog.getByRole('button', { name: 'Save for later' }).click();
  await expect(page.locator('.notice-info')).toContainText(`Saved ${later} for a later start. The workspace stays ${studio.workspace}`);
  await expect(page.getByRole('button', { name: 'Open Flag Function' })).toBeVisible();
  await expect(page.getByTestId('workspace-path')).toContainText(studio.workspace);
});
