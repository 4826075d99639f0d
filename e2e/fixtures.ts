/**
 * The e2e world: a real web host (built `out/`) on 127.0.0.1 with a temp workspace and
 * temp XDG dirs, a real HTTP server on 127.0.0.1 for functions to call, and a page that
 * fails the test on any console error or any request leaving 127.0.0.1.
 */
import { test as base, expect, type Page } from '@playwright/test';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stopChild } from './child-process';

export interface ReceivedRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface EchoServer {
  /** e.g. http://127.0.0.1:43123 */
  origin: string;
  received: ReceivedRequest[];
}

export interface StudioHost {
  url: string;
  workspace: string;
  /** Everything the host wrote to stderr (for failure messages). */
  stderr: () => string;
  /** Stops the host mid-test (the page then fails to reconnect, which is expected). */
  stop: () => Promise<void>;
  stopped: () => boolean;
}

/**
 * What decides the studio's workspace folder: the --workspace flag (most specs), or
 * nothing, so the default folder in the temp home is used and the workspacePath
 * preference can move it.
 */
export type StudioWorkspaceFrom = 'flag' | 'default';

interface Fixtures {
  studioWorkspaceFrom: StudioWorkspaceFrom;
  scratch: string;
  echoServer: EchoServer;
  studio: StudioHost;
  /** Console errors and off-host requests seen by the page. */
  pageProblems: string[];
}

const ROOT = join(__dirname, '..');
const ARTIFACTS = join(__dirname, 'artifacts');

function startEchoServer(): Promise<{ server: Server; echo: EchoServer }> {
  const received: ReceivedRequest[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      received.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      res.writeHead(200, { 'Content-Type': 'application/json', 'X-Echo': 'fnstudio-e2e' });
      res.end(JSON.stringify({ ok: true, received: body.length }));
    });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({ server, echo: { origin: `http://127.0.0.1:${port}`, received } });
    });
  });
}

function startStudio(scratch: string, workspaceFrom: StudioWorkspaceFrom): Promise<{ child: ChildProcess; host: StudioHost }> {
  const dirs = ['config', 'cache', 'data', 'run', 'tmp', 'home'].map((d) => join(scratch, d));
  const [config, cache, data, run, tmp, home] = dirs;
  const workspace = workspaceFrom === 'flag' ? join(scratch, 'workspace') : join(home, 'fnstudio-functions');
  for (const d of [workspace, ...dirs]) mkdirSync(d, { recursive: true, mode: 0o700 });
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    HOME: home,
    XDG_CONFIG_HOME: config,
    XDG_CACHE_HOME: cache,
    XDG_DATA_HOME: data,
    XDG_RUNTIME_DIR: run,
    TMPDIR: tmp,
    FNSTUDIO_CONFIG_DIR: join(config, 'fnstudio'),
  };
  delete env.FNSTUDIO_WORKSPACE;
  const workspaceArgs = workspaceFrom === 'flag' ? ['--workspace', workspace] : [];
  const child = spawn(process.execPath, [join(ROOT, 'bin', 'fnstudio.js'), 'serve', '--port', '0', ...workspaceArgs, '--no-open'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stderr?.on('data', (c: Buffer) => (stderr += c.toString()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`web host did not print its URL within 30 s; stderr:\n${stderr}`)), 30_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`web host exited with code ${code}; stderr:\n${stderr}`));
    });
    child.stdout?.on('data', (c: Buffer) => {
      stdout += c.toString();
      const match = /^fnstudio: (http:\/\/127\.0\.0\.1:\d+\/\?token=\S+)$/m.exec(stdout);
      if (match) {
        clearTimeout(timer);
        child.removeAllListeners('exit');
        let stopped = false;
        // An unexpected exit (crash, native fault) shows up in the failure report.
        child.on('exit', (code, signal) => {
          if (!stopped) stderr += `\n[web host exited unexpectedly: code ${code}, signal ${signal}]\n`;
        });
        const stop = async () => {
          stopped = true;
          await stopChild(child);
        };
        resolve({ child, host: { url: match[1], workspace, stderr: () => stderr, stop, stopped: () => stopped } });
      }
    });
  });
}


