// The preload must be one CommonJS file (sandboxed preloads cannot require local files).
import { build } from 'esbuild';
import { existsSync } from 'node:fs';

const entry = 'main/preload/preload.ts';
if (existsSync(entry)) {
  await build({
    entryPoints: [entry],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['electron'],
    outfile: 'out/preload/preload.js',
    logLevel: 'warning',
  });
}
