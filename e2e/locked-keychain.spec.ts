/**
 * A locked OS keychain in the browser, with a real gnome-keyring (not a mock): the secret is
 * stored while the keyring is unlocked, the keyring is locked under the running web host,
 * and the user sees it named as locked, runs needing the secret refused, and everything
 * working again after unlocking and retrying. The keyring and its bus belong to this test
 * alone (e2e/keyring.ts), so the session `npm test` runs in is never locked.
 */
import { expect, screenshot, test } from './fixtures';
import { startPrivateKeyring, type PrivateKeyring } from './keyring';
import { addRequiredSecretSetting, createFunction, expectOutcome, openSettingsPanel, pageExposure, saveCodeWithTrackEvent } from './settings-helpers';

const SECRET = 'sk_live_e2e_Locked_4321';
const MASKED = '••••4321';

const withPrivateKeyring = test.extend<{ keyring: PrivateKeyring }>({
  // eslint-disable-next-line no-empty-pattern
  keyring: async ({}, use) => {
    const keyring = await startPrivateKeyring();
    const pids = keyring.pids();
    try {
      await use(keyring);
    } finally {
      // After the web host (which depends on scratch, which depends on this) has stopped.
      await keyring.stop();
    }
    // Nothing of the private keyring outlives its test.
    expect(pids.filter(isRunning), 'private dbus-daemon / gnome-keyring-daemon still running').toEqual([]);
  },
  // The web host inherits the test process's environment when the studio fixture starts it.
  scratch: async ({ scratch, keyring }, use) => {
    const saved = process.env.DBUS_SESSION_BUS_ADDRESS;
    process.env.DBUS_SESSION_BUS_ADDRESS = keyring.address;
    try {
      await use(scratch);
    } finally {
      if (saved === undefined) delete process.env.DBUS_SESSION_BUS_ADDRESS;
      else process.env.DBUS_SESSION_BUS_ADDRESS = saved;
    }
  },
});

withPrivateKeyring('locked keychain: the banner says locked, runs needing the secret are refused, unlock + Retry recovers', async ({ page, studio, keyring }) => {
  await page.goto(studio.url);
  await createFunction(page, 'Locked Keychain');
  await saveCodeWithTrackEvent(page, "async function onTrack(event, settings) {\n  console.log('token', settings.token);\n  return { token: settings.token };\n}\n");

  // A required encrypted setting, its test value stored while the keyring is unlocked.
  const panel = await openSettingsPanel(page);
  await addRequiredSecretSetting(page, 'Token');
  const banner = panel.getByTestId('keychain-banner');
  await expect(banner).toHaveCount(0);
  const field = panel.getByRole('region', { name: 'Preview' }).locator('[data-setting="token"]');
  const input = field.locator('input[type="password"]');
  await input.fill(SECRET);
  await input.press('Enter');
  await expect(field.getByTestId('secret-mask')).toContainText('set · in keychain');

  const output = page.getByRole('region', { name: 'Output' });
  const consoleOutput = output.getByRole('list', { name: 'Console output' });
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  await expectOutcome(page, 'Success');
  await expect(consoleOutput).toContainText(`token ${MASKED}`);

  // Lock it under the running host, the way a desktop session locks its keyring.
  await keyring.lock();
  await page.reload();
  await page.getByRole('tab', { name: 'Settings' }).click();
  await expect(banner).toContainText('The OS keychain is locked:');
  await expect(banner).toContainText('Unlock it (log in to your desktop keyring), then retry.');
  await expect(banner).not.toContainText('unavailable');
  // Still recorded as set (the keyring still holds it), but nothing can be done with it now.
  await expect(field.getByTestId('secret-mask')).toContainText('set · in keychain');
  await expect(field.getByRole('button', { name: 'Reveal Token' })).toBeDisabled();
  await expect(field.getByRole('button', { name: 'Change Token' })).toBeDisabled();

  await page.getByRole('button', { name: 'Run', exact: true }).click();
  await expectOutcome(page, 'Invalid Settings');
  await expect(output).toContainText('Encrypted setting "Token" (token) cannot be read: keychain locked');
  expect(await pageExposure(page)).not.toContain(SECRET);
  await field.scrollIntoViewIfNeeded();
  await screenshot(page, 'locked-keychain-01-refused');

  // Retrying while still locked changes nothing.
  const retry = banner.getByRole('button', { name: 'Retry' });
  await retry.click();
  await expect(retry).toBeEnabled();
  await expect(banner).toContainText('The OS keychain is locked:');

  // Unlocked, the next run gets the secret again, shown only masked (the value survived the
  // lock), and the banner goes by itself: the run's finding is shown, not a stale one.
  await keyring.unlock();
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  await expectOutcome(page, 'Success');
  await expect(consoleOutput).toContainText(`token ${MASKED}`);
  await expect(output.getByLabel('Return value')).toContainText(MASKED);
  await expect(banner).toHaveCount(0);
  await expect(field.getByRole('button', { name: 'Reveal Token' })).toBeEnabled();
  expect(await pageExposure(page)).not.toContain(SECRET);
  await screenshot(page, 'locked-keychain-02-unlocked-run');
  await field.getByRole('button', { name: 'Reveal Token' }).click();
  await expect(field.getByLabel('Token (revealed)')).toHaveValue(SECRET);
  await field.getByRole('button', { name: 'Hide' }).click();
  expect(await pageExposure(page)).not.toContain(SECRET);

  // Locked again: the refused run brings the banner back; unlocked, Retry clears it.
  await keyring.lock();
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  await expectOutcome(page, 'Invalid Settings');
  await expect(banner).toContainText('The OS keychain is locked:');
  await keyring.unlock();
  await banner.getByRole('button', { name: 'Retry' }).click();
  await expect(banner).toHaveCount(0);
});

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
