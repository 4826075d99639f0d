import { editorText, expect, screenshot, setEditorText, test } from './fixtures';

// A short version of the "Validate and reject" template (the fixture reads back only the
// editor's visible lines): its own two test cases pass on it.
const GOOD_LINE = 'return { accepted: true, userId: event.userId };';
const VALIDATE = [
  'async function onTrack(event) {',
  '  const p = event.properties || {};',
  "  if (typeof p.revenue !== 'number') throw new ValidationError('Order Completed needs a non-negative numeric revenue');",
  '  console.log(`Valid ${event.event} from ${event.userId}`);',
  '  return { accepted: true, event: event.event };',
  '}',
  'async function onIdentify(event) {',
  `  ${GOOD_LINE}`,
  '}',
  '',
].join('\n');

test('save a run as a test, run all, break the code and see the diff, fix it', async ({ page, studio }) => {
  await page.goto(studio.url);
  await page.getByRole('button', { name: 'New function' }).click();
  const dialog = page.getByRole('dialog', { name: 'New function' });
  await dialog.getByLabel('Name').fill('Order Checker');
  await dialog.getByLabel('Template').selectOption({ label: 'Validate and reject' });
  await dialog.getByRole('button', { name: 'Create' }).click();
  await expect.poll(() => editorText(page)).toContain('async function onTrack');
  await setEditorText(page, VALIDATE);

  // The template's own cases are listed, not run yet.
  await page.getByRole('tab', { name: 'Tests' }).click();
  const cases = page.getByRole('list', { name: 'Test cases' });
  await expect(cases.getByRole('listitem')).toHaveCount(2);
  const summary = page.getByRole('status', { name: 'Test summary' });
  await expect(summary).toHaveText('2 cases · not run yet');

  // A single run of an identify event, saved as a test.
  await page.getByRole('tab', { name: 'Event' }).click();
  await setEditorText(page, '{"type": "identify", "userId": "u-42", "traits": {"email": "ada@example.com"}}', 'event-editor');
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  const output = page.getByRole('region', { name: 'Output' });
  await expect(output.locator('.outcome-summary').getByTestId('outcome-badge')).toHaveText('Success');
  await output.getByRole('button', { name: 'Save as test' }).click();
  const draft = page.getByRole('form', { name: 'New test case' });
  await expect(draft).toBeVisible();
  const json = draft.getByLabel('Test case JSON');
  const drafted = JSON.parse(await json.inputValue());
  expect(drafted).toMatchObject({
    event: { type: 'identify', userId: 'u-42' },
    expect: { outcome: 'Success', result: { accepted: true, userId: 'u-42' }, requests: [], requestsExactly: true },
  });
  // Editable before saving: a better name and file name.
  drafted.name = 'accepts an identify with a valid email';
  await json.fill(JSON.stringify(drafted, null, 2));
  await draft.getByLabel('File name').fill('identify-valid-email');
  await screenshot(page, '30-save-as-test-draft');
  await draft.getByRole('button', { name: 'Save test' }).click();
  await expect(draft).toBeHidden();
  const saved = cases.getByRole('listitem', { name: 'accepts an identify with a valid email: passed' });
  await expect(saved).toBeVisible();

  // Run all with the keyboard shortcut.
  await page.getByTestId('code-editor').locator('.view-lines').click();
  await page.keyboard.press('ControlOrMeta+Shift+Enter');
  await expect(summary).toHaveText('3 passed');
  await expect(cases.locator('[data-status="passed"]')).toHaveCount(3);
  await screenshot(page, '31-tests-all-pass');

  // Break the code (unsaved: tests run the editor's code) and run all.
  await setEditorText(page, VALIDATE.replace(GOOD_LINE, 'return { accepted: false, userId: event.userId };'));
  await page.getByRole('button', { name: 'Run all' }).click();
  await expect(summary).toContainText('2 passed, 1 failed');
  await expect(summary).toContainText('1 changed state');
  const broken = cases.getByRole('listitem', { name: 'accepts an identify with a valid email: failed' });
  await expect(broken).toContainText('now fails');
  // The failure is selected: its mismatch, the diff, and its run in the Output panel.
  const failure = page.getByRole('region', { name: 'Failure' });
  await expect(failure.getByRole('list', { name: 'Mismatches' })).toContainText('result.accepted is false, expected true');
  const diff = failure.getByTestId('test-diff');
  await expect(diff.locator('.original .view-lines')).toContainText('"result.accepted": true');
  await expect(diff.locator('.modified .view-lines')).toContainText('"result.accepted": false');
  await expect(output.getByRole('region', { name: 'Return value' })).toContainText('"accepted": false');
  await screenshot(page, '32-test-failure-diff');

  // Fix it: green again, and the case says it changed back.
  await setEditorText(page, VALIDATE);
  await page.keyboard.press('ControlOrMeta+Shift+Enter');
  await expect(summary).toContainText('3 passed');
  await expect(cases.getByRole('listitem', { name: 'accepts an identify with a valid email: passed' })).toContainText('now passes');
  await expect(failure).toBeHidden();
  await screenshot(page, '33-tests-fixed');
  // Long case names and state labels shrink within the side panel instead of widening it.
  const sidePanel = page.locator('.right');
  expect(await sidePanel.evaluate((e) => e.scrollWidth - e.clientWidth)).toBe(0);
});
