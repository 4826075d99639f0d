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
import { utf8Bytes } from './utf8-texts';

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

const encoder = new TextEncoder();

/**
 * A finished invocation's outcome: its JSON text as UTF-8 bytes. Records travel this way
 * from the ledger to the pool (in a worker's report) and on to the host: the bytes stay
 * outside the JavaScript heap, where the garbage collector never copies them.
 */
export interface OutcomeRecord {
  id: number;
  category: OutcomeCategory;
  utf8: Uint8Array;
}

/**
 * The records in `bytes[0, end)` (each: id, category index, byte length, the text, padding
 * to 4 bytes), as views into `bytes`. Reading stops at the first record that is not
 * whole or not valid.
 */
export function readRecords(bytes: Uint8Array, end = bytes.length): OutcomeRecord[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const records: OutcomeRecord[] = [];
  let at = 0;
  end = Math.min(end, bytes.length);
  while (at + RECORD_HEADER_BYTES <= end) {
    const id = view.getInt32(at, true);
    const category = OUTCOME_CATEGORIES[view.getInt32(at + 4, true)];
    const length = view.getInt32(at + 8, true);
    const start = at + RECORD_HEADER_BYTES;
    if (category === undefined || length < 0 || start + length > end) break;
    records.push({ id, category, utf8: bytes.subarray(start, start + length) });
    at = start + ((length + 3) & ~3);
  }
  return records;
}

/** A record's header at `at`, for a text of `length` bytes that follows it. */
function writeHeader(view: DataView, at: number, id: number, category: OutcomeCategory, length: number): void {
  view.setInt32(at, id, true);
  view.setInt32(at + 4, OUTCOME_CATEGORIES.indexOf(category), true);
  view.setInt32(at + 8, length, true);
}

/** One record in a buffer of its own: an outcome too large for the ledger travels so. */
export function encodeRecord(id: number, category: OutcomeCategory, json: string): Uint8Array {
  const text = utf8Bytes(json);
  const bytes = new Uint8Array(RECORD_HEADER_BYTES + ((text.length + 3) & ~3));
  writeHeader(new DataView(bytes.buffer), 0, id, category, text.length);
  bytes.set(text, RECORD_HEADER_BYTES);
  return bytes;
}

export function createLedgerBuffer(): SharedArrayBuffer {
  const buffer = new SharedArrayBuffer(HEADER_BYTES + LEDGER_BYTES);
  new Int32Array(buffer, 0, HEADER_BYTES / 4)[RUNNING] = -1;
  return buffer;
}

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
    writeHeader(this.view, this.committed, id, category, written);
    this.committed = start + ((written + 3) & ~3);
    Atomics.store(this.header, COMMITTED, this.committed);
    return true;
  }

  /**
   * The records so far, copied out of shared memory into a buffer of their own (a report
   * must not share memory the worker goes on writing), or null when there are none. The
   * ledger keeps them until clear(): the report must be on its way first.
   */
  copy(): Uint8Array | null {
    return this.committed === 0 ? null : this.bytes.slice(0, this.committed);
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

  constructor(buffer: SharedArrayBuffer) {
    this.header = new Int32Array(buffer, 0, HEADER_BYTES / 4);
    this.since = new Float64Array(buffer, 0, HEADER_BYTES / 8);
    this.bytes = new Uint8Array(buffer, HEADER_BYTES);
  }

  /** The invocation running now and when its time limit started (this thread's performance.now() scale), or null between invocations. */
  running(): { id: number; since: number } | null {
    const id = Atomics.load(this.header, RUNNING);
    if (id < 0) return null;
    return { id, since: this.since[SINCE] - performance.timeOrigin };
  }

  /** The outcomes finished and not yet reported, in the order they finished. */
  read(): OutcomeRecord[] {
    const generation = Atomics.load(this.header, GENERATION);
    const committed = Math.min(Atomics.load(this.header, COMMITTED), this.bytes.length);
    // Copied out of shared memory first: the worker may clear and reuse it meanwhile.
    const records = committed === 0 ? [] : readRecords(this.bytes.slice(0, committed));
    // Cleared meanwhile: what was read may be torn, and the message that cleared it has it all.
    return Atomics.load(this.header, GENERATION) === generation ? records : [];
  }
}
