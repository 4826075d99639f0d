import { existsSync } from 'node:fs';
import * as path from 'node:path';

/**
 * The repository's resources/ folder, found from this file whether it runs compiled
 * (out/main/core) or as TypeScript source (main/core, under vitest).
 */
export function defaultResourcesDir(): string {
  let dir = __dirname;
  for (let i = 0; i < 5; i++) {
    const candidate = path.join(dir, 'resources');
    if (existsSync(path.join(candidate, 'templates', 'index.json'))) return candidate;
    dir = path.dirname(dir);
  }
  throw new Error(`Cannot find the resources/ folder above ${__dirname}`);
}
