import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Locator, Page } from '@playwright/test';
import { editorText, expect, screenshot, test } from './fixtures';
import { createFunction, expectOutcome } from './settings-helpers';

// The interface at the top disappears from the compiled JavaScript, so a frame that pointed
// at the JavaScript's lines would be off by three or more.
const TS_HANDLER = [
  'interface Order {',
  '  plan: string;',
  '}',
  '',
  'function planOf(event: SegmentTrackEvent): Order {',
  '  const plan: string | undefined = event.properties.plan;',
  "  if (!plan) throw new ValidationError('properties.plan is required');",
  '  return { plan };',
  '}',
  '',
  'async function onTrack(event, settings) {',
  '  const order = planOf(event);',
  '  const n: number = event.event;',
  '  return order.plan + settings.region;',
  '}',
  '',
].join('\n');

/** Moves the mouse over the middle of an element (decorations do not take pointer events themselves). */
async function hoverCenter(page: Page, locator: Locator): Promise<void> {
  const box = await locator.boundingBox();
  if (!box) throw new Error('nothing to hover: the element is not visible');
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2 - 2, { steps: 4 });
}

test('a handler.ts opens as TypeScript with the same IntelliSense, its type errors are marked, its stack points at the TypeScript lines, outside edits reload or are flagged', async ({ page, studio }) => {
  await page.goto(studio.url);
  await createFunction(page, 'Typed Orders');
  const dir = join(studio.workspace, 'typed-orders');
  await expect(page.getByTestId('handler-path')).toHaveText(join(dir, 'handler.js'));

  // Outside the app the function becomes TypeScript: the clean buffer follows, as TypeScript.
  await rm(join(dir, 'handler.js'));
  await writeFile(join(dir, 'handler.ts'), TS_HANDLER);
  await expect(page.getByTestId('handler-path')).toHaveText(join(dir, 'handler.ts'));
  await expect(page.getByTestId('handler-language')).toHaveText('TypeScript · deployed as compiled JavaScript');
  await expect(page.locator('header')).toContainText('Typed Orders · handler.ts');
  // Monaco marks its host with the model's language and the editor with the model's path.
  await expect(page.getByTestId('code-editor')).toHaveAttribute('data-mode-id', 'typescript');
  await expect(page.getByTestId('code-editor').locator('.monaco-editor')).toHaveAttribute('data-uri', /\/functions\/typed-orders\/handler\.ts$/);
  await expect.poll(() => editorText(page)).toContain('interface Order {');

  // Type errors are marked at the user's own lines: the wrong type and the undeclared
  // setting, and nothing for the handler's unannotated parameters (typed from its name).
  const editor = page.getByTestId('code-editor');
  const squiggles = editor.locator('.squiggly-error');
  await expect(squiggles).toHaveCount(2);
  // Squiggles are drawn in their own layer: each is told apart by the line it sits on.
  const lineTop = async (locator: Locator) => (await locator.boundingBox())?.y ?? -1;
  const squiggleOn = async (text: string): Promise<Locator> => {
    const top = await lineTop(editor.locator('.view-line').filter({ hasText: text }));
    for (let i = 0; i < 2; i++) if (Math.abs((await lineTop(squiggles.nth(i))) - top) < 4) return squiggles.nth(i);
    throw new Error(`no squiggle on the line with ${text}`);
  };
  await hoverCenter(page, await squiggleOn('settings.region'));
  await expect(page.locator('.monaco-hover').filter({ hasText: '“region” is not a setting of this function: it declares none' })).toBeVisible();
  await page.mouse.move(0, 0);
  await hoverCenter(page, await squiggleOn('const n: number'));
  await expect(page.locator('.monaco-hover').filter({ hasText: "Type 'string' is not assignable to type 'number'" })).toBeVisible();
  await screenshot(page, '52-typescript-type-error');
  await page.mouse.move(0, 0);

  // Hovering a Segment global shows its documentation from the runtime's typings.
  const throwLine = editor.locator('.view-line').filter({ hasText: 'throw new ValidationError' }).locator(':scope > span');
  const lineBox = await throwLine.boundingBox();
  const lineText = await throwLine.innerText();
  if (!lineBox) throw new Error('the throw line is not visible');
  const charWidth = lineBox.width / Math.max(1, lineText.length);
  const column = lineText.indexOf('ValidationError') + 4.5;
  await page.mouse.move(lineBox.x + column * charWidth, lineBox.y + lineBox.height / 2, { steps: 4 });
  await expect(page.locator('.monaco-hover').filter({ hasText: 'The event fails a check of the function' })).toBeVisible();
  await page.mouse.move(0, 0);

  // event. completes a track event's fields: the same IntelliSense as handler.js.
  await editor.locator('.view-line').nth(11).click();
  await page.keyboard.press('End');
  await page.keyboard.type('\nconst p = event.', { delay: 30 });
  const suggest = page.locator('.suggest-widget');
  await expect(suggest.getByRole('option', { name: /^properties/ })).toBeVisible();
  await expect(suggest.getByRole('option', { name: /^anonymousId/ })).toBeVisible();
  await page.keyboard.press('Escape');
  await page.keyboard.type('properties;', { delay: 30 });
  await page.keyboard.press('Escape');
  await expect.poll(() => editorText(page)).toContain('const p = event.properties;');

  // Run it: the ValidationError's frames point at the TypeScript lines, and jump there.
  await page.getByLabel('Load event').selectOption('sample:track');
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  await expectOutcome(page, 'Message Rejected');
  const error = page.getByRole('region', { name: 'Output' }).getByRole('group', { name: 'Error' });
  await expect(error).toContainText('ValidationError: properties.plan is required');
  const frames = error.getByRole('list', { name: 'Stack frames' });
  await expect(frames.getByRole('button', { name: /^Go to line 7, column \d+ in planOf$/ })).toContainText(/handler\.ts:7:\d+/);
  await expect(frames.getByRole('button', { name: /^Go to line 12, column \d+ in onTrack$/ })).toContainText(/handler\.ts:12:\d+/);
  await editor.locator('.view-line').first().click();
  await expect(page.getByTestId('cursor-position')).toHaveText(/^Ln 1,/);
  await frames.getByRole('button', { name: /^Go to line 7,/ }).click();
  await expect(page.getByTestId('cursor-position')).toHaveText(/^Ln 7, Col \d+$/);
  await screenshot(page, '53-typescript-stack');

  // Saving writes handler.ts (and never a handler.js beside it).
  await editor.locator('.view-line').filter({ hasText: 'settings.region' }).click();
  await page.keyboard.press('End');
  await page.keyboard.type(' // ok', { delay: 20 });
  await page.keyboard.press('ControlOrMeta+S');
  await expect(page.getByRole('img', { name: 'unsaved changes' })).toHaveCount(0);
  expect(await readFile(join(dir, 'handler.ts'), 'utf8')).toContain('settings.region; // ok');
  await expect(readFile(join(dir, 'handler.js'), 'utf8')).rejects.toThrow(/ENOENT/);

  // Edited outside the app: a clean buffer reloads; one with edits keeps them and says which file changed.
  await writeFile(join(dir, 'handler.ts'), TS_HANDLER.replace("'properties.plan is required'", "'a plan is required'"));
  await expect.poll(() => editorText(page)).toContain("'a plan is required'");
  await expect(page.getByRole('img', { name: 'unsaved changes' })).toHaveCount(0);
  await editor.locator('.view-line').filter({ hasText: 'settings.region' }).click();
  await page.keyboard.press('End');
  await page.keyboard.type(' // mine', { delay: 20 });
  await writeFile(join(dir, 'handler.ts'), TS_HANDLER.replace('async function onTrack', '// theirs\nasync function onTrack'));
  await expect(page.getByRole('alert').filter({ hasText: 'handler.ts changed on disk while you have unsaved edits.' })).toBeVisible();
  expect(await editorText(page)).toContain('settings.region; // mine');
});
