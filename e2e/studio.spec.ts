import { editorText, expect, screenshot, setEditorText, test } from './fixtures';

test('author a function from a template, run it against a local server, debug, save and reload', async ({ page, studio, echoServer }) => {
  await page.goto(studio.url);
  await expect(page.getByRole('navigation', { name: 'Functions' })).toContainText('No functions yet');
  await screenshot(page, '01-empty-workspace');

  // New function from a template.
  await page.getByRole('button', { name: 'New function' }).click();
  const dialog = page.getByRole('dialog', { name: 'New function' });
  await dialog.getByLabel('Name').fill('Order Webhook');
  await dialog.getByLabel('Template').selectOption({ label: 'POST to a webhook' });
  await expect(dialog).toContainText('Sends each track and identify event');
  await screenshot(page, '02-new-function-dialog');
  await dialog.getByRole('button', { name: 'Create' }).click();
  await expect(page.getByRole('button', { name: 'Open Order Webhook' })).toHaveAttribute('aria-current', 'true');
  await expect.poll(() => editorText(page)).toContain('async function onTrack');

  // Edit the code: send the track event to the local HTTP server.
  const endpoint = `${echoServer.origin}/collect`;
  const code = [
    '/** @param {SegmentTrackEvent} event @param {FunctionSettings} settings */',
    'async function onTrack(event, settings) {',
    `  const res = await fetch('${endpoint}', {`,
    "    method: 'POST',",
    "    headers: { 'Content-Type': 'application/json' },",
    '    body: JSON.stringify({ event: event.event, userId: event.userId }),',
    '  });',
    "  console.log('delivered', event.event, res.status);",
    '  return res.json();',
    '}',
    '',
  ].join('\n');
  await setEditorText(page, code);
  await expect(page.getByRole('img', { name: 'unsaved changes' })).toBeVisible();

  // Pick the sample track event and run.
  await page.getByLabel('Load event').selectOption('sample:track');
  await expect(page.getByLabel('Load event')).toHaveValue('sample:track');
  await expect.poll(() => editorText(page, 'event-editor')).toContain('"name": "analytics.js"');
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  const output = page.getByRole('region', { name: 'Output' });
  const badge = output.locator('.outcome-summary').getByTestId('outcome-badge');
  await expect(badge).toBeVisible();
  // On failure, show the whole output panel (error, logs) rather than just the badge.
  expect(await badge.innerText(), await output.innerText()).toBe('Success');
  const requests = output.getByRole('list', { name: 'Requests' });
  await expect(requests.locator('summary').first()).toContainText(endpoint);
  await expect(requests.locator('.req-method').first()).toHaveText('POST');
  await expect(requests).toContainText('200');
  await requests.locator('summary').first().click();
  await expect(requests).toContainText('x-echo');
  await expect(requests).toContainText('"event": "Course Clicked"');
  await expect(output.getByRole('list', { name: 'Console output' })).toContainText('delivered Course Clicked 200');
  await expect(output.getByRole('region', { name: 'Return value' })).toContainText('"ok": true');
  expect(echoServer.received).toHaveLength(1);
  expect(echoServer.received[0]).toMatchObject({ method: 'POST', url: '/collect' });
  expect(JSON.parse(echoServer.received[0].body)).toEqual({ event: 'Course Clicked', userId: 'AiUGstSDIg' });
  await screenshot(page, '03-run-success');

  // Make it reject the event: Message Rejected, and the stack frame jumps to the line.
  const rejecting = [
    '/** @param {SegmentTrackEvent} event */',
    'async function onTrack(event) {',
    "  const plan = event.properties.plan || 'none';",
    "  if (plan === 'none') throw new ValidationError('properties.plan is required');",
    '  return plan;',
    '}',
    '',
  ].join('\n');
  await setEditorText(page, rejecting);
  await page.keyboard.press('ControlOrMeta+Enter');
  await expect(output.locator('.outcome-summary').getByTestId('outcome-badge')).toHaveText('Message Rejected');
  const error = output.getByRole('group', { name: 'Error' });
  await expect(error).toContainText('ValidationError: properties.plan is required');
  await page.locator('[data-testid=code-editor] .view-lines').click({ position: { x: 5, y: 5 } });
  await expect(page.getByTestId('cursor-position')).toHaveText(/^Ln 1,/);
  await error.getByRole('button', { name: /^Go to line 4/ }).first().click();
  await expect(page.getByTestId('cursor-position')).toHaveText(/^Ln 4, Col \d+$/);
  await screenshot(page, '04-message-rejected');

  // Save, reload: the code is still there and nothing is dirty.
  await page.keyboard.press('ControlOrMeta+S');
  await expect(page.getByRole('img', { name: 'unsaved changes' })).toHaveCount(0);
  await page.reload();
  await expect.poll(() => editorText(page)).toContain("throw new ValidationError('properties.plan is required')");
  await expect(page.getByRole('img', { name: 'unsaved changes' })).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Open Order Webhook' })).toHaveAttribute('aria-current', 'true');
});

test('IntelliSense knows the runtime globals, and require/import are flagged', async ({ page, studio }) => {
  await page.goto(studio.url);
  await page.getByRole('button', { name: 'New function' }).click();
  const dialog = page.getByRole('dialog', { name: 'New function' });
  await dialog.getByLabel('Name').fill('Intellisense');
  await dialog.getByRole('button', { name: 'Create' }).click();
  await expect.poll(() => editorText(page)).toContain('function onTrack');

  await setEditorText(page, 'async function onTrack(event, settings) {\n  \n}\n');
  await page.keyboard.press('ControlOrMeta+Home');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('End');
  await page.keyboard.type('_.pi');
  const suggest = page.locator('.suggest-widget');
  await expect(suggest).toBeVisible();
  await expect(suggest).toContainText('pick');
  await expect(suggest).toContainText('pickBy');
  await screenshot(page, '05-intellisense-lodash');
  await page.keyboard.press('Escape');

  await page.keyboard.press('End');
  await page.keyboard.type(';\n  const res = await fetch(');
  const hints = page.locator('.parameter-hints-widget');
  await expect(hints).toBeVisible();
  await expect(hints).toContainText('url: string | URL | Request');
  await page.keyboard.press('Escape');
  await page.keyboard.type("'https://example.com');\n  res.");
  await expect(suggest).toBeVisible();
  await expect(suggest).toContainText('json');
  await expect(suggest).toContainText('status');
  await screenshot(page, '06-intellisense-fetch');
  await page.keyboard.press('Escape');

  await setEditorText(page, "const _ = require('lodash');\nimport fetch from 'node-fetch';\nasync function onTrack() {}\n");
  const squiggles = page.getByTestId('code-editor').locator('.squiggly-error');
  await expect(squiggles).toHaveCount(2);
  const box = await squiggles.first().boundingBox();
  if (!box) throw new Error('the require squiggle has no box');
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await expect(page.locator('.monaco-hover:not(.hidden)').first()).toContainText("can't import dependencies");
  await screenshot(page, '07-require-flagged');
});
