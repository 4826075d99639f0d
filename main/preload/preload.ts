/**
 * Runs in the sandboxed renderer's isolated world. Exposes exactly
 * `window.fnstudio = { call, onEvent, pathForFile }`; ipcRenderer itself never reaches the
 * page. pathForFile tells a dropped or picked file's path, so a replay reads the file where
 * it is instead of copying it through the bridge.
 * Bundled into one CommonJS file (scripts/build-preload.mjs): sandboxed preloads
 * cannot require local files.
 */
import { contextBridge, ipcRenderer, webUtils } from 'electron';
import { createBridge } from './bridge';

const bridge = createBridge(ipcRenderer);

contextBridge.exposeInMainWorld('fnstudio', {
  call: (method: string, args: unknown[]) => bridge.call(method, args),
  onEvent: (listener: Parameters<typeof bridge.onEvent>[0]) => bridge.onEvent(listener),
  pathForFile: (file: File) => webUtils.getPathForFile(file),
});
