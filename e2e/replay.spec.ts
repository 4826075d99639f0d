import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { editorText, expect, screenshot, setEditorText, test } from './fixtures';

const EVENTS = 3000;

/** A gzipped NDJSON capture: 300 events the handler rejects, 30 that disable the destination, one bad line. */
function capture(): string {
  const lines: string[] = [];
  for (let i = 0; i < EVENTS; i++) {
    lines.push(
      JSON.stringify({
        type: 'track',
        event: i % 10 === 3 ? 'Bad Order' : 'Order Completed',
        messageId: `m${i}`,
        userId: `u${i % 50}`,
        properties: { total: i },
        integrations: i % 100 === 7 ? { All: false } : {},
      }),
    );
  }
  lines.push('this line is not JSON');
  return gzipSync(lines.join('\n') + '\n').toString('base64');
}

test('replay: drop a gzipped capture, watch progress, read the dashboard, drill into a failure, export', async ({ page, studio }) => {
  await page.goto(studio.url);
  await page.getByRole('button', { name: 'New function' }).click();
  const dialog = page.getByRole('dialog', { name: 'New function' });
  await dialog.getByLabel('Name').fill('Replayer');
  await dialog.getByRole('button', { name: 'Create' }).click();
  await expect.poll(() => editorText(page)).toContain('async function onTrack');
  await setEditorText(
    page,
    [
      'async function onTrack(event, settings) {',
      '  await new Promise((resolve) => setTimeout(resolve, 3));',
      "  if (event.event === 'Bad Order') throw new ValidationError('order ' + event.messageId + ' has no email');",
      "  console.log('sent', event.messageId);",
      '}',
      '',
    ].join('\n'),
  );
  // Replay runs handler.js as saved on disk.
  await page.keyboard.press('ControlOrMeta+S');
  await expect(page.getByRole('img', { name: 'unsaved changes' })).toHaveCount(0);

  await page.getByRole('button', { name: 'Replay', exact: true }).click();
  const view = page.getByRole('region', { name: 'Replay' });
  await expect(view).toBeVisible();

  // Drop the file as a browser would (a DataTransfer holding a File).
  const transfer = await page.evaluateHandle((b64) => {
    // Runs in the page; e2e code is type-checked without the DOM library.
    const browser = globalThis as unknown as {
      DataTransfer: new () => { items: { add(file: unknown): void } };
      File: new (parts: unknown[], name: string, options: { type: string }) => unknown;
    };
    const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
    const dt = new browser.DataTransfer();
    dt.items.add(new browser.File([bytes], 'capture.ndjson.gz', { type: 'application/gzip' }));
    return dt;
  }, capture());
  await view.getByTestId('replay-drop').dispatchEvent('drop', { dataTransfer: transfer });
  await expect(view.getByRole('list', { name: 'Files to replay' })).toContainText('capture.ndjson.gz');
  await view.getByRole('button', { name: 'Start replay' }).click();

  // Progress while it runs (3000 invocations of a few ms each), with a cancel button.
  const progress = view.getByRole('status', { name: 'Replay progress' });
  await expect(progress).toBeVisible();
  await expect(view.getByRole('button', { name: 'Cancel replay' })).toBeVisible();
  await expect(progress).toContainText(/events · [\d,]+\/s/, { timeout: 20_000 });
  await screenshot(page, '40-replay-progress');

  // The dashboard.
  const dashboard = view.getByTestId('replay-dashboard');
  await expect(dashboard).toBeVisible({ timeout: 120_000 });
  await expect(view.getByTestId('tile-Events')).toContainText('3,000');
  await expect(view.getByTestId('tile-Delivered')).toContainText('2,670');
  await expect(view.getByTestId('tile-Filtered')).toContainText('30');
  await expect(view.getByTestId('tile-Message Rejected')).toContainText('300');
  await expect(view.getByTestId('tile-Skipped lines')).toContainText('1');
  await expect(dashboard).toContainText('capture.ndjson.gz (ndjson, gzip)');
  await expect(view.getByTestId('p95')).not.toHaveText('');
  await expect(view.getByRole('region', { name: 'Top errors' })).toContainText('300 Message Rejected: order m# has no email');
  await expect(view.getByRole('figure', { name: 'Latency histogram' }).locator('canvas')).toBeVisible();
  await expect(view.getByRole('figure', { name: 'Throughput over time' }).locator('canvas')).toBeVisible();
  await screenshot(page, '41-replay-dashboard');

  // Drill into a failure: the outcome tile filters the table; a row opens its details.
  await view.getByTestId('tile-Message Rejected').click();
  await expect(view.getByTestId('replay-matched')).toHaveText('300 events');
  const table = view.getByRole('grid', { name: 'Replayed events' });
  await expect(table.getByRole('row').first()).toContainText('Message Rejected');
  await table.getByRole('row').first().click();
  const detail = view.getByLabel('Event details');
  await expect(detail.getByTestId('outcome-badge')).toHaveText('Message Rejected');
  await expect(detail.getByRole('group', { name: 'Error' })).toContainText(/ValidationError: order m\d+ has no email/);
  await screenshot(page, '42-replay-failure-detail');

  // "Save as test" drafts a test case from the replayed event and its outcome (issue 10).
  await detail.getByRole('button', { name: 'Save as test', exact: true }).click();
  await expect(view).toBeHidden();
  const draft = page.getByRole('form', { name: 'New test case' });
  await expect(draft).toBeVisible();
  const drafted = JSON.parse(await draft.getByLabel('Test case JSON').inputValue()) as { event: { event: string }; expect: { outcome: string } };
  expect(drafted.event.event).toBe('Bad Order');
  expect(drafted.expect.outcome).toBe('Message Rejected');
  await page.getByRole('button', { name: 'Replay', exact: true }).click();
  await expect(detail.getByTestId('outcome-badge')).toHaveText('Message Rejected');

  // Export the events as CSV.
  const downloading = page.waitForEvent('download');
  await view.getByRole('button', { name: 'Export events CSV' }).click();
  const download = await downloading;
  const csv = readFileSync(await download.path(), 'utf8').trim().split('\r\n');
  expect(csv[0]).toBe('seq,file,line,type,event,messageId,category,end,attempts,latencyMs,virtualMs,error,filteredBy');
  expect(csv).toHaveLength(EVENTS + 1);
  expect(csv.filter((line) => line.includes(',Message Rejected,discarded,1,'))).toHaveLength(300);

  // The event goes to the editor for a single run.
  await detail.getByRole('button', { name: 'Open in event editor' }).click();
  await expect(view).toBeHidden();
  await expect.poll(() => editorText(page, 'event-editor')).toMatch(/"event": "Bad Order"/);
});

