/**
 * `fnstudio replay --list | --show <run-id> | --delete <run-id> <function>`: the run records
 * earlier replays left under the function folder's .fnstudio/replays/ (the app's Replay
 * view lists, reopens and deletes the same ones).
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { ReplayRunInfo } from '../../contract/replay';
import { LOCAL_DIR } from '../../core/run-history';
import { deleteRun, listRuns, readSummary, REPLAYS_DIR, RunRecordError, SUMMARY_FILE } from '../../core/replay/run-record';
import { EXIT_SUCCESS, InputError, UsageError } from '../cli-error';
import { palette, wantsColor } from '../render-outcome';
import { formatCount, renderReplaySummary } from '../render-replay';

export type RunAction = { kind: 'list' } | { kind: 'show'; runId: string } | { kind: 'delete'; runId: string };

/**
 * Where the runs of `target` are: the folder itself, or the folder of a handler file (where
 * `fnstudio replay handler.js …` writes them).
 */
async function runsOwner(target: string): Promise<string> {
  let stat;
  try {
    stat = await fs.stat(target);
  } catch {
    throw new InputError(`${target}: no such file or folder (expected a function folder or its handler file)`);
  }
  return stat.isDirectory() ? target : path.dirname(target);
}

/** Core's "no such run" and "not a run id", and a damaged summary, are bad input (exit status 2). */
async function known<T>(runId: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (err instanceof RunRecordError) throw new InputError(err.message);
    if (err instanceof SyntaxError) throw new InputError(`replay run "${runId}": its ${SUMMARY_FILE} is damaged (${err.message})`);
    throw err;
  }
}

function renderList(runs: readonly ReplayRunInfo[], folder: string): string {
  const where = path.join(folder, LOCAL_DIR, REPLAYS_DIR);
  if (runs.length === 0) return `No replay runs in ${where}.\n`;
  const rows = runs.map((r) => [r.runId, r.startedAt.replace('T', ' ').replace(/\.\d+Z$/, 'Z'), formatCount(r.total), formatCount(r.delivered), r.finished ? '' : 'cancelled']);
  const header = ['RUN ID', 'STARTED (UTC)', 'EVENTS', 'DELIVERED', ''];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]): string =>
    cells
      .map((cell, i) => (i === 2 || i === 3 ? cell.padStart(widths[i]) : cell.padEnd(widths[i])))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line), '', `${runs.length} run${runs.length === 1 ? '' : 's'} in ${where}`].join('\n') + '\n';
}

export async function runsCommand(action: RunAction, positionals: readonly string[], json: boolean, command: string): Promise<number> {
  if (positionals.length === 0) throw new UsageError(`missing the function: give the function folder (or its handler file) whose runs to ${action.kind}`, command);
  if (positionals.length > 1) throw new UsageError(`unexpected argument '${positionals[1]}': --${action.kind} takes the run id as its value and then only the function folder`, command);
  const folder = await runsOwner(positionals[0]);
  if (action.kind === 'list') {
    const runs = await listRuns(folder);
    if (json) process.stdout.write(JSON.stringify({ folder: path.join(folder, LOCAL_DIR, REPLAYS_DIR), runs }, null, 2) + '\n');
    else process.stdout.write(renderList(runs, folder));
    return EXIT_SUCCESS;
  }
  const recordDir = path.join(folder, LOCAL_DIR, REPLAYS_DIR, action.runId);
  if (action.kind === 'show') {
    const summary = await known(action.runId, () => readSummary(folder, action.runId));
    if (json) process.stdout.write(JSON.stringify({ ...summary, recordDir }, null, 2) + '\n');
    else process.stdout.write(renderReplaySummary(summary, recordDir, palette(wantsColor(process.stdout, process.env))));
    return EXIT_SUCCESS;
  }
  await known(action.runId, () => deleteRun(folder, action.runId));
  if (json) process.stdout.write(JSON.stringify({ deleted: action.runId, recordDir }, null, 2) + '\n');
  else process.stdout.write(`Deleted replay run ${action.runId} (${recordDir}).\n`);
  return EXIT_SUCCESS;
}