function isLocal(url: string): boolean {
  if (url.startsWith('data:') || url.startsWith('blob:') || url.startsWith('about:')) return true;
  try {
    return new URL(url).hostname === '127.0.0.1';
  } catch {
    return false;
  }
}

export const test = base.extend<Fixtures>({
  studioWorkspaceFrom: ['flag', { option: true }],
  // eslint-disable-next-line no-empty-pattern
  scratch: async ({}, use) => {
    const dir = mkdtempSync(join(tmpdir(), 'fnstudio-e2e-'));
    await use(dir);
    rmSync(dir, { recursive: true, force: true });
  },
  // eslint-disable-next-line no-empty-pattern
  echoServer: async ({}, use) => {
    const { server, echo } = await startEchoServer();
    await use(echo);
    await new Promise<void>((resolve) => server.close(() => resolve()));
  },
  studio: async ({ scratch, studioWorkspaceFrom }, use, testInfo) => {
    const { child, host } = await startStudio(scratch, studioWorkspaceFrom);
    await use(host);
    // A failure report carries what the web host said (crashes, keychain problems).
    if (testInfo.status !== testInfo.expectedStatus) await testInfo.attach('web host stderr', { body: host.stderr(), contentType: 'text/plain' });
    await stopChild(child);
  },
  pageProblems: [
    // Depends on `studio` so the check runs while the host is still up: once it stops, the
    // page's reconnect attempts fail (as they should) and would be reported here.
    async ({ page, studio }, use) => {
      const problems: string[] = [];
      page.on('console', (msg) => {
        if (msg.type() !== 'error') return;
        // Once a test stopped the host on purpose, failed reconnects are the expected outcome.
        if (studio.stopped() && /ERR_CONNECTION_REFUSED/.test(msg.text())) return;
        problems.push(`console error: ${msg.text()}`);
      });
      page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
      page.on('request', (req) => {
        if (!isLocal(req.url())) problems.push(`request left 127.0.0.1: ${req.method()} ${req.url()}`);
      });
      await use(problems);
      expect(problems, 'console errors or requests leaving 127.0.0.1').toEqual([]);
    },
    { auto: true },
  ],
});

export { expect };

/** The editor's visible text (Monaco renders spaces as NBSP). */
export async function editorText(page: Page, testId: 'code-editor' | 'event-editor' = 'code-editor'): Promise<string> {
  const text = await page.getByTestId(testId).locator('.view-lines').innerText();
  return text.replace(/\u00a0/g, ' ');
}

/**
 * Replaces the whole buffer exactly, as a user pasting it would: select all, paste. (Typed or
 * insertText-ed multi-line text gets auto-indented and auto-closed by Monaco.)
 */
export async function setEditorText(page: Page, text: string, testId: 'code-editor' | 'event-editor' = 'code-editor'): Promise<void> {
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(page.url()).origin });
  // Runs in the page; the e2e tsconfig has no DOM lib, hence the local type.
  type PageGlobals = { navigator: { clipboard: { writeText(t: string): Promise<void> } } };
  await page.evaluate((t) => (globalThis as unknown as PageGlobals).navigator.clipboard.writeText(t), text);
  const editor = page.getByTestId(testId);
  await editor.locator('.view-lines').click();
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.press('ControlOrMeta+V');
  // The event editor wraps long lines: compare it without whitespace.
  const normalise = (t: string) => (testId === 'event-editor' ? t.replace(/\s+/g, '') : t);
  await expect
    .poll(async () => normalise(await editorText(page, testId)), { message: `the ${testId} holds the pasted text` })
    .toBe(normalise(visibleText(text)));
}

/** What `editorText` reads back for a buffer: trailing empty lines render as empty rows. */
function visibleText(text: string): string {
  return text.replace(/\n$/, '');
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`) });
}
