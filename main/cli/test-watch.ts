/**
 * `fnstudio test --watch`: after the first run, re-runs what a change affects — every case
 * of a function when its handler.js, function.json, mocks.json or settings.local.json
 * changes, one case when its tests/<name>.test.json changes — until Ctrl+C.
 *
 * Each function folder and its tests/ folder are watched on their own (not recursively:
 * Node 20's recursive mode on Linux misses folders created later). Snapshot files and the
 * temp files of atomic saves are ignored, so recording a snapshot never triggers a run.
 */
import { existsSync, watch, type FSWatcher } from 'node:fs';
import path from 'node:path';
import { SNAPSHOT_SUFFIX, TEST_CASE_SUFFIX, TESTS_DIR } from '../contract/tests';
import { isTempFileName } from '../core/atomic-write';
import type { TestTarget } from '../core/tests/test-runner';

/** Files of a function folder whose change re-runs all its cases. */
const FUNCTION_FILES = new Set(['handler.js', 'function.json', 'mocks.json', 'settings.local.json']);
const DEBOUNCE_MS = 200;

export type RerunSet = Map<string, string[] | 'all'>;

export function watchTests(
  targets: readonly TestTarget[],
  rerun: (only: RerunSet) => Promise<number>,
  initialStatus: number,
  out: NodeJS.WritableStream = process.stdout,
): Promise<number> {
  return new Promise((resolve) => {
    let status = initialStatus;
    let pending: RerunSet = new Map();
    let timer: NodeJS.Timeout | null = null;
    let running: Promise<void> | null = null;
    const watchers: FSWatcher[] = [];
    const testsWatched = new Set<string>();

    // `file` is a case file, or 'all' when every case of the function is affected.
    const note = (functionId: string, file: string) => {
      const current = pending.get(functionId);
      if (file === 'all' || current === 'all') pending.set(functionId, 'all');
      else pending.set(functionId, [...new Set([...(current ?? []), file])]);
      if (timer) clearTimeout(timer);
      timer = setTimeout(flush, DEBOUNCE_MS);
    };

    const flush = () => {
      timer = null;
      if (running) return; // picked up when the current run ends
      if (pending.size === 0) return;
      const batch = pending;
      pending = new Map();
      const what = [...batch].map(([id, files]) => (files === 'all' ? `${id} (all cases)` : `${id}: ${files.join(', ')}`)).join('; ');
      out.write(`\n— change detected, re-running ${what} —\n`);
      running = rerun(batch)
        .then((s) => {
          status = s;
        })
        .catch((err: Error) => {
          out.write(`fnstudio test: ${err.message}\n`);
        })
        .finally(() => {
          running = null;
          out.write('Watching for changes; Ctrl+C stops.\n');
          if (pending.size > 0) flush();
        });
    };

    const watchTestsDir = (target: TestTarget) => {
      const dir = path.join(target.dir, TESTS_DIR);
      if (testsWatched.has(dir) || !existsSync(dir)) return;
      try {
        const w = watch(dir, (_event, name) => {
          const file = name?.toString();
          if (!file || isTempFileName(file) || file.endsWith(SNAPSHOT_SUFFIX) || !file.endsWith(TEST_CASE_SUFFIX)) return;
          note(target.functionId, `${TESTS_DIR}/${file}`);
        });
        w.on('error', () => testsWatched.delete(dir));
        watchers.push(w);
        testsWatched.add(dir);
      } catch {
        // The folder vanished between the check and the watch: the function folder's watch sees it return.
      }
    };

    for (const target of targets) {
      try {
        const w = watch(target.dir, (_event, name) => {
          const file = name?.toString();
          if (!file || isTempFileName(file)) return;
          if (file === TESTS_DIR) {
            watchTestsDir(target);
            note(target.functionId, 'all');
          } else if (FUNCTION_FILES.has(file)) {
            note(target.functionId, 'all');
          }
        });
        watchers.push(w);
      } catch (err) {
        out.write(`fnstudio test: cannot watch ${target.dir}: ${(err as Error).message}\n`);
      }
      watchTestsDir(target);
    }
    out.write('Watching for changes; Ctrl+C stops.\n');

    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      if (timer) clearTimeout(timer);
      for (const w of watchers) w.close();
      void Promise.resolve(running).then(() => resolve(status));
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}
