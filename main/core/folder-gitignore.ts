/**
 * The `.gitignore` a new function folder starts with. Function folders are meant to live
 * in git, but two of their files are machine-local: settings.local.json (this machine's
 * test values and keychain id) and `.fnstudio/` (run history, replays). Writing the
 * ignore file when fnstudio creates the folder keeps them out of a commit nobody thought
 * to guard; a user's own `.gitignore` (e.g. from a template) is never replaced.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { LOCAL_DIR } from './run-history';
import { TEST_VALUES_FILE } from './settings/test-values-file';

export const FOLDER_GITIGNORE = [
  '# Machine-local fnstudio files: test values and keychain id, run history, replays.',
  TEST_VALUES_FILE,
  `${LOCAL_DIR}/`,
  '',
].join('\n');

/** Writes `<dir>/.gitignore` unless one is there already. */
export async function writeFolderGitignore(dir: string): Promise<void> {
  try {
    await fs.writeFile(path.join(dir, '.gitignore'), FOLDER_GITIGNORE, { flag: 'wx' });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
}
