import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Locator } from '@playwright/test';
import { editorText, expect, screenshot, setEditorText, test } from './fixtures';
import { addSetting, expectOutcome } from './settings-helpers';

async function box(locator: Locator): Promise<{ x: number; y: number; width: number; height: number }> {
  const b = await locator.boundingBox();
  if (!b) throw new Error('element has no box (not visible)');
  return b;
}

test("template gallery, a template's first run on its mocks, filter, status bar path", async ({ page, studio }) => {
  await page.goto(studio.url);
  const gallery = page.getByRole('region', { name: 'Templates' });
  await expect(gallery.getByRole('listitem')).toHaveCount(5);
  const batchCard = gallery.getByRole('listitem').filter({ hasText: 'Batch handler' });
  await expect(batchCard).toContainText('onBatch sends many events in one request');
  await expect(batchCard).toContainText(/Shows: onBatch\b.* · fetch/);
  await screenshot(page, '44-template-gallery');

  // A card starts the New function dialog with its template chosen.
  await gallery.getByRole('button', { name: 'Use template All handlers (default)' }).click();
  const dialog = page.getByRole('dialog', { name: 'New function' });
  await expect(dialog.getByLabel('Template')).toHaveValue('default');
  await dialog.getByLabel('Name').fill('First Hour');
  await dialog.getByRole('button', { name: 'Create' }).click();
  await expect.poll(() => editorText(page)).toContain('https://example.com/track');
  await expect(page.getByTestId('handler-path')).toHaveText(join(studio.workspace, 'first-hour', 'handler.js'));

  // The template's main path on mock rules (written as `fnstudio new` will), offline so nothing leaves the machine.
  await writeFile(join(studio.workspace, 'first-hour', 'mocks.json'), JSON.stringify([{ method: 'POST', url: 'https://example.com/*', status: 200, body: { ok: true } }], null, 2));
  await page.getByLabel('Offline').check();
  await page.getByLabel('Load event').selectOption('sample:track');
  await page.getByRole('tab', { name: 'Mocks' }).click();
  await expect(page.getByRole('region', { name: 'Mock rules' }).getByLabel('Rule 0 URL')).toHaveValue('https://example.com/*');
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  await expectOutcome(page, 'Success');
  const output = page.getByRole('region', { name: 'Output' });
  await expect(output.getByRole('list', { name: 'Requests' })).toContainText('mocked');
  // No stack to show for a success, and a real duration rather than "not run".
  await expect(output.getByText('Stack trace')).toHaveCount(0);
  await expect(output.getByLabel('Duration')).not.toHaveText('not run');
  await screenshot(page, '45-template-first-run-on-mocks');

  // Filter the list.
  await page.getByRole('button', { name: 'New function' }).click();
  await dialog.getByLabel('Name').fill('Second One');
  await dialog.getByRole('button', { name: 'Create' }).click();
  const list = page.getByRole('navigation', { name: 'Functions' });
  await expect(list.getByRole('button', { name: /^Open / })).toHaveCount(2);
  await list.getByLabel('Filter functions').fill('first');
  await expect(list.getByRole('button', { name: /^Open / })).toHaveCount(1);
  await expect(list.getByRole('button', { name: 'Open First Hour' })).toBeVisible();
  await list.getByLabel('Filter functions').fill('nothing like it');
  await expect(list).toContainText('No function matches “nothing like it”');
});

