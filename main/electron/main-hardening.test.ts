/**
 * main.ts cannot run here (no Electron binary), so its security-relevant wiring is
 * checked on the source text: the literal webPreferences flags and the handlers of
 * Electron's security checklist.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';

const source = readFileSync(path.join(__dirname, 'main.ts'), 'utf8');
const code = source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');

function webPreferencesLiterals(): string[] {
  return [...code.matchAll(/webPreferences:\s*\{([^}]*)\}/g)].map((m) => m[1]);
}

describe('main.ts hardening (static)', () => {
  it('creates windows only with the literal hardened webPreferences', () => {
    const literals = webPreferencesLiterals();
    expect(literals).toHaveLength(1);
    expect(code.match(/new BrowserWindow\(/g)).toHaveLength(1);
    const prefs = literals[0];
    for (const flag of [
      /\bcontextIsolation:\s*true\b/,
      /\bsandbox:\s*true\b/,
      /\bnodeIntegration:\s*false\b/,
      /\bwebSecurity:\s*true\b/,
      /\ballowRunningInsecureContent:\s*false\b/,
      /\bexperimentalFeatures:\s*false\b/,
      /\bwebviewTag:\s*false\b/,
      /\bnodeIntegrationInWorker:\s*false\b/,
      /\bnodeIntegrationInSubFrames:\s*false\b/,
    ]) {
      expect(prefs, String(flag)).toMatch(flag);
    }
    expect(prefs).not.toMatch(/enableBlinkFeatures|disableBlinkFeatures|additionalArguments|:\s*!|\.\.\./);
    expect(prefs).toMatch(/preload:\s*PRELOAD_FILE/);
    // DevTools only outside a packaged build.
    expect(prefs).toMatch(/\bdevTools:\s*DEVTOOLS\b/);
    expect(code).toMatch(/^const DEVTOOLS = !app\.isPackaged;$/m);
    expect(code).toMatch(/PRELOAD_FILE = APP_PATHS\.preloadFile;/);
  });

  it('turns on the sandbox globally and holds a single-instance lock', () => {
    expect(code).toMatch(/\bapp\.enableSandbox\(\);/);
    expect(code).toMatch(/app\.requestSingleInstanceLock\(\)/);
    // Schemes must be registered before ready: at module top level, before start().
    expect(code.indexOf('protocol.registerSchemesAsPrivileged')).toBeLessThan(code.indexOf('async function start'));
    expect(code).toMatch(/scheme: APP_SCHEME,\s*privileges: \{[^}]*standard: true[^}]*secure: true/);
    expect(code).not.toMatch(/bypassCSP/);
  });

  it('serves the renderer only from app:// through the checked resolver, with no remote content', () => {
    expect(code).toMatch(/protocol\.handle\(APP_SCHEME, \(request\) => serveAppRequest\(RENDERER_DIR, request\.url, request\.method\)\)/);
    expect(code).toMatch(/loadURL\(APP_ENTRY_URL\)/);
    expect(code).not.toMatch(/loadFile\(|loadURL\((?!APP_ENTRY_URL)/);
    expect(code).toMatch(/onBeforeRequest\(\{ urls: \['<all_urls>'\] \}[\s\S]*?isAllowedRequestUrl\(details\.url\)/);
  });

  it('denies navigation, new windows, webviews and every permission', () => {
    expect(code).toMatch(/app\.on\('web-contents-created', \(_event, contents\) => hardenWebContents\(contents\)\)/);
    expect(code).toMatch(/on\('will-navigate'[\s\S]*?event\.preventDefault\(\)/);
    expect(code).toMatch(/on\('will-frame-navigate'[\s\S]*?event\.preventDefault\(\)/);
    expect(code).toMatch(/on\('will-attach-webview', \(event\) => event\.preventDefault\(\)\)/);
    expect(code).toMatch(/setWindowOpenHandler\(\(\{ url \}\) => \{\s*openExternally\(url\);\s*return \{ action: 'deny' \};/);
    expect(code).toMatch(/const safe = externalUrlToOpen\(url\);[\s\S]*?shell\.openExternal\(safe\)/);
    // The user confirms every link first: openExternal runs only for the prompt's Open button.
    expect(code).toMatch(/dialog\.showMessageBox\(mainWindow, prompt\)[\s\S]*?response === OPEN_LINK_BUTTON \? shell\.openExternal\(safe\)/);
    expect(code.match(/shell\.openExternal\(/g)).toHaveLength(1);
    expect(code).toMatch(/setPermissionRequestHandler\(\(_contents, _permission, callback\) => callback\(false\)\)/);
    expect(code).toMatch(/setPermissionCheckHandler\(\(\) => false\)/);
  });

  it('has exactly one IPC entry point, sender-checked, and pushes events on one channel', () => {
    expect(code.match(/ipcMain\.(handle|on|once|handleOnce)\(/g)).toEqual(['ipcMain.handle(']);
    expect(code).toMatch(/ipcMain\.handle\(CALL_CHANNEL, \(event, method: unknown, args: unknown\) => handleIpcCall\(api, senderOf\(event\), method, args\)\)/);
    expect(code).toMatch(/frameUrl: frame \? frame\.url : null/);
    expect(code).toMatch(/isMainFrame: frame !== null && frame\.parent === null/);
    expect(code).toMatch(/event\.sender === mainWindow\.webContents/);
    expect(code).toMatch(/webContents\.send\(EVENT_CHANNEL, event\)/);
  });

  it('keeps secrets in the OS keychain', () => {
    expect(code).toMatch(/secretStore: new KeytarSecretStore\(\)/);
  });

  it('never runs user code in the main process: the runtime is a utilityProcess', () => {
    expect(code).toMatch(/createUtilityProcessRuntime\(/);
    expect(code).not.toMatch(/from '\.\.\/\.\.\/runtime'|from '\.\.\/\.\.\/runtime\/index'|createRuntime\(/);
    const utility = readFileSync(path.join(__dirname, 'utility-runtime.ts'), 'utf8');
    expect(utility).toMatch(/utilityProcess\.fork\(entry, \[\], \{[\s\S]*?env: runtimeProcessEnv\(process\.env\)/);
  });
});
