import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { editorText, expect, screenshot, setEditorText, test } from './fixtures';

async function createFunction(page: Page, name: string, template?: string): Promise<void> {
  await page.getByRole('button', { name: 'New function' }).click();
  const dialog = page.getByRole('dialog', { name: 'New function' });
  await dialog.getByLabel('Name').fill(name);
  if (template) await dialog.getByLabel('Template').selectOption({ label: template });
  await dialog.getByRole('button', { name: 'Create' }).click();
  await expect(page.getByRole('button', { name: `Open ${name}` })).toHaveAttribute('aria-current', 'true');
  await expect.poll(() => editorText(page)).toContain('function on');
}

test('rename, switch with the unsaved-changes guard, delete with confirmation', async ({ page, studio }) => {
  await page.goto(studio.url);
  await createFunction(page, 'First');
  await createFunction(page, 'Second', 'Validate and reject');

  await page.getByRole('button', { name: 'Rename Second' }).click();
  const rename = page.getByRole('dialog', { name: 'Rename function' });
  await rename.getByLabel('Name').fill('Second Renamed');
  await rename.getByRole('button', { name: 'Rename' }).click();
  await expect(page.getByRole('button', { name: 'Open Second Renamed' })).toBeVisible();
  await expect(page.getByRole('banner')).toContainText('Second Renamed');

  // Dirty buffer: switching asks; Cancel stays, Discard switches.
  await setEditorText(page, '// edited but not saved\nasync function onTrack() {}\n');
  await expect(page.getByRole('img', { name: 'unsaved changes' })).toBeVisible();
  await page.getByRole('button', { name: 'Open First' }).click();
  const guard = page.getByRole('dialog', { name: 'Unsaved changes' });
  await expect(guard).toContainText('“Second Renamed” has unsaved changes');
  await screenshot(page, '08-unsaved-guard');
  await guard.getByRole('button', { name: 'Cancel' }).click();
  await expect(page.getByRole('button', { name: 'Open Second Renamed' })).toHaveAttribute('aria-current', 'true');
  await page.getByRole('button', { name: 'Open First' }).click();
  await page.getByRole('dialog', { name: 'Unsaved changes' }).getByRole('button', { name: 'Discard changes' }).click();
  await expect(page.getByRole('button', { name: 'Open First' })).toHaveAttribute('aria-current', 'true');
  await page.getByRole('button', { name: 'Open Second Renamed' }).click();
  await expect.poll(() => editorText(page)).not.toContain('edited but not saved');

  // Row actions show on hover (and for the selected row or keyboard focus).
  await page.getByRole('button', { name: 'Open First' }).hover();
  await page.getByRole('button', { name: 'Delete First' }).click();
  const confirmDelete = page.getByRole('dialog', { name: 'Delete function' });
  await expect(confirmDelete).toContainText('Delete “First”?');
  await confirmDelete.getByRole('button', { name: 'Delete' }).click();
  await expect(page.getByRole('button', { name: 'Open First' })).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Open Second Renamed' })).toBeVisible();
});

test('event input: samples, spec warnings, invalid JSON, save and reload a named event', async ({ page, studio }) => {
  await page.goto(studio.url);
  await createFunction(page, 'Events');
  const load = page.getByLabel('Load event');
  const problems = page.getByRole('list', { name: 'Event problems' });

  for (const type of ['identify', 'page', 'screen', 'group', 'alias', 'delete', 'batch']) {
    await load.selectOption(`sample:${type}`);
    await expect(load).toHaveValue(`sample:${type}`);
  }
  await expect(problems).toHaveCount(0);

  await setEditorText(page, '{"type": "purchase", "properties": {}}', 'event-editor');
  await expect(problems).toContainText('Unknown type "purchase"');
  await expect(problems).toContainText('neither "userId" nor "anonymousId"');
  // The event schema marks the unknown type in the editor too (a warning, not an error).
  await expect(page.getByTestId('event-editor').locator('.squiggly-warning')).not.toHaveCount(0);
  await screenshot(page, '09-event-warnings');

  await setEditorText(page, '{"type": "track", "userId": ', 'event-editor');
  await expect(problems).toContainText('The event is not valid JSON');
  await expect(page.getByTestId('event-editor').locator('.squiggly-error')).not.toHaveCount(0);
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  await expect(page.getByRole('region', { name: 'Output' }).getByRole('alert')).toContainText('The event is not valid JSON');

  await setEditorText(page, '{"type": "track", "event": "Saved One", "userId": "u-1"}', 'event-editor');
  await expect(problems).toHaveCount(0);
  await page.getByRole('button', { name: 'Save event' }).click();
  const saveDialog = page.getByRole('dialog', { name: 'Save event' });
  await saveDialog.getByLabel('Event name').fill('saved one');
  await saveDialog.getByRole('button', { name: 'Save' }).click();
  await expect(load).toHaveValue('saved:saved one');

  await page.reload();
  await expect(page.getByRole('button', { name: 'Open Events' })).toHaveAttribute('aria-current', 'true');
  await expect(load).toHaveValue('sample:track');
  await load.selectOption('saved:saved one');
  await expect.poll(() => editorText(page, 'event-editor')).toContain('"event": "Saved One"');
});

