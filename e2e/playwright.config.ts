import { defineConfig } from '@playwright/test';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

// Debian's Chromium (Playwright cannot download browsers here). Flags from
// shared/design/platform-notes.md; they work as root and without a GPU.
const chromiumPath = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

// Chromium writes to HOME and the XDG dirs: keep that inside the (git-ignored) results folder
// rather than the developer's own profile.
const browserHome = join(__dirname, '..', 'test-results', 'chromium-home');
const browserEnv: Record<string, string> = {
  HOME: browserHome,
  XDG_CONFIG_HOME: join(browserHome, 'config'),
  XDG_CACHE_HOME: join(browserHome, 'cache'),
  XDG_DATA_HOME: join(browserHome, 'data'),
  XDG_RUNTIME_DIR: join(browserHome, 'run'),
};
for (const dir of Object.values(browserEnv)) mkdirSync(dir, { recursive: true, mode: 0o700 });

export default defineConfig({
  testDir: '.',
  testMatch: '**/*.spec.ts',
  timeout: 120_000,
  expect: { timeout: 20_000 },
  workers: 1,
  // A stray `.only` would silently skip the rest of the suite.
  forbidOnly: true,
  reporter: [['list']],
  outputDir: '../test-results',
  use: {
    browserName: 'chromium',
    headless: true,
    viewport: { width: 1440, height: 900 },
    actionTimeout: 20_000,
    launchOptions: {
      executablePath: chromiumPath,
      env: { ...(process.env as Record<string, string>), ...browserEnv },
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--password-store=basic',
      ],
    },
  },
});
