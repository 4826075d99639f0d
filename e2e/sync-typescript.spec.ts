/**
 * A handler.ts function saved to a Segment workspace (fake-segment started here) from the
 * app: the Segment tab says that what is deployed is the compiled handler.ts, the preview
 * shows that JavaScript, and Segment gets it; handler.ts is left as it was. A change made
 * in Segment is pulled beside it (handler.remote.js), never over it, and Keep mine pushes.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startFakeSegment, type FakeSegment } from '../main/core/remote/fake-segment/server';
import { expect, screenshot, test as base } from './fixtures';

const TOKEN = 'e2e-ts-public-api-token-9Qx4';
const SOURCE = [
  'interface Label {',
  '  text: string;',
  '}',
  '',
  'async function onTrack(event: SegmentTrackEvent): Promise<Label> {',
  '  const text: string = `tracked ${event.event}`;',
  '  return { text };',
  '}',
  '',
].join('\n');

const test = base.extend<{ fakeSegment: FakeSegment }>({
  // eslint-disable-next-line no-empty-pattern
  fakeSegment: async ({}, use) => {
    const fake = await startFakeSegment({ token: TOKEN, workspaceName: 'TS Space' });
    await use(fake);
    await fake.close();
  },
});

test('a TypeScript function is saved to Segment as its compiled JavaScript, and the Segment tab says so', async ({ page, studio, fakeSegment }) => {
  const dir = join(studio.workspace, 'labeler');
  mkdirSync(dir);
  writeFileSync(join(dir, 'function.json'), JSON.stringify({ displayName: 'Labeler', description: '', resourceType: 'DESTINATION', settings: [] }));
  writeFileSync(join(dir, 'handler.ts'), SOURCE);
  await page.goto(studio.url);

  await page.getByRole('button', { name: 'Segment workspaces' }).click();
  const dialog = page.getByRole('dialog', { name: 'Segment workspaces' });
  await dialog.getByLabel('Remote name').fill('prod');
  await dialog.getByLabel('Region').selectOption('custom');
  await dialog.getByLabel('API URL').fill(fakeSegment.url);
  await dialog.getByLabel('Public API token').fill(TOKEN);
  await dialog.getByRole('button', { name: 'Connect' }).click();
  await expect(dialog.getByTestId('connect-result')).toContainText('0 destination functions');
  await dialog.getByRole('button', { name: 'Close' }).click();

  await page.getByRole('button', { name: 'Open Labeler' }).click();
  await page.getByRole('tab', { name: 'Segment' }).click();
  const note = page.locator('.segment-panel').getByTestId('compiled-note');
  await expect(note).toContainText('Segment runs JavaScript: what is deployed is the compiled handler.ts');

  await page.getByRole('button', { name: 'Save to Segment…' }).click();
  const preview = page.getByRole('dialog', { name: 'Save to Segment' });
  await expect(preview.getByTestId('compiled-note')).toContainText('what is deployed is the compiled handler.ts');
  await expect(preview.getByRole('heading', { name: /handler\.ts, compiled/ })).toBeVisible();
  await expect(preview.getByTestId('diff-view')).toContainText('const text = `tracked ${event.event}`;');
  await screenshot(page, 'sync-typescript-preview');
  await preview.getByRole('button', { name: 'Confirm Save' }).click();
  await expect(page.getByTestId('push-report')).toContainText('Created as');
  await expect(page.getByTestId('sync-badge-labeler')).toHaveText('in sync');
  await screenshot(page, 'sync-typescript-saved');

  const remote = JSON.parse(readFileSync(join(dir, 'function.json'), 'utf8')).remote as { functionId: string; compiledFrom: { file: string } };
  expect(remote.compiledFrom.file).toBe('handler.ts');
  const deployed = fakeSegment.get(remote.functionId)!.code!;
  expect(deployed).toMatch(/^\/\/ Compiled by fnstudio from handler\.ts/);
  expect(deployed).toContain('async function onTrack(event) {');
  expect(deployed).not.toMatch(/interface Label|: string|Promise</);
  expect(readFileSync(join(dir, 'handler.ts'), 'utf8')).toBe(SOURCE);

  // Someone edits the JavaScript in Segment: Pull never touches handler.ts; their code lands in
  // handler.remote.js and the conflict view offers only Keep mine.
  const theirs = deployed.replace('return { text };', 'return { text, edited: true };');
  fakeSegment.edit(remote.functionId, { code: theirs });
  await page.getByRole('button', { name: 'Pull', exact: true }).click();
  const conflict = page.getByRole('dialog', { name: 'Conflict with the Segment workspace' });
  await expect(conflict.getByTestId('compiled-note')).toContainText('fnstudio never writes JavaScript over handler.ts');
  await expect(conflict.getByTestId('diff-view')).toContainText('edited: true');
  await expect(conflict.getByRole('button', { name: 'Take theirs' })).toHaveCount(0);
  await expect(conflict.getByRole('button', { name: 'Use this merge' })).toHaveCount(0);
  await screenshot(page, 'sync-typescript-conflict');
  expect(readFileSync(join(dir, 'handler.remote.js'), 'utf8')).toBe(theirs);
  expect(readFileSync(join(dir, 'handler.ts'), 'utf8')).toBe(SOURCE);
  await conflict.getByRole('button', { name: 'Keep mine' }).click();
  const again = page.getByRole('dialog', { name: 'Save to Segment' });
  await expect(again.getByTestId('diff-view')).toContainText('edited: true');
  await again.getByRole('button', { name: 'Confirm Save' }).click();
  await expect.poll(() => fakeSegment.get(remote.functionId)?.code).toBe(deployed);
  await expect(page.getByTestId('sync-badge-labeler')).toHaveText('in sync');
  expect(readFileSync(join(dir, 'handler.ts'), 'utf8')).toBe(SOURCE);
  // Their code, now replaced (and backed up), no longer lies beside handler.ts.
  expect(existsSync(join(dir, 'handler.remote.js'))).toBe(false);
});