test('replay: destination filters are checked, stored as filters.json and applied', async ({ page, studio }) => {
  await page.goto(studio.url);
  await page.getByRole('button', { name: 'New function' }).click();
  const dialog = page.getByRole('dialog', { name: 'New function' });
  await dialog.getByLabel('Name').fill('Filtered');
  await dialog.getByRole('button', { name: 'Create' }).click();
  await expect.poll(() => editorText(page)).toContain('async function onTrack');
  await setEditorText(page, "async function onTrack(event) {\n  console.log('got', event.event);\n}\n");
  await page.keyboard.press('ControlOrMeta+S');
  await expect(page.getByRole('img', { name: 'unsaved changes' })).toHaveCount(0);
  await page.getByRole('button', { name: 'Replay', exact: true }).click();
  const view = page.getByRole('region', { name: 'Replay' });

  const box = view.getByLabel(/Destination filters/);
  await box.fill('[{"title": "no tests", "if": "event = ", "actions": [{"type": "DROP"}], "enabled": true}]');
  await view.getByRole('button', { name: 'Save to filters.json' }).click();
  await expect(view.getByRole('alert')).toContainText('"if" is not valid FQL');
  await box.fill('[{"title": "no tests", "if": "contains(event, \\"Test\\")", "actions": [{"type": "DROP"}], "enabled": true}]');
  await view.getByRole('button', { name: 'Save to filters.json' }).click();
  await expect(view.getByText('saved 1 filter to filters.json')).toBeVisible();
  const stored = JSON.parse(readFileSync(join(studio.workspace, 'filtered', 'filters.json'), 'utf8'));
  expect(stored).toEqual([{ title: 'no tests', if: 'contains(event, "Test")', actions: [{ type: 'DROP' }], enabled: true }]);

  const ndjson = ['Order Completed', 'Test Event', 'Signed Up'].map((event, i) => JSON.stringify({ type: 'track', event, userId: `u${i}` })).join('\n');
  const transfer = await page.evaluateHandle((text) => {
    const browser = globalThis as unknown as {
      DataTransfer: new () => { items: { add(file: unknown): void } };
      File: new (parts: unknown[], name: string, options: { type: string }) => unknown;
    };
    const dt = new browser.DataTransfer();
    dt.items.add(new browser.File([text], 'few.ndjson', { type: 'application/x-ndjson' }));
    return dt;
  }, ndjson);
  await view.getByTestId('replay-drop').dispatchEvent('drop', { dataTransfer: transfer });
  await view.getByRole('button', { name: 'Start replay' }).click();
  await expect(view.getByTestId('replay-dashboard')).toBeVisible({ timeout: 60_000 });
  await expect(view.getByTestId('tile-Filtered')).toContainText('1');
  await expect(view.getByTestId('tile-Delivered')).toContainText('2');
  await view.getByTestId('tile-Filtered').click();
  await view.getByRole('grid', { name: 'Replayed events' }).getByRole('row').first().click();
  await expect(view.getByLabel('Event details')).toContainText('Not delivered: filtered by filter: no tests');
  await screenshot(page, '43-replay-filters');
});

