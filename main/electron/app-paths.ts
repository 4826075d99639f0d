/**
 * Where the built pieces the Electron host loads live (renderer, preload, runtime
 * process entry), found from the directory of the running module: compiled it is
 * out/main/electron, run from source (tests) it is main/electron next to out/.
 */
import * as path from 'node:path';

export interface AppPaths {
  outDir: string;
  rendererDir: string;
  preloadFile: string;
  runtimeProcessEntry: string;
}

export function appPathsFrom(moduleDir: string): AppPaths {
  const twoUp = path.resolve(moduleDir, '..', '..');
  const outDir = path.basename(twoUp) === 'out' ? twoUp : path.join(twoUp, 'out');
  return {
    outDir,
    rendererDir: path.join(outDir, 'renderer'),
    preloadFile: path.join(outDir, 'preload', 'preload.js'),
    runtimeProcessEntry: path.join(outDir, 'main', 'core', 'runtime-process', 'entry.js'),
  };
}

export const APP_PATHS: AppPaths = appPathsFrom(__dirname);
