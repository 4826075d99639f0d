import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { editorText, expect, screenshot, test } from './fixtures';

test('offline, a rule made from a failed request, per-rule errors, run history and compare', async ({ page, studio }) => {
  await page.goto(studio.url);
  await page.getByRole('button', { name: 'New function' }).click();
  const dialog = page.getByRole('dialog', { name: 'New function' });
  await dialog.getByLabel('Name').fill('Mocked Default');
  await dialog.getByLabel('Template').selectOption({ label: 'All handlers (default)' });
  await dialog.getByRole('button', { name: 'Create' }).click();
  await expect.poll(() => editorText(page)).toContain('https://example.com/track');
  // The template's own mock rules answer its requests; this test starts without them, to see
  // a request the offline toggle blocks and to make a rule from it.
  await writeFile(join(studio.workspace, 'mocked-default', 'mocks.json'), '[]\n');

  // Offline first: the template calls example.com, which must never be reached from a test.
  await page.getByLabel('Offline').check();
  await page.getByLabel('Load event').selectOption('sample:track');
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  const output = page.getByRole('region', { name: 'Output' });
  const badge = output.locator('.outcome-summary').getByTestId('outcome-badge');
  await expect(badge).toHaveText('Retry');
  const request = output.getByRole('list', { name: 'Requests' }).locator('.request').first();
  await request.locator(':scope > details > summary').click();
  await expect(request).toContainText('blocked (offline)');

  // "Mock this request" puts a rule for exactly this request first in the draft.
  await request.getByRole('button', { name: 'Mock this request' }).click();
  const mocks = page.getByRole('region', { name: 'Mock rules' });
  await expect(mocks).toBeVisible();
  await expect(mocks.getByLabel('Rule 0 URL')).toHaveValue('https://example.com/track');
  await expect(mocks.getByLabel('Rule 0 method')).toHaveValue('POST');
  await mocks.getByLabel('Rule 0 status').fill('202');
  await mocks.getByLabel('Rule 0 body').fill('{"accepted": true, "id": "evt_42"}');
  await mocks.getByRole('button', { name: 'Save mocks' }).click();
  await expect(mocks.getByRole('button', { name: 'Save mocks' })).toBeDisabled();
  const onDisk = JSON.parse(await readFile(join(studio.workspace, 'mocked-default', 'mocks.json'), 'utf8')) as unknown;
  expect(onDisk).toEqual([{ method: 'POST', url: 'https://example.com/track', status: 202, body: { accepted: true, id: 'evt_42' } }]);

  await page.getByRole('button', { name: 'Run', exact: true }).click();
  await expect(badge).toHaveText('Success');
  const mockedRequest = output.getByRole('list', { name: 'Requests' }).locator('.request').first();
  await expect(mockedRequest.locator(':scope > details > summary')).toContainText('mocked');
  // The request row stays as it was (expanded) from the previous run.
  if ((await mockedRequest.locator(':scope > details').getAttribute('open')) === null) await mockedRequest.locator(':scope > details > summary').click();
  // JSON bodies are a foldable tree.
  const responseBody = mockedRequest.getByRole('tree', { name: 'Response body' });
  await expect(responseBody).toContainText('"id": "evt_42"');
  await expect(mockedRequest.getByRole('tree', { name: 'Request body' })).toContainText('"event": "Course Clicked"');
  const requestBody = mockedRequest.getByRole('tree', { name: 'Request body' });
  await expect(requestBody.getByText('"Course Clicked"')).toBeVisible();
  await requestBody.locator('summary').first().click();
  await expect(requestBody.getByText('"Course Clicked"')).toBeHidden();
  await expect(requestBody).toContainText('12 keys');
  await requestBody.locator('summary').first().click();
  await screenshot(page, '40-first-run-on-mocks');

  // Copy as cURL: masked headers and the body, ready for a terminal.
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(page.url()).origin });
  await mockedRequest.getByRole('button', { name: 'Copy as cURL' }).click();
  type PageGlobals = { navigator: { clipboard: { readText(): Promise<string> } } };
  const curl = await page.evaluate(() => (globalThis as unknown as PageGlobals).navigator.clipboard.readText());
  expect(curl).toMatch(/^curl 'https:\/\/example\.com\/track' \\\n {2}-H 'authorization: Basic /);
  expect(curl).toContain("--data-raw '{");
  // Already answered by a rule: no second rule offered for it.
  await expect(mockedRequest.getByRole('button', { name: 'Mock this response' })).toHaveCount(0);

  // JSON view: a bad rule is named by its index, and nothing is saved.
  await page.getByRole('tab', { name: 'Mocks' }).click();
  await mocks.getByRole('button', { name: 'JSON' }).click();
  const json = mocks.getByLabel('mocks.json');
  await json.fill('[{"url": "https://example.com/*"}, {"url": "https://api.test/*", "status": 700}]');
  await expect(mocks.getByRole('list', { name: 'Rule problems' })).toContainText("rule [1]: 'status' must be an integer from 200 to 599, got 700");
  await mocks.getByRole('button', { name: 'Form' }).click();
  await expect(mocks.getByRole('listitem', { name: 'Rule 1' }).getByRole('alert')).toContainText("'status' must be an integer");
  await screenshot(page, '41-mocks-rule-error');
  await mocks.getByRole('button', { name: 'Save mocks' }).click();
  await expect(mocks.getByRole('alert').first()).toContainText('mocks.json was not saved');
  await mocks.getByRole('button', { name: 'Revert' }).click();
  await expect(mocks.getByLabel('Rule 0 status')).toHaveValue('202');

  // History: both runs, newest first; reopen the first; compare the two.
  await page.getByRole('tab', { name: 'History' }).click();
  const history = page.getByRole('region', { name: 'Run history' });
  const runs = history.getByRole('list', { name: 'Runs' }).getByRole('listitem');
  await expect(runs).toHaveCount(2);
  await expect(runs.nth(0)).toContainText('Success');
  await expect(runs.nth(1)).toContainText('Retry');
  await expect(runs.nth(1)).toContainText('Sample · Track');
  await expect(runs.nth(1)).toContainText('offline');
  await runs.nth(1).getByRole('button', { name: /^Reopen run/ }).click();
  await expect(badge).toHaveText('Retry');
  await expect(output.getByTestId('outcome-origin')).toContainText('Reopened from the history');
  await runs.nth(0).getByRole('checkbox').check();
  await runs.nth(1).getByRole('checkbox').check();
  const scrolledSideways = () => page.evaluate<number>('document.scrollingElement.scrollLeft + document.querySelector(".app").scrollLeft');
  expect(await scrolledSideways()).toBe(0);
  await history.getByRole('button', { name: 'Compare' }).click();
  const compare = page.getByRole('dialog', { name: 'Compare runs' });
  await expect(compare.getByTestId('compare-left')).toContainText('Retry');
  await expect(compare.getByTestId('compare-right')).toContainText('Success');
  await expect(compare.getByTestId('compare-editor')).toContainText('"outcome": "Retry"');
  await expect(compare.getByTestId('compare-editor')).toContainText('"outcome": "Success"');
  await screenshot(page, '42-run-history-compare');
  // The side panel's long rows never widen the page.
  expect(await scrolledSideways()).toBe(0);
  await compare.getByRole('button', { name: 'Close' }).click();
  await expect(compare).toHaveCount(0);
  expect(await scrolledSideways()).toBe(0);
  await screenshot(page, '43-run-history');

  // The run records live in the git-ignored .fnstudio folder.
  expect(await readFile(join(studio.workspace, 'mocked-default', '.fnstudio', '.gitignore'), 'utf8')).toMatch(/^\*$/m);
});
