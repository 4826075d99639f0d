/**
 * Steps the settings specs share: create a function, add a setting, wait for a run's
 * outcome, and collect everything on the page a secret could leak into.
 */
import type { Locator, Page } from '@playwright/test';
import { editorText, expect, setEditorText } from './fixtures';

/** Every place a secret could leak into the page: markup, text and the values of inputs. */
export async function pageExposure(page: Page): Promise<string> {
  const html = await page.content();
  // Strings, not functions: the e2e tsconfig has no DOM types.
  const values = await page.evaluate<string>("Array.from(document.querySelectorAll('input, textarea')).map((el) => el.value).join('\\n')");
  const text = await page.evaluate<string>('document.body.innerText');
  return `${html}\n${values}\n${text}`;
}

/** Waits for a run's outcome; on a different one the message carries the whole output panel. */
export async function expectOutcome(page: Page, expected: string): Promise<void> {
  const output = page.getByRole('region', { name: 'Output' });
  const badge = output.locator('.outcome-summary').getByTestId('outcome-badge');
  await expect(badge).toBeVisible();
  await expect
    .poll(async () => ((await badge.textContent()) === expected ? expected : `${await badge.textContent()}\n${await output.innerText()}`))
    .toBe(expected);
}

/**
 * Creates a function once the studio has loaded (templates included), from the template
 * that declares no settings, so the specs start from an empty settings list.
 */
export async function createFunction(page: Page, name: string): Promise<void> {
  await expect(page.getByRole('navigation', { name: 'Functions' })).toContainText('No functions yet');
  await page.getByRole('button', { name: 'New function' }).click();
  const dialog = page.getByRole('dialog', { name: 'New function' });
  await dialog.getByLabel('Name').fill(name);
  await dialog.getByLabel('Template').selectOption({ label: 'Validate and reject' });
  await dialog.getByRole('button', { name: 'Create' }).click();
  await expect.poll(() => editorText(page)).toContain('function onTrack');
}

export async function addSetting(page: Page, label: string): Promise<Locator> {
  await page.getByRole('button', { name: '+ Add setting' }).click();
  const editor = page.getByTestId('setting-editor');
  await expect(editor.getByLabel('Label')).toBeFocused();
  await editor.getByLabel('Label').pressSequentially(label, { delay: 15 });
  return editor;
}

/** Gives the side panel (Settings) more room: wider, with the output panel lowered. */
async function widenSidePanel(page: Page): Promise<void> {
  const side = page.getByRole('separator', { name: 'Resize side panel' });
  await side.focus();
  for (let i = 0; i < 28; i++) await side.press('ArrowLeft');
  const output = page.getByRole('separator', { name: 'Resize output panel' });
  await output.focus();
  for (let i = 0; i < 16; i++) await output.press('ArrowDown');
}

/** Replaces the function's code, saves it and loads Segment's sample track event. */
export async function saveCodeWithTrackEvent(page: Page, code: string): Promise<void> {
  await setEditorText(page, code);
  await page.keyboard.press('ControlOrMeta+S');
  await expect(page.getByRole('img', { name: 'unsaved changes' })).toHaveCount(0);
  await page.getByLabel('Load event').selectOption('sample:track');
}

/** Widens the side panel and opens its Settings tab; returns the Settings region. */
export async function openSettingsPanel(page: Page): Promise<Locator> {
  await widenSidePanel(page);
  await page.getByRole('tab', { name: 'Settings' }).click();
  return page.getByRole('region', { name: 'Settings', exact: true });
}

/** Adds a required, encrypted setting and saves the schema. */
export async function addRequiredSecretSetting(page: Page, label: string): Promise<void> {
  const editor = await addSetting(page, label);
  await editor.getByLabel('Required').check();
  await editor.getByLabel('Encrypted').check();
  await page.getByRole('button', { name: 'Save settings' }).click();
  await expect(page.getByRole('button', { name: 'Save settings' })).toBeDisabled();
}
