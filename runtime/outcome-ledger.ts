/**
 * What a sandbox worker has finished but not yet reported, in memory its host can read
 * even when the worker can no longer speak: a worker reports its outcomes in batches (a
 * message per event costs both threads as much as a small event), so when an invocation
 * never yields (a runaway loop, a long native call) or kills its worker, the outcomes of
 * the invocations before it are still here, and the host can give each its own outcome
 * and stop the right invocation. It also says which invocation runs now, and since when.
 *
 * One writer (the worker), one reader (the pool). The worker appends a record per finished
 * invocation and clears them once a message carries them; a record is visible only once
 * complete (`committed` moves after its bytes are written). A reader racing a clear sees
 * the generation change and reads nothing: those outcomes are in a message already.
 */
import { OUTCOME_CATEGORIES, type OutcomeCategory } from '../common/outcome';

/** Int32 slots of the header. */
const GENERATION = 0;
const COMMITTED = 1;
const RUNNING = 2;
/** Float64 slot (byte 16): when the running invocation's time limit started, ms since the epoch. */
const SINCE = 2;
const HEADER_BYTES = 32;
/** Per record: id, category index, byte length of the JSON text. */
const RECORD_HEADER_BYTES = 12;
/** Room for the records: beyond it, a worker reports what it has before going on. */
export const LEDGER_BYTES = 256 * 1024;

export interface LedgerRecord {
  id: number;
  category: OutcomeCategory;
  json: string;
}

export function createLedgerBuffer(): SharedArrayBuffer {
  const buffer = new SharedArrayBuffer(HEADER_BYTES + LEDGER_BYTES);
  new Int32Array(buffer, 0, HEADER_BYTES / 4)[RUNNING] = -1;
  return buffer;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** The worker's side. */
export class LedgerWriter {
  private readonly header: Int32Array;
  private readonly since: Float64Array;
  private readonly bytes: Uint8Array;
  private readonly view: DataView;
  private committed = 0;

  constructor(buffer: SharedArrayBuffer) {
    this.header = new Int32Array(buffer, 0, HEADER_BYTES / 4);
    this.since = new Float64Array(buffer, 0, HEADER_BYTES / 8);
    this.bytes = new Uint8Array(buffer, HEADER_BYTES);
    this.view = new DataView(buffer, HEADER_BYTES);
  }

  /** Invocation `id` starts (or its time limit restarts, after compiling its function) now. */
  running(id: number): void {
    this.since[SINCE] = performance.timeOrigin + performance.now();
    Atomics.store(this.header, RUNNING, id);
  }

  idle(): void {
    Atomics.store(this.header, RUNNING, -1);
  }

  /** Appends a finished invocation's outcome; false when it does not fit (report it now instead). */
  record(id: number, category: OutcomeCategory, json: string): boolean {
    const start = this.committed + RECORD_HEADER_BYTES;
    // A UTF-16 code unit takes at most 3 bytes of UTF-8.
    if (start + json.length * 3 > this.bytes.length) return false;
    const { written } = encoder.encodeInto(json, this.bytes.subarray(start));
    this.view.setInt32(this.committed, id, true);
    this.view.setInt32(this.committed + 4, OUTCOME_CATEGORIES.indexOf(category), true);
    this.view.setInt32(this.committed + 8, written, true);
    this.committed = start + ((written + 3) & ~3);
    Atomics.store(this.header, COMMITTED, this.committed);
    return true;
  }

  /** Everything recorded has been sent in a message. */
  clear(): void {
    if (this.committed === 0) return;
    Atomics.add(this.header, GENERATION, 1);
    this.committed = 0;
    Atomics.store(this.header, COMMITTED, 0);
  }
}

/** The pool's side. */
export class LedgerReader {
  private readonly header: Int32Array;
  private readonly since: Float64Array;
  private readonly bytes: Uint8Array;
  private readonly view: DataView;

  constructor(buffer: SharedArrayBuffer) {
    this.header = new Int32Array(buffer, 0, HEADER_BYTES / 4);
    this.since = new Float64Array(buffer, 0, HEADER_BYTES / 8);
    this.bytes = new Uint8Array(buffer, HEADER_BYTES);
    this.view = new DataView(buffer, HEADER_BYTES);
  }

  /** The invocation running now and when its time limit started (this thread's performance.now() scale), or null between invocations. */
  running(): { id: number; since: number } | null {
    const id = Atomics.load(this.header, RUNNING);
    if (id < 0) return null;
    return { id, since: this.since[SINCE] - performance.timeOrigin };
  }

  /** The outcomes finished and not yet reported, in the order they finished. */
  read(): LedgerRecord[] {
    const generation = Atomics.load(this.header, GENERATION);
    const committed = Math.min(Atomics.load(this.header, COMMITTED), this.bytes.length);
    const records: LedgerRecord[] = [];
    let at = 0;
    while (at + RECORD_HEADER_BYTES <= committed) {
      const id = this.view.getInt32(at, true);
      const category = OUTCOME_CATEGORIES[this.view.getInt32(at + 4, true)];
      const length = this.view.getInt32(at + 8, true);
      const start = at + RECORD_HEADER_BYTES;
      if (category === undefined || length < 0 || start + length > committed) break;
      // TextDecoder does not read shared memory: copy the bytes out first.
      records.push({ id, category, json: decoder.decode(this.bytes.slice(start, start + length)) });
      at = start + ((length + 3) & ~3);
    }
    // Cleared meanwhile: what was read may be torn, and the message that cleared it has it all.
    return Atomics.load(this.header, GENERATION) === generation ? records : [];
  }
}