test('settings tab at 1440×900 and 1024×680, the editor keeps half a small screen, splitters reset on double-click, event errors name line and column', async ({ page, studio }) => {
  await page.goto(studio.url);
  await page.getByRole('region', { name: 'Templates' }).getByRole('button', { name: 'Use template POST to a webhook' }).click();
  const dialog = page.getByRole('dialog', { name: 'New function' });
  await dialog.getByLabel('Name').fill('Roomy');
  await dialog.getByRole('button', { name: 'Create' }).click();
  await expect.poll(() => editorText(page)).toContain('webhookUrl');

  await page.getByRole('tab', { name: 'Settings' }).click();
  // The template already declares webhookUrl; a new setting gives the builder an edit to save.
  const editor = await addSetting(page, 'Channel Name');
  await editor.getByLabel('Required').check();
  await page.getByRole('button', { name: 'Save settings' }).click();
  await expect(page.getByRole('button', { name: 'Save settings' })).toBeDisabled();
  const panel = page.getByRole('region', { name: 'Settings', exact: true });
  const builder = panel.getByRole('region', { name: 'Settings builder' });
  const preview = panel.getByRole('region', { name: 'Preview' });
  // No encrypted setting: no keychain banner, whatever the keychain's state.
  await expect(panel.getByTestId('keychain-banner')).toHaveCount(0);

  // Refused for its settings: the code never ran, so no duration and no stack to expand.
  await page.getByRole('tab', { name: 'Event' }).click();
  await page.getByLabel('Load event').selectOption('sample:track');
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  await expectOutcome(page, 'Invalid Settings');
  const output = page.getByRole('region', { name: 'Output' });
  await expect(output.getByLabel('Duration')).toHaveText('not run');
  await expect(output.getByText('Stack trace')).toHaveCount(0);
  // A saved event's Delete button names what it deletes.
  await page.getByRole('button', { name: 'Save event' }).click();
  const save = page.getByRole('dialog', { name: 'Save event' });
  await save.getByLabel('Event name').fill('signup');
  await save.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('button', { name: 'Delete saved event signup' })).toHaveText('Delete “signup”');
  await page.getByRole('tab', { name: 'Settings' }).click();

  // 1440×900: builder and preview side by side, both with usable room, no splitter dragged,
  // and beside them a code editor still wide enough to read the code the settings are for.
  const [b, p] = [await box(builder), await box(preview)];
  expect(p.x).toBeGreaterThanOrEqual(b.x + b.width - 1);
  expect(Math.abs(p.y - b.y)).toBeLessThan(2);
  expect(b.width).toBeGreaterThanOrEqual(280);
  expect(p.width).toBeGreaterThanOrEqual(280);
  expect((await box(panel)).height).toBeGreaterThanOrEqual(450);
  expect((await box(page.getByTestId('code-editor'))).width).toBeGreaterThanOrEqual(560);
  await screenshot(page, '46-settings-1440x900');

  // 1024×680: preview below the builder; the code editor keeps at least half the width.
  await page.setViewportSize({ width: 1024, height: 680 });
  await expect.poll(async () => (await box(page.getByTestId('code-editor'))).width).toBeGreaterThanOrEqual(512);
  const [b2, p2] = [await box(builder), await box(preview)];
  expect(p2.y).toBeGreaterThanOrEqual(b2.y + b2.height - 1);
  // Stacked, each takes the panel's width rather than half of it.
  expect(b2.width).toBeGreaterThanOrEqual(250);
  expect(Math.abs(p2.width - b2.width)).toBeLessThan(2);
  await screenshot(page, '47-settings-1024x680');
  await page.getByRole('tab', { name: 'Event' }).click();
  expect((await box(page.getByTestId('code-editor'))).width).toBeGreaterThanOrEqual(512);

  // A splitter moved by keyboard returns to its default on double-click.
  const side = page.getByRole('separator', { name: 'Resize side panel' });
  const before = Number(await side.getAttribute('aria-valuenow'));
  await side.focus();
  for (let i = 0; i < 4; i++) await side.press('ArrowLeft');
  await expect(side).not.toHaveAttribute('aria-valuenow', String(before));
  await side.dblclick();
  await expect(side).toHaveAttribute('aria-valuenow', String(before));

  // Invalid event JSON names line and column.
  await setEditorText(page, '{\n  "type": "track",\n  "userId": "u"\n  "event": "E"\n}', 'event-editor');
  await expect(page.getByRole('list', { name: 'Event problems' })).toContainText('The event is not valid JSON at line 4, column 3');
  await screenshot(page, '48-small-screen-event-error');
});