test('replay: a dropped capture bigger than a web host message uploads in chunks and replays', async ({ page, studio }) => {
  await page.goto(studio.url);
  await page.getByRole('button', { name: 'New function' }).click();
  const dialog = page.getByRole('dialog', { name: 'New function' });
  await dialog.getByLabel('Name').fill('Big Capture');
  await dialog.getByRole('button', { name: 'Create' }).click();
  await expect.poll(() => editorText(page)).toContain('async function onTrack');
  await setEditorText(page, "async function onTrack(event) {\n  if (event.properties.n % 1000 === 999) throw new ValidationError('no ' + event.properties.n);\n}\n");
  await page.keyboard.press('ControlOrMeta+S');
  await expect(page.getByRole('img', { name: 'unsaved changes' })).toHaveCount(0);
  await page.getByRole('button', { name: 'Replay', exact: true }).click();
  const view = page.getByRole('region', { name: 'Replay' });

  // ~12 MB of NDJSON, made in the page: more than one web host message (8 MB) can carry.
  const EVENTS = 10_000;
  const transfer = await page.evaluateHandle((count) => {
    const browser = globalThis as unknown as {
      DataTransfer: new () => { items: { add(file: unknown): void } };
      File: new (parts: unknown[], name: string, options: { type: string }) => { size: number };
    };
    const lines: string[] = [];
    for (let n = 0; n < count; n++) lines.push(JSON.stringify({ type: 'track', event: 'Page Scrolled', userId: `u${n}`, properties: { n, note: `${n}:`.padEnd(1200, 'x') } }));
    const dt = new browser.DataTransfer();
    dt.items.add(new browser.File([lines.join('\n') + '\n'], 'big-capture.ndjson', { type: 'application/x-ndjson' }));
    return dt;
  }, EVENTS);
  await view.getByTestId('replay-drop').dispatchEvent('drop', { dataTransfer: transfer });
  const files = view.getByRole('list', { name: 'Files to replay' });
  await expect(files).toContainText('big-capture.ndjson');
  const shownMb = Number(/([\d.]+) MB/.exec((await files.textContent()) ?? '')?.[1]);
  expect(shownMb).toBeGreaterThan(8);
  await view.getByRole('button', { name: 'Start replay' }).click();

  const dashboard = view.getByTestId('replay-dashboard');
  await expect(dashboard).toBeVisible({ timeout: 120_000 });
  await expect(view.getByTestId('tile-Events')).toContainText('10,000');
  await expect(view.getByTestId('tile-Delivered')).toContainText('9,990');
  await expect(view.getByTestId('tile-Message Rejected')).toContainText('10');
  await expect(dashboard).toContainText('big-capture.ndjson (ndjson)');
  await expect(view.getByRole('alert')).toHaveCount(0);
  await screenshot(page, '44-replay-big-capture');
});
