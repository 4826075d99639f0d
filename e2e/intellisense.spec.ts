import type { Locator, Page } from '@playwright/test';
import { expect, screenshot, setEditorText, test } from './fixtures';
import { addSetting, createFunction } from './settings-helpers';

const CODE = [
  'async function onTrack(event, settings) {',
  '  const key = settings.apiKey;',
  '  const typo = settings.apiKee;',
  '  await fetch("https://api.test/x");',
  '  return event.properties;',
  '}',
  '',
].join('\n');

/** Moves the mouse over the middle of an element (decorations do not take pointer events themselves). */
async function hoverCenter(page: Page, locator: Locator): Promise<void> {
  const box = await locator.boundingBox();
  if (!box) throw new Error('nothing to hover: the element is not visible');
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2 - 2, { steps: 4 });
}

/** Puts the cursor at the end of 1-based `line` and types `text` there. */
async function typeAtLineEnd(page: Page, line: number, text: string): Promise<void> {
  const editor = page.getByTestId('code-editor');
  await editor.locator('.view-line').nth(line - 1).click();
  await page.keyboard.press('End');
  await page.keyboard.type(text, { delay: 30 });
}

test('settings-aware completion, typed handler events without JSDoc, a flagged unknown setting, docs on hover', async ({ page, studio }) => {
  await page.goto(studio.url);
  await createFunction(page, 'Smart Editor');
  await page.getByRole('tab', { name: 'Settings' }).click();
  await addSetting(page, 'API Key');
  const debug = await addSetting(page, 'Debug');
  await debug.getByLabel('Type').selectOption('BOOLEAN');
  await page.getByRole('button', { name: 'Save settings' }).click();
  await expect(page.getByRole('button', { name: 'Save settings' })).toBeDisabled();
  await page.getByRole('tab', { name: 'Event' }).click();
  await setEditorText(page, CODE);
  const editor = page.getByTestId('code-editor');

  // The undeclared name is flagged (a warning squiggle), the declared one is not.
  await expect(editor.locator('.squiggly-warning')).toHaveCount(1);
  await hoverCenter(page, editor.locator('.squiggly-warning'));
  const hover = page.locator('.monaco-hover').filter({ hasText: 'is not a declared setting' });
  await expect(hover).toContainText('“apiKee” is not a declared setting of this function (declared: apiKey, debug)');
  await page.mouse.move(0, 0);

  // settings. completes the declared settings with their types.
  await typeAtLineEnd(page, 2, '\nconst d = settings.');
  const suggest = page.locator('.suggest-widget');
  await expect(suggest).toBeVisible();
  await expect(suggest.getByRole('option', { name: /^apiKey/ })).toBeVisible();
  await expect(suggest.getByRole('option', { name: /^debug/ })).toBeVisible();
  await page.keyboard.type('deb', { delay: 30 });
  await page.keyboard.press('ControlOrMeta+Space');
  await expect(page.locator('.suggest-details')).toContainText('debug?: boolean');
  await screenshot(page, '49-settings-completion');
  await page.keyboard.press('Escape');
  await page.keyboard.press('Enter');

  // event. in onTrack is a track event, with no JSDoc in sight.
  await page.keyboard.type('const p = event.', { delay: 30 });
  await expect(suggest).toBeVisible();
  await expect(suggest.getByRole('option', { name: /^properties/ })).toBeVisible();
  await expect(suggest.getByRole('option', { name: /^anonymousId/ })).toBeVisible();
  await page.keyboard.press('Escape');

  // The types follow the builder live: a setting added but not yet saved completes at once.
  await page.getByRole('tab', { name: 'Settings' }).click();
  await addSetting(page, 'Region');
  await page.getByRole('tab', { name: 'Event' }).click();
  await typeAtLineEnd(page, 3, '\nconst r = settings.reg');
  await expect(suggest.getByRole('option', { name: /^region/ })).toBeVisible();
  await page.keyboard.press('Escape');
  await screenshot(page, '50-unknown-setting-flagged');

  // Hovering a Segment global shows its documentation from the runtime's typings.
  // The line's own content span is as wide as its text (the .view-line itself is not).
  const fetchLine = editor.locator('.view-line').filter({ hasText: 'await fetch' }).locator(':scope > span');
  const lineBox = await fetchLine.boundingBox();
  const lineText = await fetchLine.innerText();
  if (!lineBox) throw new Error('the fetch line is not visible');
  // Monaco's font is monospaced: the middle of "fetch" from its character offset.
  const charWidth = lineBox.width / Math.max(1, lineText.length);
  const column = lineText.indexOf('fetch') + 2.5;
  await page.mouse.move(lineBox.x + column * charWidth, lineBox.y + lineBox.height / 2, { steps: 4 });
  await expect(page.locator('.monaco-hover').filter({ hasText: 'node-fetch v2' })).toBeVisible();
  await screenshot(page, '51-global-hover');
});
