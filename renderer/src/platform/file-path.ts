/**
 * A picked or dropped file's path on the host's disk, when the renderer runs in Electron
 * (its preload asks webUtils); null in a browser, where files are uploaded instead.
 */
interface PathBridge {
  pathForFile?: (file: File) => string;
}

export function localPathOf(file: File): string | null {
  const bridge = (window as unknown as { fnstudio?: PathBridge }).fnstudio;
  const found = typeof bridge?.pathForFile === 'function' ? bridge.pathForFile(file) : '';
  return typeof found === 'string' && found !== '' ? found : null;
}
