import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { editorText, expect, screenshot, setEditorText, test } from './fixtures';

test('a batch run shows one result per event; a slow run shows a spinner and can be cancelled', async ({ page, studio }) => {
  await page.goto(studio.url);
  await page.getByRole('button', { name: 'New function' }).click();
  const dialog = page.getByRole('dialog', { name: 'New function' });
  await dialog.getByLabel('Name').fill('Batcher');
  await dialog.getByLabel('Template').selectOption({ label: 'Batch handler' });
  await dialog.getByRole('button', { name: 'Create' }).click();
  await expect.poll(() => editorText(page)).toContain('async function onBatch');

  await setEditorText(
    page,
    [
      '/** @type {OnBatchHandler} */',
      'async function onBatch(events, settings) {',
      "  console.warn('batch of', events.length);",
      "  return events.map((e) => (e.type === 'track' ? { status: 200 } : { status: 400, errormessage: 'only track, got ' + e.type }));",
      '}',
      '',
    ].join('\n'),
  );
  await page.getByLabel('Load event').selectOption('sample:batch');
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  const output = page.getByRole('region', { name: 'Output' });
  const items = output.getByRole('region', { name: 'Batch items' });
  await expect(items.getByRole('row')).not.toHaveCount(0);
  await expect(items).toContainText('only track, got identify');
  // Numbered from 0, as the CLI prints them and as the events array counts.
  await expect(items.getByRole('row').nth(1).getByRole('cell').first()).toHaveText('[0]');
  await expect(output.getByRole('list', { name: 'Console output' })).toContainText('batch of');
  await screenshot(page, '12-batch-run');

  // The run must still be going when Cancel is clicked, however slow a loaded machine makes the
  // steps in between: it waits a minute under a limit of two (the 5 s default would end it first).
  const limit = page.getByLabel('Time limit in seconds');
  await limit.fill('120');
  await limit.press('Enter');
  await expect(limit).toHaveValue('120');
  await setEditorText(page, 'async function onTrack(event) {\n  await new Promise((resolve) => setTimeout(resolve, 60000));\n  return "late";\n}\n');
  await page.getByLabel('Load event').selectOption('sample:track');
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  await expect(output.getByRole('status', { name: 'Running' })).toBeVisible();
  await screenshot(page, '13-run-in-progress');
  await page.getByRole('banner').getByRole('button', { name: 'Cancel run' }).click();
  await expect(output.getByRole('alert')).toHaveText('Run cancelled.');
  await expect(page.getByRole('button', { name: 'Run', exact: true })).toBeEnabled();
});

test('losing the host shows a banner instead of failing silently', async ({ page, studio }) => {
  await page.goto(studio.url);
  await page.getByRole('button', { name: 'New function' }).click();
  const dialog = page.getByRole('dialog', { name: 'New function' });
  await dialog.getByLabel('Name').fill('Offline');
  await dialog.getByRole('button', { name: 'Create' }).click();
  await expect.poll(() => editorText(page)).toContain('async function onTrack');
  // Monaco starts its workers (editor, TypeScript, JSON) and loads its icon font lazily, some
  // only after a pause that a loaded machine stretches past any network-idle moment: wait for
  // each of them, then for what they still fetch, before the host goes.
  await expect.poll(() => page.workers().map((w) => /\/(\w+)\.worker-[^/]*\.js$/.exec(w.url())?.[1]).sort()).toEqual(['editor', 'json', 'ts']);
  type PageGlobals = { document: { fonts: { ready: Promise<unknown> } } };
  await page.evaluate(() => (globalThis as unknown as PageGlobals).document.fonts.ready.then(() => undefined));
  await page.waitForLoadState('networkidle');
  await studio.stop();
  await expect(page.getByRole('alert').filter({ hasText: 'Lost the connection to the fnstudio host' })).toBeVisible();
  await screenshot(page, '15-disconnected');
});

test('a request to a loopback address shows its network warning; Strict network refuses it', async ({ page, studio, echoServer }) => {
  await page.goto(studio.url);
  await page.getByRole('button', { name: 'New function' }).click();
  const dialog = page.getByRole('dialog', { name: 'New function' });
  await dialog.getByLabel('Name').fill('Local');
  await dialog.getByRole('button', { name: 'Create' }).click();
  await expect.poll(() => editorText(page)).toContain('async function onTrack');
  await setEditorText(page, `async function onTrack() {\n  const res = await fetch('${echoServer.origin}/local');\n  return res.status;\n}\n`);
  await page.getByLabel('Load event').selectOption('sample:track');
  await page.getByRole('tab', { name: 'Mocks' }).click();
  const strict = page.getByLabel(/^Strict network/);
  await expect(strict).not.toBeChecked();

  await page.getByRole('button', { name: 'Run', exact: true }).click();
  const output = page.getByRole('region', { name: 'Output' });
  // Visible without expanding the request.
  await expect(output.getByRole('list', { name: 'Requests' }).getByRole('note', { name: 'Network warning' })).toContainText(
    "127.0.0.1 is a loopback address: Segment's servers could not reach",
  );
  expect(echoServer.received).toHaveLength(1);
  await screenshot(page, '17-network-warning');

  // Checked once function.json is saved (not before), so click rather than check().
  await strict.click();
  await expect(strict).toBeChecked();
  const metaFile = () => {
    const [id] = readdirSync(studio.workspace).filter((name) => !name.startsWith('.'));
    return JSON.parse(readFileSync(join(studio.workspace, id, 'function.json'), 'utf8')) as { strictNetwork?: boolean };
  };
  await expect.poll(() => metaFile().strictNetwork).toBe(true);
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  await expect(output.getByRole('group', { name: 'Error' })).toContainText('blocked (network policy): 127.0.0.1 is a loopback address');
  expect(echoServer.received).toHaveLength(1);

  // The setting belongs to the function: it is still on after a reload.
  await page.reload();
  await page.getByRole('tab', { name: 'Mocks' }).click();
  await expect(page.getByLabel(/^Strict network/)).toBeChecked();
});
