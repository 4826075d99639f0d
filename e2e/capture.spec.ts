/**
 * The Capture tab: a local Tracking API endpoint fed by Segment's own Node library, each
 * event run through the open function as it arrives, listed with its outcome; clicking one
 * shows its run in the output panel.
 */
import { Analytics } from '@segment/analytics-node';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, screenshot, setEditorText, test } from './fixtures';
import { createFunction } from './settings-helpers';

const CODE = [
  'async function onTrack(event, settings) {',
  "  const res = await fetch('https://hooks.example.test/orders', { method: 'POST', body: JSON.stringify(event.properties) });",
  "  console.log('hook answered', res.status, 'for', event.event);",
  '  return res.status;',
  '}',
  'async function onIdentify(event, settings) {',
  "  if (!event.traits.email) throw new ValidationError('identify without email');",
  '}',
  '',
].join('\n');

test('capture: events from analytics-node run through the open function; click one to see its run', async ({ page, studio }) => {
  await page.goto(studio.url);
  await createFunction(page, 'Live Capture');
  await setEditorText(page, CODE);
  const folder = readdirSync(studio.workspace).find((name) => !name.startsWith('.')) ?? '';
  writeFileSync(join(studio.workspace, folder, 'mocks.json'), JSON.stringify([{ method: 'POST', url: 'https://hooks.example.test/*', status: 202, body: { queued: true } }]));

  await page.getByRole('tab', { name: 'Capture' }).click();
  const panel = page.getByRole('region', { name: 'Capture' });
  await panel.getByLabel('Capture port').fill('0');
  await panel.getByRole('button', { name: 'Start capture' }).click();
  const url = await panel.getByTestId('capture-url').textContent({ timeout: 15_000 });
  expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  await expect(panel).toContainText('runs through “Live Capture”');

  const analytics = new Analytics({ writeKey: 'e2e-key', host: String(url), flushAt: 2, maxRetries: 0 });
  analytics.track({ userId: 'user-7', event: 'Order Completed', properties: { total: 99 } });
  analytics.identify({ userId: 'user-7', traits: { plan: 'pro' } });
  await analytics.closeAndFlush({ timeout: 15_000 });

  const list = panel.getByRole('list', { name: 'Captured events' });
  await expect(list.getByRole('listitem')).toHaveCount(2);
  await expect(list.getByTestId('capture-outcome')).toHaveText(['Success', 'Message Rejected'], { timeout: 20_000 });
  await expect(list.getByRole('listitem').first()).toContainText('track "Order Completed" (user user-7)');
  await screenshot(page, '20-capture-live');

  await list.getByRole('button', { name: /Captured event 2:/ }).click();
  const output = page.getByRole('region', { name: 'Output' });
  await expect(output.locator('.outcome-summary').getByTestId('outcome-badge')).toHaveText('Message Rejected');
  await expect(output).toContainText('identify without email');

  await list.getByRole('button', { name: /Captured event 1:/ }).click();
  await expect(output.locator('.outcome-summary').getByTestId('outcome-badge')).toHaveText('Success');
  await expect(output.getByRole('list', { name: 'Console output' })).toContainText('hook answered 202 for Order Completed');
  await screenshot(page, '21-capture-run-in-output');

  await panel.getByRole('button', { name: 'Stop capture' }).click();
  await expect(panel.getByRole('button', { name: 'Start capture' })).toBeVisible();
  await expect(panel).toContainText('The last capture received 2 events.');
  const capturesDir = join(studio.workspace, folder, '.fnstudio', 'captures');
  const [recording] = readdirSync(capturesDir);
  const lines = readFileSync(join(capturesDir, recording), 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l) as { type: string; event?: string });
  expect(lines.map((e) => e.type)).toEqual(['track', 'identify']);

  // A captured event can be opened in the event editor, to edit and run by hand.
  await list.getByRole('button', { name: 'Open captured event 1 in the event editor' }).click();
  await expect(page.getByRole('tab', { name: 'Event' })).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByTestId('event-editor')).toContainText('Order Completed');
});
