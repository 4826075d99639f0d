import type { Locator, Page } from '@playwright/test';
import { expect, screenshot, test } from './fixtures';
import { createFunction } from './settings-helpers';

const PANELS = ['Event', 'Settings', 'Mocks', 'History', 'Capture', 'Tests', 'Segment'];

async function box(locator: Locator): Promise<{ x: number; y: number; width: number; height: number }> {
  const b = await locator.boundingBox();
  if (!b) throw new Error('element has no box (not visible)');
  return b;
}

/** Every shown tab lies wholly inside the side panel's tab bar: nothing is cut off or scrolled away. */
async function expectShownTabsInsideBar(page: Page): Promise<string[]> {
  const bar = await box(page.locator('.tabs-bar'));
  const shown: string[] = [];
  for (const name of PANELS) {
    const tab = page.getByRole('tab', { name, exact: true });
    if (!(await tab.isVisible())) continue;
    const b = await box(tab);
    expect(b.x, `${name} starts inside the bar`).toBeGreaterThanOrEqual(bar.x);
    expect(b.x + b.width, `${name} ends inside the bar`).toBeLessThanOrEqual(bar.x + bar.width + 0.5);
    shown.push(name);
  }
  return shown;
}

test('every side panel tab is reachable: all shown at 1440×900, the rest in a More menu on a small screen', async ({ page, studio }) => {
  await page.goto(studio.url);
  await createFunction(page, 'Tabs');

  // 1440×900: all seven in one row, no menu.
  expect(await expectShownTabsInsideBar(page)).toEqual(PANELS);
  await expect(page.getByRole('button', { name: /^More panels/ })).toHaveCount(0);

  // 1024×680: the ones that do not fit are behind More, and each opens its panel from there.
  await page.setViewportSize({ width: 1024, height: 680 });
  const more = page.getByRole('button', { name: /^More panels/ });
  await expect(more).toBeVisible();
  const shown = await expectShownTabsInsideBar(page);
  expect(shown.length).toBeGreaterThanOrEqual(1);
  expect(shown.length).toBeLessThan(PANELS.length);
  const bar = await box(page.locator('.tabs-bar'));
  const moreBox = await box(more);
  expect(moreBox.x + moreBox.width).toBeLessThanOrEqual(bar.x + bar.width + 0.5);

  await more.click();
  const menu = page.getByRole('menu', { name: 'More panels' });
  await expect(menu.getByRole('menuitem')).toHaveText(PANELS.filter((p) => !shown.includes(p)));
  await screenshot(page, '54-side-tabs-more-menu');
  // Keyboard: the first item has focus, arrows move, Escape closes and returns to the button.
  await expect(menu.getByRole('menuitem').first()).toBeFocused();
  await page.keyboard.press('ArrowDown');
  await expect(menu.getByRole('menuitem').nth(1)).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(menu).toHaveCount(0);
  await expect(more).toBeFocused();

  for (const name of PANELS) {
    const tab = page.getByRole('tab', { name, exact: true });
    if (!(await tab.isVisible())) {
      await more.click();
      await page.getByRole('menu', { name: 'More panels' }).getByRole('menuitem', { name, exact: true }).click();
    } else {
      await tab.click();
    }
    // The open panel's tab is always shown (in place of the last that fit), selected, and inside the bar.
    await expect(tab).toBeVisible();
    await expect(tab).toHaveAttribute('aria-selected', 'true');
    await expect(page.getByRole('tabpanel', { name })).toBeVisible();
    await expectShownTabsInsideBar(page);
  }
  await screenshot(page, '55-side-tabs-segment-open-small');

  // A click elsewhere closes the menu.
  await more.click();
  await expect(page.getByRole('menu', { name: 'More panels' })).toBeVisible();
  await page.getByTestId('code-editor').click();
  await expect(page.getByRole('menu', { name: 'More panels' })).toHaveCount(0);
});
