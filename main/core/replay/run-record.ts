/**
 * The record a replay leaves under `<function folder>/.fnstudio/replays/<run id>/`:
 * summary.json, outcomes.ndjson (one line per event) and details.ndjson (the full
 * outcome of non-successes and of a sample of successes). `.fnstudio/` is machine-local:
 * a .gitignore inside it keeps it out of git. Records are written as the run goes, so
 * memory does not grow with the number of events.
 */
import { createWriteStream, promises as fs, type WriteStream } from 'node:fs';
import path from 'node:path';
import type { ReplayEventDetail, ReplayEventRecord, ReplayRunInfo, ReplaySummary } from '../../contract/replay';
import { writeFileAtomic } from '../atomic-write';
import { ensureLocalDir, LOCAL_DIR } from '../run-history';

export const REPLAYS_DIR = 'replays';
export const SUMMARY_FILE = 'summary.json';
const OUTCOMES_FILE = 'outcomes.ndjson';
const DETAILS_FILE = 'details.ndjson';

const RUN_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

export class RunRecordError extends Error {
  override readonly name = 'RunRecordError';
}

/** `<function folder>/.fnstudio/replays`, with `.fnstudio/.gitignore` ensured. */
export async function replaysDir(functionDir: string): Promise<string> {
  const dir = path.join(await ensureLocalDir(functionDir), REPLAYS_DIR);
  await fs.mkdir(dir, { recursive: true });
  return dir;
}

/** A sortable, readable id: the start time plus a random suffix. */
export function newRunId(now: Date = new Date()): string {
  return `${now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z')}-${Math.random().toString(36).slice(2, 8)}`;
}

function checkRunId(runId: string): void {
  if (!RUN_ID.test(runId)) throw new RunRecordError(`"${runId}" is not a replay run id`);
}

/** Appends lines to a file with backpressure: `write` resolves once the stream can take more. */
class LineWriter {
  private readonly stream: WriteStream;
  /** Bytes written so far: the offset of the next line. */
  offset = 0;
  private failure: Error | null = null;
  private drained: Promise<void> | null = null;

  constructor(file: string) {
    this.stream = createWriteStream(file, { flags: 'w' });
    this.stream.on('error', (err) => (this.failure = err));
  }

  async write(text: string): Promise<void> {
    if (this.failure) throw this.failure;
    // Encoded once: its length is the offset's step, and the stream takes the bytes as they are.
    const bytes = Buffer.from(text, 'utf8');
    this.offset += bytes.length;
    // Every writer waiting for the same drain shares one listener.
    if (!this.stream.write(bytes)) {
      this.drained ??= new Promise<void>((resolve) =>
        this.stream.once('drain', () => {
          this.drained = null;
          resolve();
        }),
      );
    }
    if (this.drained) await this.drained;
  }

  close(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.stream.end(() => (this.failure ? reject(this.failure) : resolve()));
    });
  }
}

/** Writes one run's record. Lines are buffered into chunks to keep writes few. */
export class RunRecordWriter {
  private readonly outcomes: LineWriter;
  private readonly details: LineWriter;
  private pending: string[] = [];
  private pendingChars = 0;

  private constructor(readonly dir: string) {
    this.outcomes = new LineWriter(path.join(dir, OUTCOMES_FILE));
    this.details = new LineWriter(path.join(dir, DETAILS_FILE));
  }

  /** The record folder of a new run of the function in `functionDir`. */
  static async pathFor(functionDir: string, runId: string): Promise<string> {
    checkRunId(runId);
    return path.join(await replaysDir(functionDir), runId);
  }

  /** Starts a record in `dir`, which must not exist yet (a record is never overwritten). */
  static async createAt(dir: string): Promise<RunRecordWriter> {
    await fs.mkdir(path.dirname(dir), { recursive: true });
    try {
      await fs.mkdir(dir);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EEXIST') throw new RunRecordError(`${dir} already exists: a run record is never written over another`);
      throw err;
    }
    return new RunRecordWriter(dir);
  }

  /** Writes an event's details and returns where they are, for its outcome line. */
  async detail(detail: ReplayEventDetail): Promise<{ offset: number; length: number }> {
    const text = JSON.stringify(detail) + '\n';
    const offset = this.details.offset;
    await this.details.write(text);
    return { offset, length: Buffer.byteLength(text, 'utf8') - 1 };
  }

