/**
 * main.ts end to end without the Electron binary (it cannot be installed here): the
 * `electron` module is replaced by a recording stand-in for the APIs main.ts calls.
 * Everything behind it is real — core services on a temp workspace, the preload's IPC
 * envelope, and the runtime in a separate process (the compiled main/core/runtime-process/entry.js,
 * forked by child_process where Electron would use utilityProcess). What this checks:
 * the order of the security calls, the handlers' decisions, and a function run through
 * the IPC entry point.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { fork } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { HostEvent } from '../contract/transport';
import type { IpcReply } from '../preload/ipc-protocol';

type Listener = (...args: unknown[]) => unknown;

const fake = vi.hoisted(() => {
  const state = {
    calls: [] as string[],
    appListeners: new Map<string, Listener[]>(),
    ipcHandlers: new Map<string, Listener>(),
    protocolHandlers: new Map<string, (req: { url: string; method: string }) => Promise<Response>>(),
    privileged: [] as unknown[],
    permissionRequest: null as null | Listener,
    permissionCheck: null as null | Listener,
    beforeRequest: null as null | Listener,
    windows: [] as Array<{ options: Record<string, unknown>; webContents: FakeWebContents; loaded: string | null }>,
    contents: [] as FakeWebContents[],
    opened: [] as string[],
    /** What each link prompt showed, and the buttons the "user" will press, in order. */
    prompts: [] as Array<{ message: string; detail: string; buttons: string[] }>,
    answers: [] as number[],
    forked: [] as string[],
    windowListeners: [] as Array<[string, Listener]>,
    posted: [] as string[],
    userData: '',
  };
  class FakeWebContents {
    listeners = new Map<string, Listener[]>();
    windowOpenHandler: null | ((d: { url: string }) => { action: string }) = null;
    sent: unknown[][] = [];
    url = 'app://fnstudio/index.html';
    on(name: string, l: Listener) {
      this.listeners.set(name, [...(this.listeners.get(name) ?? []), l]);
      return this;
    }
    emit(name: string, ...args: unknown[]) {
      for (const l of this.listeners.get(name) ?? []) l(...args);
    }
    setWindowOpenHandler(h: (d: { url: string }) => { action: string }) {
      this.windowOpenHandler = h;
    }
    send(channel: string, ...args: unknown[]) {
      this.sent.push([channel, ...args]);
    }
    getURL() {
      return this.url;
    }
  }
  return { state, FakeWebContents };
});