test('a function edited on disk reloads when clean and offers reload/keep when dirty', async ({ page, studio }) => {
  await page.goto(studio.url);
  await createFunction(page, 'External');
  const handler = join(studio.workspace, 'external', 'handler.js');

  writeFileSync(handler, '// changed by git checkout\nasync function onTrack(event) {\n  return 1;\n}\n');
  await expect.poll(() => editorText(page)).toContain('changed by git checkout');
  await expect(page.getByRole('img', { name: 'unsaved changes' })).toHaveCount(0);

  await setEditorText(page, '// my unsaved edit\nasync function onTrack(event) {\n  return 2;\n}\n');
  writeFileSync(handler, '// changed again on disk\nasync function onTrack(event) {\n  return 3;\n}\n');
  const banner = page.getByRole('main', { name: 'Editor' }).getByRole('alert');
  await expect(banner).toContainText('handler.js changed on disk while you have unsaved edits');
  await screenshot(page, '10-external-change-banner');
  await banner.getByRole('button', { name: 'Reload from disk' }).click();
  await expect.poll(() => editorText(page)).toContain('changed again on disk');
  await expect(page.getByRole('img', { name: 'unsaved changes' })).toHaveCount(0);

  // Keep my version, then save: the save notices the disk changed and asks before overwriting.
  await setEditorText(page, '// mine wins\nasync function onTrack(event) {\n  return 4;\n}\n');
  writeFileSync(handler, '// a third outside change\n');
  await banner.getByRole('button', { name: 'Keep my version' }).click();
  await expect(banner).toHaveCount(0);
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  const conflict = page.getByRole('dialog', { name: 'handler.js changed on disk' });
  await expect(conflict).toContainText('Overwrite the file on disk with your version');
  await screenshot(page, '16-save-conflict');
  await conflict.getByRole('button', { name: 'Overwrite' }).click();
  await expect(page.getByRole('img', { name: 'unsaved changes' })).toHaveCount(0);
  await expect.poll(() => readFileSync(handler, 'utf8')).toBe('// mine wins\nasync function onTrack(event) {\n  return 4;\n}\n');
});

test('dark theme follows the OS', async ({ page, studio }) => {
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.goto(studio.url);
  await createFunction(page, 'Dark Mode', 'Retry on 5xx/429 with RetryError');
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await expect(page.getByTestId('code-editor').locator('.monaco-editor')).toHaveClass(/vs-dark/);
  await screenshot(page, '11-dark-theme');
  await page.emulateMedia({ colorScheme: 'light' });
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');

  // An explicit choice overrides the OS and is kept in the preferences.
  await page.getByLabel('Theme').selectOption('dark');
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await page.reload();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await expect(page.getByLabel('Theme')).toHaveValue('dark');
});

test('a corrupt function.json is reported for that function and never overwritten', async ({ page, studio }) => {
  await page.goto(studio.url);
  await createFunction(page, 'Healthy');
  await createFunction(page, 'Broken');
  const meta = join(studio.workspace, 'broken', 'function.json');
  writeFileSync(meta, '{ "displayName": "Broken", oops');

  await expect(page.getByRole('button', { name: /^Open / }).filter({ has: page.locator('.function-icon svg') })).toHaveCount(1);
  await page.getByRole('button', { name: 'Open Healthy' }).click();
  await page.getByRole('button', { name: /^Open (Broken|broken)$/ }).click();
  const problem = page.getByRole('main', { name: 'Editor' }).getByRole('alert');
  await expect(problem).toContainText('This function cannot be opened');
  await expect(problem).toContainText('function.json');
  await screenshot(page, '14-corrupt-function');
  expect(readFileSync(meta, 'utf8')).toBe('{ "displayName": "Broken", oops');
});

test('panes resize by dragging and keep their size; closing with unsaved edits asks first', async ({ page, studio }) => {
  await page.goto(studio.url);
  await createFunction(page, 'Layout');
  const list = page.getByRole('navigation', { name: 'Functions' });
  const before = (await list.boundingBox())?.width ?? 0;
  const splitter = page.getByRole('separator', { name: 'Resize function list' });
  const box = await splitter.boundingBox();
  if (!box) throw new Error('the splitter has no box');
  await page.mouse.move(box.x + box.width / 2, box.y + 200);
  await page.mouse.down();
  await page.mouse.move(box.x + 120, box.y + 200, { steps: 5 });
  await page.mouse.up();
  await expect.poll(async () => (await list.boundingBox())?.width ?? 0).toBeGreaterThan(before + 80);
  const resized = (await list.boundingBox())?.width ?? 0;
  await page.reload();
  await expect(page.getByRole('button', { name: 'Open Layout' })).toBeVisible();
  await expect.poll(async () => Math.round((await list.boundingBox())?.width ?? 0)).toBe(Math.round(resized));

  await setEditorText(page, '// not saved yet\n');
  let prompted = '';
  page.once('dialog', (d) => {
    prompted = d.type();
    void d.dismiss();
  });
  await page.close({ runBeforeUnload: true });
  await expect.poll(() => prompted).toBe('beforeunload');
});