  /** Queues an outcome line; returns a promise only when the queue was written out (wait for it). */
  outcome(record: ReplayEventRecord): Promise<void> | undefined {
    const line = JSON.stringify(record);
    this.pending.push(line);
    this.pendingChars += line.length;
    return this.pendingChars > 64 * 1024 ? this.flush() : undefined;
  }

  async summary(summary: ReplaySummary): Promise<void> {
    await writeFileAtomic(path.join(this.dir, SUMMARY_FILE), JSON.stringify(summary, null, 2) + '\n');
  }

  async close(): Promise<void> {
    await this.flush();
    await Promise.all([this.outcomes.close(), this.details.close()]);
  }

  private async flush(): Promise<void> {
    if (this.pending.length === 0) return;
    const text = this.pending.join('\n') + '\n';
    this.pending = [];
    this.pendingChars = 0;
    await this.outcomes.write(text);
  }
}

function runDir(functionDir: string, runId: string): string {
  checkRunId(runId);
  return path.join(functionDir, LOCAL_DIR, REPLAYS_DIR, runId);
}

/** Runs of a function, newest first. Runs whose summary is unreadable are left out. */
export async function listRuns(functionDir: string): Promise<ReplayRunInfo[]> {
  let names: string[];
  try {
    names = await fs.readdir(path.join(functionDir, LOCAL_DIR, REPLAYS_DIR));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  const runs: ReplayRunInfo[] = [];
  for (const name of names) {
    if (!RUN_ID.test(name)) continue;
    try {
      const s = await readSummary(functionDir, name);
      runs.push({ runId: s.runId, startedAt: s.startedAt, total: s.total, delivered: s.delivered, finished: s.finished });
    } catch {
      // A run still being written (no summary yet) or damaged: not listed.
    }
  }
  return runs.sort((a, b) => (a.startedAt < b.startedAt ? 1 : a.startedAt > b.startedAt ? -1 : 0));
}

export async function readSummary(functionDir: string, runId: string): Promise<ReplaySummary> {
  const file = path.join(runDir(functionDir, runId), SUMMARY_FILE);
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch {
    throw new RunRecordError(`no replay run "${runId}" in ${functionDir}`);
  }
  return JSON.parse(text) as ReplaySummary;
}

/**
 * Outcome lines `offset`…`offset+limit` (0-based), optionally only those `keep` accepts.
 * Reads the file as a stream: a page costs no more memory than the page.
 */
export async function readOutcomes(
  functionDir: string,
  runId: string,
  offset: number,
  limit: number,
  keep: (record: ReplayEventRecord) => boolean = () => true,
): Promise<{ records: ReplayEventRecord[]; matched: number }> {
  const file = path.join(runDir(functionDir, runId), OUTCOMES_FILE);
  const records: ReplayEventRecord[] = [];
  let matched = 0;
  const { createInterface } = await import('node:readline');
  const { createReadStream } = await import('node:fs');
  const lines = createInterface({ input: createReadStream(file), crlfDelay: Infinity });
  for await (const line of lines) {
    if (line === '') continue;
    const record = JSON.parse(line) as ReplayEventRecord;
    if (!keep(record)) continue;
    if (matched >= offset && records.length < limit) records.push(record);
    matched++;
  }
  return { records, matched };
}

export async function readDetail(functionDir: string, runId: string, where: { offset: number; length: number }): Promise<ReplayEventDetail> {
  const handle = await fs.open(path.join(runDir(functionDir, runId), DETAILS_FILE), 'r');
  try {
    const buffer = Buffer.alloc(where.length);
    await handle.read(buffer, 0, where.length, where.offset);
    return JSON.parse(buffer.toString('utf8')) as ReplayEventDetail;
  } finally {
    await handle.close();
  }
}

export async function deleteRun(functionDir: string, runId: string): Promise<void> {
  const dir = runDir(functionDir, runId);
  try {
    await fs.access(path.join(dir, SUMMARY_FILE));
  } catch {
    throw new RunRecordError(`no replay run "${runId}" in ${functionDir}`);
  }
  await fs.rm(dir, { recursive: true, force: true });
}
