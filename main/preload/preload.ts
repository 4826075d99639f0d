/**
 * Runs in the sandboxed renderer's isolated world. Exposes exactly
 * `window.fnstudio = { call, onEvent }`; ipcRenderer itself never reaches the page.
 * Bundled into one CommonJS file (scripts/build-preload.mjs): sandboxed preloads
 * cannot require local files.
 */
import { contextBridge, ipcRenderer } from 'electron';
import { createBridge } from './bridge';

const bridge = createBridge(ipcRenderer);

contextBridge.exposeInMainWorld('fnstudio', {
  call: (method: string, args: unknown[]) => bridge.call(method, args),
  onEvent: (listener: Parameters<typeof bridge.onEvent>[0]) => bridge.onEvent(listener),
});
