/**
 * Resolves request paths to files of the built renderer, never outside its folder.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { contentTypeFor } from '../core/content-type';

export { contentTypeFor };

export type StaticLookup = { kind: 'file'; file: string } | { kind: 'not-found' } | { kind: 'bad-path' };

/** `pathname` is the raw (still percent-encoded) path of the request URL. */
export async function resolveStaticFile(root: string, pathname: string): Promise<StaticLookup> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return { kind: 'bad-path' };
  }
  if (decoded.includes('\0') || decoded.includes('\\') || !decoded.startsWith('/')) return { kind: 'bad-path' };
  if (decoded.split('/').some((seg) => seg === '..' || seg === '.')) return { kind: 'bad-path' };
  const base = path.resolve(root);
  let file = path.resolve(base, `.${decoded}`);
  if (file !== base && !file.startsWith(base + path.sep)) return { kind: 'bad-path' };
  try {
    let stat = await fs.stat(file);
    if (stat.isDirectory()) {
      file = path.join(file, 'index.html');
      stat = await fs.stat(file);
    }
    if (!stat.isFile()) return { kind: 'not-found' };
    // A symlink inside out/renderer must not lead elsewhere.
    const real = await fs.realpath(file);
    const realBase = await fs.realpath(base);
    if (!real.startsWith(realBase + path.sep)) return { kind: 'bad-path' };
    return { kind: 'file', file };
  } catch {
    return { kind: 'not-found' };
  }
}