vi.mock('electron', () => {
  const { state, FakeWebContents } = fake;
  const app = {
    enableSandbox: () => state.calls.push('app.enableSandbox'),
    requestSingleInstanceLock: () => (state.calls.push('app.requestSingleInstanceLock'), true),
    on: (name: string, l: Listener) => {
      state.appListeners.set(name, [...(state.appListeners.get(name) ?? []), l]);
      return app;
    },
    whenReady: () => {
      state.calls.push('app.whenReady');
      return Promise.resolve();
    },
    getPath: () => state.userData,
    // As in a packaged build, where DevTools must be off.
    isPackaged: true,
    quit: () => state.calls.push('app.quit'),
    exit: (code: number) => state.calls.push(`app.exit ${code}`),
  };
  class BrowserWindow {
    webContents = new FakeWebContents();
    record: { options: Record<string, unknown>; webContents: InstanceType<typeof FakeWebContents>; loaded: string | null };
    constructor(options: Record<string, unknown>) {
      state.calls.push('new BrowserWindow');
      this.record = { options, webContents: this.webContents, loaded: null };
      state.windows.push(this.record);
      // Electron emits web-contents-created for every new contents.
      for (const l of state.appListeners.get('web-contents-created') ?? []) l({}, this.webContents);
    }
    once(name: string, l: Listener) {
      state.windowListeners.push([name, l]);
      return this;
    }
    on() {
      return this;
    }
    loadURL(url: string) {
      this.record.loaded = url;
      return Promise.resolve();
    }
    isDestroyed() {
      return false;
    }
    isMinimized() {
      return false;
    }
    show() {
      state.calls.push('window.show');
    }
  }
  return {
    app,
    BrowserWindow,
    dialog: {
      showMessageBoxSync: () => 1,
      showMessageBox: (_win: unknown, options: { message: string; detail: string; buttons: string[] }) => {
        state.prompts.push(options);
        return Promise.resolve({ response: state.answers.shift() ?? 1 });
      },
      showErrorBox: (t: string, m: string) => state.calls.push(`error ${t}: ${m}`),
    },
    ipcMain: { handle: (channel: string, l: Listener) => state.ipcHandlers.set(channel, l) },
    protocol: {
      registerSchemesAsPrivileged: (schemes: unknown[]) => {
        state.calls.push('protocol.registerSchemesAsPrivileged');
        state.privileged.push(...schemes);
      },
      handle: (scheme: string, h: (req: { url: string; method: string }) => Promise<Response>) => {
        state.calls.push('protocol.handle');
        state.protocolHandlers.set(scheme, h);
      },
    },
    session: {
      defaultSession: {
        setPermissionRequestHandler: (h: Listener) => (state.permissionRequest = h),
        setPermissionCheckHandler: (h: Listener) => (state.permissionCheck = h),
        setDevicePermissionHandler: () => undefined,
        webRequest: { onBeforeRequest: (_f: unknown, h: Listener) => (state.beforeRequest = h) },
      },
    },
    shell: { openExternal: (url: string) => (state.opened.push(url), Promise.resolve()) },
    utilityProcess: {
      // Same contract as Electron's utilityProcess, backed by a forked Node process.
      fork: (entry: string, args: string[], options: { env: Record<string, string> }) => {
        state.forked.push(entry);
        const child = fork(entry, args, { env: options.env, serialization: 'advanced', stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
        child.on('error', () => undefined);
        return {
          postMessage: (m: unknown) => {
            state.posted.push((m as { type: string }).type);
            child.send(m as object);
          },
          on: (name: string, l: Listener) => (child.on(name, l), undefined),
          once: (name: string, l: Listener) => (child.once(name, l), undefined),
          kill: () => child.kill(),
        };
      },
    },
  };
});

// electron-store needs the real electron; conf is its Node base with the same API.
vi.mock('electron-store', async () => {
  const { default: Conf } = await import('conf');
  return {
    default: class extends Conf<Record<string, unknown>> {
      constructor(options: { name?: string }) {
        super({ cwd: fake.state.userData, configName: options.name ?? 'config' });
      }
    },
  };
});

let scratch: string;
const trustedEvent = () => ({
  sender: fake.state.windows[0].webContents,
  senderFrame: { url: 'app://fnstudio/index.html', parent: null },
});

async function call(method: string, args: unknown[], event: unknown = trustedEvent()): Promise<IpcReply> {
  const handler = fake.state.ipcHandlers.get('fnstudio:call');
  if (!handler) throw new Error('no fnstudio:call handler');
  return (await handler(event, method, args)) as IpcReply;
}

beforeAll(async () => {
  const runtimeEntry = path.resolve(__dirname, '..', '..', 'out', 'main', 'core', 'runtime-process', 'entry.js');
  if (!existsSync(runtimeEntry)) throw new Error(`${runtimeEntry} is missing: run npm run build:node first`);
  scratch = mkdtempSync(path.join(tmpdir(), 'fnstudio-electron-main-'));
  fake.state.userData = path.join(scratch, 'userData');
  vi.stubEnv('FNSTUDIO_WORKSPACE', path.join(scratch, 'workspace'));
  await import('./main.js');
  const start = Date.now();
  while (fake.state.windows.length === 0) {
    if (Date.now() - start > 20_000) throw new Error(`main.ts did not open a window; calls: ${fake.state.calls.join(', ')}`);
    await new Promise((r) => setTimeout(r, 20));
  }
});

afterAll(async () => {
  for (const l of fake.state.appListeners.get('will-quit') ?? []) l();
  await new Promise((r) => setTimeout(r, 200));
  vi.unstubAllEnvs();
  rmSync(scratch, { recursive: true, force: true });
});

describe('main.ts wiring (recording electron stand-in, real everything else)', () => {
  it('registers the scheme and the sandbox before ready, the protocol after', () => {
    const { calls } = fake.state;
    expect(calls.indexOf('protocol.registerSchemesAsPrivileged')).toBeLessThan(calls.indexOf('app.whenReady'));
    expect(calls.indexOf('app.enableSandbox')).toBeLessThan(calls.indexOf('app.whenReady'));
    expect(calls.indexOf('protocol.handle')).toBeGreaterThan(calls.indexOf('app.whenReady'));
    expect(fake.state.privileged).toEqual([
      { scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true, corsEnabled: true, codeCache: true } },
    ]);
  });

  it('opens one hardened window on app://fnstudio/index.html with the bundled preload', () => {
    expect(fake.state.windows).toHaveLength(1);
    const [win] = fake.state.windows;
    expect(win.loaded).toBe('app://fnstudio/index.html');
    expect(win.options.webPreferences).toMatchObject({
      contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true,
      allowRunningInsecureContent: false, experimentalFeatures: false, webviewTag: false,
      devTools: false,
    });
    expect((win.options.webPreferences as { preload: string }).preload).toBe(path.resolve(__dirname, '..', '..', 'out', 'preload', 'preload.js'));
  });

  it('serves the renderer through app:// with the CSP', async () => {
    const handler = fake.state.protocolHandlers.get('app');
    const res = await handler!({ url: 'app://fnstudio/index.html', method: 'GET' });
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect((await handler!({ url: 'app://fnstudio/..%2f..%2fpackage.json', method: 'GET' })).status).toBe(403);
  });

  it('denies permissions, remote requests, navigation, new windows and webviews', async () => {
    const { state } = fake;
    const granted: boolean[] = [];
    state.permissionRequest!({}, 'media', (g: boolean) => granted.push(g), {});
    expect(granted).toEqual([false]);
    expect(state.permissionCheck!({}, 'clipboard-read', 'app://fnstudio', {})).toBe(false);

    const decisions: Array<{ cancel: boolean }> = [];
    state.beforeRequest!({ url: 'https://cdn.example.com/x.js' }, (r: { cancel: boolean }) => decisions.push(r));
    state.beforeRequest!({ url: 'app://fnstudio/assets/x.js' }, (r: { cancel: boolean }) => decisions.push(r));
    expect(decisions).toEqual([{ cancel: true }, { cancel: false }]);

    const contents = state.windows[0].webContents;
    let prevented = 0;
    const event = (url: string) => ({ url, preventDefault: () => prevented++ });
    // The user opens the first link, cancels the second, opens the third.
    state.answers.push(0, 1, 0);
    contents.emit('will-navigate', event('https://segment.com/docs/'));
    contents.emit('will-navigate', event('file:///etc/passwd'));
    contents.emit('will-frame-navigate', event('https://evil.example/'));
    contents.emit('will-attach-webview', event('app://fnstudio/index.html'));
    expect(prevented).toBe(4);
    expect(contents.windowOpenHandler!({ url: 'https://evil.example/phish' })).toEqual({ action: 'deny' });
    expect(contents.windowOpenHandler!({ url: 'https://segment.com/docs/' })).toEqual({ action: 'deny' });
    expect(contents.windowOpenHandler!({ url: 'javascript:alert(1)' })).toEqual({ action: 'deny' });
    expect(contents.windowOpenHandler!({ url: 'http://[::ffff:7f00:1]:8080/' })).toEqual({ action: 'deny' });
    await new Promise((r) => setTimeout(r, 50));
    // Every validated http(s) link was asked about; only the confirmed ones reached the system browser.
    expect(state.prompts.map((p) => p.detail)).toEqual(['https://segment.com/docs/', 'https://evil.example/phish', 'https://segment.com/docs/']);
    expect(state.prompts[1].message).toBe('Open evil.example in your web browser?');
    expect(state.opened).toEqual(['https://segment.com/docs/', 'https://segment.com/docs/']);
  });

  it('refuses IPC from anything but the top frame of our window', async () => {
    const other = new fake.FakeWebContents();
    expect(await call('functions.list', [], { sender: other, senderFrame: { url: 'app://fnstudio/index.html', parent: null } }))
      .toMatchObject({ ok: false, error: { name: 'Forbidden' } });
    expect(await call('functions.list', [], { ...trustedEvent(), senderFrame: { url: 'app://fnstudio/index.html', parent: {} } }))
      .toMatchObject({ ok: false, error: { name: 'Forbidden', message: expect.stringContaining('subframe') } });
    expect(await call('functions.list', [], { ...trustedEvent(), senderFrame: null }))
      .toMatchObject({ ok: false, error: { name: 'Forbidden' } });
  });

  it('creates and runs a function through IPC; the run happens in the runtime process', async () => {
    const created = await call('functions.create', [{ displayName: 'Electron Smoke', templateId: 'default' }]);
    expect(created).toMatchObject({ ok: true });
    const id = (created as { result: { id: string } }).result.id;
    expect(await call('functions.get', [42])).toMatchObject({ ok: false, error: { name: 'InvalidArgument' } });
    const run = await call('runner.run', [{
      runId: 'r1',
      functionId: id,
      code: 'async function onTrack(event) { console.log("tracking", event.event); return { got: event.event }; }',
      input: { type: 'track', event: 'Clicked', userId: 'u1' },
    }]);
    expect(run, JSON.stringify(run)).toMatchObject({
      ok: true,
      result: { outcome: 'Success', result: { got: 'Clicked' }, logs: [{ level: 'log', message: 'tracking Clicked' }] },
    });
    expect(fake.state.forked).toEqual([path.resolve(__dirname, '..', '..', 'out', 'main', 'core', 'runtime-process', 'entry.js')]);
  });

  it('warms the runtime process when the window is ready to show', async () => {
    for (const [name, l] of fake.state.windowListeners) if (name === 'ready-to-show') l();
    expect(fake.state.calls).toContain('window.show');
    expect(fake.state.posted).toContain('prestart');
    // The warm-up goes to the same process the run used; a second run is answered by it too.
    const created = await call('functions.list', []);
    const id = (created as { result: Array<{ id: string }> }).result[0].id;
    const run = await call('runner.run', [{ runId: 'r2', functionId: id, code: 'async function onTrack() { return 2; }', input: { type: 'track', event: 'x', userId: 'u' } }]);
    expect(run).toMatchObject({ ok: true, result: { outcome: 'Success', result: 2 } });
    expect(fake.state.forked).toHaveLength(1);
  });

  it('reports FNSTUDIO_WORKSPACE as what decides the folder: a new workspacePath preference is saved, the workspace stays', async () => {
    const workspace = path.join(scratch, 'workspace');
    expect(await call('workspace.info', [])).toEqual({ ok: true, result: { root: workspace, source: 'env', followsPreference: false } });
    const later = path.join(scratch, 'for-a-later-start');
    expect(await call('preferences.set', [{ workspacePath: later }])).toMatchObject({ ok: true, result: { workspacePath: later } });
    expect(await call('workspace.info', [])).toMatchObject({ ok: true, result: { root: workspace, source: 'env' } });
    expect(existsSync(later)).toBe(false);
    const sentWorkspaceEvents = fake.state.windows[0].webContents.sent.filter(([, e]) => (e as { type?: string }).type === 'workspace.changed');
    expect(sentWorkspaceEvents).toEqual([]);
    expect(await call('preferences.set', [{ workspacePath: '' }])).toMatchObject({ ok: true });
  });

  it('forwards host events to the window on fnstudio:event', async () => {
    const contents = fake.state.windows[0].webContents;
    const prefs = await call('preferences.set', [{ theme: 'dark' }]);
    expect(prefs).toMatchObject({ ok: true, result: { theme: 'dark' } });
    // External edit → watcher → functions.changed pushed to the page.
    const { writeFileSync } = await import('node:fs');
    const id = ((await call('functions.list', [])) as { result: Array<{ id: string }> }).result[0].id;
    await new Promise((r) => setTimeout(r, 500)); // let the create's own change notifications pass
    contents.sent.length = 0;
    writeFileSync(path.join(scratch, 'workspace', id, 'handler.js'), 'async function onTrack() { return "edited"; }\n');
    const start = Date.now();
    const expected: HostEvent = { type: 'functions.changed', id };
    while (!contents.sent.some(([channel, e]) => channel === 'fnstudio:event' && JSON.stringify(e) === JSON.stringify(expected))) {
      if (Date.now() - start > 15_000) throw new Error(`no host event sent; sent: ${JSON.stringify(contents.sent)}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  });
});
