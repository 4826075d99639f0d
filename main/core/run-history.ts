/**
 * The last runs of a function, one JSON file per run in `<folder>/.fnstudio/runs/`.
 * `.fnstudio/` is machine-local: a `.gitignore` inside it keeps it out of git, and only
 * the newest RUN_HISTORY_LIMIT runs are kept.
 */
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { HistoryService } from '../contract/api';
import { FnStudioError } from '../contract/errors';
import type { RunRequest } from '../contract/function';
import { METHODS } from '../contract/methods';
import { OUTCOME_CATEGORIES, type Outcome } from '../contract/outcome';
import { RUN_HISTORY_LIMIT, type RunRecord, type RunRecordSummary } from '../contract/run-history';
import { writeFileAtomic } from './atomic-write';
import type { FunctionFolder } from './function-mocks';

export const LOCAL_DIR = '.fnstudio';
const RUNS_DIR = 'runs';
const RUN_FILE = /^(\d{13}-[0-9a-f]{8})\.json$/;
const LOCAL_GITIGNORE = '# Machine-local fnstudio state (run history, replays): not for git.\n*\n';

export interface RunHistoryOptions {
  functionFolder: FunctionFolder;
  limit?: number;
}

export interface RunHistory extends HistoryService {
  /** Keeps one finished run; prunes the oldest beyond the limit. */
  record(req: RunRequest, outcome: Outcome, startedAt: Date): Promise<RunRecordSummary>;
}

/** The `.fnstudio/` folder of a function, with its .gitignore written if missing. */
export async function ensureLocalDir(functionDir: string): Promise<string> {
  const dir = path.join(functionDir, LOCAL_DIR);
  await fs.mkdir(dir, { recursive: true });
  const ignore = path.join(dir, '.gitignore');
  try {
    await fs.writeFile(ignore, LOCAL_GITIGNORE, { flag: 'wx' });
  } catch (err) {
    // Someone's own .gitignore there stays as they wrote it.
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  return dir;
}

export function describeEventType(input: unknown): string | null {
  if (Array.isArray(input)) return `batch (${input.length})`;
  const type = (input as { type?: unknown } | null)?.type;
  return typeof type === 'string' && type !== '' ? type : null;
}

export function createRunHistory(options: RunHistoryOptions): RunHistory {
  const limit = options.limit ?? RUN_HISTORY_LIMIT;
  // Per function: a prune must not race a concurrent record of the same function.
  const queues = new Map<string, Promise<unknown>>();
  const serialised = <T>(functionId: string, task: () => Promise<T>): Promise<T> => {
    const next = (queues.get(functionId) ?? Promise.resolve()).catch(() => undefined).then(task);
    const settled = next.catch(() => undefined);
    queues.set(functionId, settled);
    void settled.then(() => {
      if (queues.get(functionId) === settled) queues.delete(functionId);
    });
    return next;
  };

  const runsDir = async (functionId: string): Promise<string> => path.join(await options.functionFolder(functionId), LOCAL_DIR, RUNS_DIR);

  const runFiles = async (dir: string): Promise<string[]> => {
    try {
      return (await fs.readdir(dir)).filter((n) => RUN_FILE.test(n)).sort().reverse();
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw err;
    }
  };

  const readRecord = async (file: string): Promise<RunRecord | null> => {
    try {
      const value = JSON.parse(await fs.readFile(file, 'utf8')) as Partial<RunRecord>;
      // A hand-edited or truncated file is skipped rather than breaking the whole list.
      if (typeof value.id !== 'string' || !OUTCOME_CATEGORIES.includes(value.category as never) || typeof value.outcome !== 'object') return null;
      return value as RunRecord;
    } catch {
      return null;
    }
  };

  return {
    record(req, outcome, startedAt) {
      return serialised(req.functionId, async () => {
        const functionDir = await options.functionFolder(req.functionId);
        const dir = path.join(await ensureLocalDir(functionDir), RUNS_DIR);
        await fs.mkdir(dir, { recursive: true });
        const id = `${String(startedAt.getTime()).padStart(13, '0')}-${randomBytes(4).toString('hex')}`;
        const summary: RunRecordSummary = {
          id,
          startedAt: startedAt.toISOString(),
          category: outcome.outcome,
          durationMs: outcome.durationMs,
          eventLabel: req.eventLabel ?? 'event',
          eventType: describeEventType(req.input),
          offline: req.network ? req.network.offline : (req.offline ?? false),
        };
        const record: RunRecord = { ...summary, input: req.input, outcome };
        await writeFileAtomic(path.join(dir, `${id}.json`), JSON.stringify(record, null, 2) + '\n');
        const stale = (await runFiles(dir)).slice(limit);
        await Promise.all(stale.map((name) => fs.rm(path.join(dir, name), { force: true })));
        return summary;
      });
    },
    async list(functionId) {
      METHODS['history.list']([functionId]);
      const dir = await runsDir(functionId);
      const records = await Promise.all((await runFiles(dir)).slice(0, limit).map((name) => readRecord(path.join(dir, name))));
      return records
        .filter((r): r is RunRecord => r !== null)
        .map(({ id, startedAt, category, durationMs, eventLabel, eventType, offline }) => ({ id, startedAt, category, durationMs, eventLabel, eventType, offline }));
    },
    async get(functionId, runId) {
      METHODS['history.get']([functionId, runId]);
      const record = RUN_FILE.test(`${runId}.json`) ? await readRecord(path.join(await runsDir(functionId), `${runId}.json`)) : null;
      if (!record) throw new FnStudioError('NotFound', `Run ${runId} of "${functionId}" is no longer kept (only the last ${limit} runs are)`);
      return record;
    },
  };
}
