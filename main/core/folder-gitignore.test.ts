/**
 * A new function folder keeps its machine-local files out of git: checked with real git,
 * so the ignore patterns are proven to match what fnstudio writes.
 */
import { execFileSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FOLDER_GITIGNORE, writeFolderGitignore } from './folder-gitignore';
import { ensureLocalDir } from './run-history';
import { defaultResourcesDir } from './resources-dir';
import { createTemplates } from './templates';
import { LocalWorkspace } from './workspace';

let root: string;
beforeEach(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'fnstudio-gitignore-'));
});
afterEach(async () => {
  await fs.rm(root, { recursive: true, force: true });
});

function git(...args: string[]): string {
  return execFileSync('git', ['-c', 'init.defaultBranch=main', ...args], { cwd: root, encoding: 'utf8' });
}

describe('a new function folder', () => {
  it('is created with a .gitignore that keeps settings.local.json and .fnstudio/ out of git', async () => {
    const ws = new LocalWorkspace({ root, templates: createTemplates(path.join(defaultResourcesDir(), 'templates')) });
    const fn = await ws.create({ displayName: 'Hook', templateId: 'webhook' });
    const dir = path.join(root, fn.id);
    expect(await fs.readFile(path.join(dir, '.gitignore'), 'utf8')).toBe(FOLDER_GITIGNORE);
    await fs.writeFile(path.join(dir, 'settings.local.json'), '{"values":{}}\n');
    await fs.writeFile(path.join(await ensureLocalDir(dir), 'run.json'), '{}');

    git('init', '-q');
    const status = git('status', '--porcelain', '--untracked-files=all');
    expect(status).toContain(`${fn.id}/handler.js`);
    expect(status).toContain(`${fn.id}/function.json`);
    expect(status).not.toContain('settings.local.json');
    expect(status).not.toContain('.fnstudio');
  });

  it('keeps a .gitignore that is already there', async () => {
    await fs.writeFile(path.join(root, '.gitignore'), 'mine\n');
    await writeFolderGitignore(root);
    expect(await fs.readFile(path.join(root, '.gitignore'), 'utf8')).toBe('mine\n');
  });
});
