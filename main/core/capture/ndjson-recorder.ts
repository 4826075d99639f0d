/**
 * Appends captured events to an NDJSON file: one JSON object per line, each request's
 * lines written (in order, whole lines only) before the request is answered, so a `tail -f`
 * or a replay reading the file never sees half an event and a 200 means "on disk".
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';

export class NdjsonRecorder {
  private queue: Promise<void> = Promise.resolve();
  private written = 0;

  private constructor(
    readonly file: string,
    private readonly handle: fs.FileHandle,
  ) {}

  /** Opens `file` for appending (creating it and its folder if needed); existing lines are kept. */
  static async open(file: string): Promise<NdjsonRecorder> {
    await fs.mkdir(path.dirname(path.resolve(file)), { recursive: true });
    const handle = await fs.open(file, 'a');
    return new NdjsonRecorder(file, handle);
  }

  /** Events written since open. */
  get count(): number {
    return this.written;
  }

  /** Appends one line per event; resolves once they are written to the file. */
  append(events: readonly unknown[]): Promise<void> {
    if (events.length === 0) return this.queue;
    // JSON.stringify escapes newlines inside strings, so each event stays on its line.
    const chunk = Buffer.from(events.map((e) => JSON.stringify(e) + '\n').join(''), 'utf8');
    const done = this.queue.then(async () => {
      let offset = 0;
      while (offset < chunk.length) {
        const { bytesWritten } = await this.handle.write(chunk, offset, chunk.length - offset);
        offset += bytesWritten;
      }
      this.written += events.length;
    });
    // A failed write fails its own append; later appends still run.
    this.queue = done.catch(() => undefined);
    return done;
  }

  async close(): Promise<void> {
    await this.queue;
    await this.handle.close();
  }
}
