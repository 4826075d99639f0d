import { describe, expect, it } from 'vitest';
import { appPathsFrom } from './app-paths';

describe('appPathsFrom', () => {
  it('finds out/ from the compiled module folder', () => {
    expect(appPathsFrom('/opt/fnstudio/out/main/electron')).toEqual({
      outDir: '/opt/fnstudio/out',
      rendererDir: '/opt/fnstudio/out/renderer',
      preloadFile: '/opt/fnstudio/out/preload/preload.js',
      runtimeProcessEntry: '/opt/fnstudio/out/main/core/runtime-process/entry.js',
    });
  });

  it('finds out/ next to the sources when run from main/electron', () => {
    expect(appPathsFrom('/work/repo/main/electron').outDir).toBe('/work/repo/out');
    expect(appPathsFrom('/work/repo/main/electron').runtimeProcessEntry).toBe('/work/repo/out/main/core/runtime-process/entry.js');
  });
});
