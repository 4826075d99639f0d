/**
 * The desktop host: one hardened window on the app:// protocol, the contract over one
 * sender-checked IPC channel, the runtime in a utilityProcess. Follows Electron's
 * security checklist; the decisions themselves live in pure, tested modules.
 */
import { app, BrowserWindow, dialog, ipcMain, protocol, session, shell, type IpcMainInvokeEvent, type WebContents } from 'electron';
import type { HostEvent } from '../contract/transport';
import { KeytarSecretStore } from '../core/secrets/keytar-store';
import { createCoreServices, type CoreServices } from '../core/services';
import { describeWorkspaceSource } from '../core/workspace-location';
import { CALL_CHANNEL, EVENT_CHANNEL } from '../preload/ipc-protocol';
import type { Runtime } from '../../runtime/api';
import { APP_ENTRY_URL, APP_SCHEME, serveAppRequest } from './app-protocol';
import { parseAppOptions } from './app-options';
import { APP_PATHS } from './app-paths';
import { handleIpcCall, type IpcSender } from './ipc-adapter';
import { openElectronPreferencesStore } from './preferences-store';
import { externalLinkPrompt, externalUrlToOpen, isAllowedNavigation, isAllowedRequestUrl, OPEN_LINK_BUTTON } from './security-policy';
import { createUtilityProcessRuntime } from './utility-runtime';

const RENDERER_DIR = APP_PATHS.rendererDir;
const PRELOAD_FILE = APP_PATHS.preloadFile;
// DevTools would let anyone at the keyboard run code in the page that holds the IPC bridge;
// a packaged app has no use for them. Development builds keep them.
const DEVTOOLS = !app.isPackaged;

// Must happen before `ready`: app:// behaves like a real origin (CSP 'self', fetch,
// module scripts, workers) without gaining any bypass.
protocol.registerSchemesAsPrivileged([
  {
    scheme: APP_SCHEME,
    privileges: { standard: true, secure: true, supportFetchAPI: true, corsEnabled: true, codeCache: true },
  },
]);
app.enableSandbox();

let mainWindow: BrowserWindow | null = null;
let core: CoreServices | null = null;
let runtime: Runtime | null = null;

function log(message: string): void {
  process.stderr.write(`fnstudio: ${message}\n`);
}

function createMainWindow(): BrowserWindow {
  const win = new BrowserWindow({
    width: 1400,
    height: 900,
    minWidth: 800,
    minHeight: 500,
    title: 'fnstudio',
    show: false,
    webPreferences: {
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      safeDialogs: true,
      devTools: DEVTOOLS,
      preload: PRELOAD_FILE,
    },
  });
  win.once('ready-to-show', () => win.show());
  // The renderer's beforeunload guard (unsaved changes) only blocks silently in
  // Electron; ask the user here, as a browser would.
  win.webContents.on('will-prevent-unload', (event) => {
    const choice = dialog.showMessageBoxSync(win, {
      type: 'question',
      buttons: ['Discard changes and close', 'Keep editing'],
      defaultId: 1,
      cancelId: 1,
      title: 'Unsaved changes',
      message: 'You have unsaved changes. Close anyway?',
    });
    if (choice === 0) event.preventDefault();
  });
  win.on('closed', () => {
    if (mainWindow === win) mainWindow = null;
  });
  void win.loadURL(APP_ENTRY_URL);
  return win;
}

/** Navigation, new windows and webviews are denied for every web contents we ever create. */
function hardenWebContents(contents: WebContents): void {
  contents.on('will-navigate', (event) => {
    if (isAllowedNavigation(event.url, contents.getURL())) return;
    event.preventDefault();
    openExternally(event.url);
  });
  contents.on('will-frame-navigate', (event) => {
    if (!isAllowedNavigation(event.url, contents.getURL())) event.preventDefault();
  });
  contents.on('will-redirect', (event) => {
    if (!isAllowedNavigation(event.url, contents.getURL())) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    openExternally(url);
    return { action: 'deny' };
  });
}

function openExternally(url: string): void {
  const safe = externalUrlToOpen(url);
  if (safe === null) {
    log(`blocked opening ${JSON.stringify(url.slice(0, 200))}`);
    return;
  }
  const prompt = externalLinkPrompt(safe);
  const asked = mainWindow !== null && !mainWindow.isDestroyed() ? dialog.showMessageBox(mainWindow, prompt) : dialog.showMessageBox(prompt);
  asked
    .then(({ response }) => (response === OPEN_LINK_BUTTON ? shell.openExternal(safe) : undefined))
    .catch((err: Error) => log(`could not open ${safe}: ${err.message}`));
}

function hardenSession(): void {
  const ses = session.defaultSession;
  ses.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  ses.setPermissionCheckHandler(() => false);
  ses.setDevicePermissionHandler(() => false);
  ses.webRequest.onBeforeRequest({ urls: ['<all_urls>'] }, (details, callback) => {
    const cancel = !isAllowedRequestUrl(details.url);
    if (cancel) log(`blocked request to ${JSON.stringify(details.url.slice(0, 200))}`);
    callback({ cancel });
  });
  protocol.handle(APP_SCHEME, (request) => serveAppRequest(RENDERER_DIR, request.url, request.method));
}

function senderOf(event: IpcMainInvokeEvent): IpcSender {
  const frame = event.senderFrame;
  return {
    frameUrl: frame ? frame.url : null,
    isMainFrame: frame !== null && frame.parent === null,
    fromOurWindow: mainWindow !== null && !mainWindow.isDestroyed() && event.sender === mainWindow.webContents,
  };
}

function forwardHostEvent(event: HostEvent): void {
  if (mainWindow !== null && !mainWindow.isDestroyed()) mainWindow.webContents.send(EVENT_CHANNEL, event);
}

async function start(): Promise<void> {
  const options = parseAppOptions(process.argv);
  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents));
  await app.whenReady();
  hardenSession();

  const preferencesStore = await openElectronPreferencesStore();
  const preferences = await preferencesStore.read();
  runtime = createUtilityProcessRuntime((err) => log(`runtime process misbehaved and was restarted: ${err.message}`));
  core = createCoreServices({
    // The location rather than a fixed folder: a change of the workspacePath preference then moves it live.
    workspaceLocation: { flag: options.workspace, preference: preferences.workspacePath },
    // Default: core finds resources/ above its own compiled file, however Electron was launched.
    runtime,
    preferencesStore,
    // Encrypted settings' test values live only in the OS keychain (keytar is N-API: loads in Electron).
    secretStore: new KeytarSecretStore(),
    // remotes.json (Segment workspaces) beside the preferences; their tokens only in the keychain.
    configDir: app.getPath('userData'),
    onWatchError: (err) => log(`live updates from disk are off: ${err.message}`),
  });
  // The window still opens: its workspace bar is where a bad folder is changed.
  core.ready.catch((err: Error) => log(`workspace problem: ${err.message}`));
  core.onEvent(forwardHostEvent);
  core.onEvent((event) => {
    if (event.type === 'workspace.changed') log(`workspace is now ${event.workspace.root}`);
  });
  const api = core;
  ipcMain.handle(CALL_CHANNEL, (event, method: unknown, args: unknown) => handleIpcCall(api, senderOf(event), method, args));
  const workspace = await core.workspace.info();
  log(`workspace ${workspace.root} (${describeWorkspaceSource(workspace.source)})`);

  mainWindow = createMainWindow();
  // Warm the sandbox once the UI is up, so the first Run does not wait for workers.
  mainWindow.once('ready-to-show', () => {
    runtime?.prestart?.().catch((err: Error) => log(`could not start the runtime ahead of time: ${err.message}`));
  });
  app.on('activate', () => {
    if (mainWindow === null) mainWindow = createMainWindow();
  });
}

if (!app.requestSingleInstanceLock()) {
  // Another fnstudio is running; it gets focused through 'second-instance'.
  app.quit();
} else {
  app.on('second-instance', () => {
    if (mainWindow === null) return;
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
  });
  app.on('window-all-closed', () => app.quit());
  app.on('will-quit', () => {
    void core?.close();
    void runtime?.close();
  });
  start().catch((err: Error) => {
    dialog.showErrorBox('fnstudio could not start', err.message);
    app.exit(1);
  });
}
