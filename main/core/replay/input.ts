/**
 * Reads replay input as a stream of events: NDJSON, a JSON array, Segment batch payloads
 * (`{"batch": [...]}` one per line or one per file) or a single event, each optionally
 * gzip-compressed (detected by its magic bytes), from files, folders or stdin. The format
 * of each input is detected from its first line and reported. Memory stays bounded: text
 * is split as it arrives and only the current event (at most ~1 MB of text) is held.
 * Bad input is reported through `onSkip` with file and line, never silently dropped.
 */
import { createReadStream, promises as fs } from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { createGunzip } from 'node:zlib';
import type { InputDescription, InputFormat, SkippedLine } from '../../contract/replay';
import { checkEvent, MAX_EVENT_BYTES, textTravelsAsIs, tooLarge } from './event-check';

/** An input that cannot be read at all (missing file, empty folder): the replay does not start. */
export class ReplayInputError extends Error {
  override readonly name = 'ReplayInputError';
}

/** Longest line (or array element) held in memory: a Segment batch payload is at most 500 KB. */
const MAX_LINE_CHARS = 1024 * 1024;
/** Bytes read from a file at a time. */
const READ_CHUNK_BYTES = 256 * 1024;
/** Bytes decoded to text at a time. */
const DECODE_PIECE_BYTES = 64 * 1024;
/** Bytes of text gunzip produces at a time. */
const GUNZIP_CHUNK_BYTES = 64 * 1024;
/** Largest whole-document file (a pretty-printed batch or event); NDJSON has no limit. */
const MAX_DOCUMENT_CHARS = 64 * 1024 * 1024;

export interface InputSource {
  /** As given by the user (`-` for stdin). */
  file: string;
  /** Size in bytes when known (files), for progress. */
  size: number | null;
  open(): Readable;
}

export interface EventRecord {
  file: string;
  line: number;
  event: Record<string, unknown>;
  /**
   * The JSON text the event was parsed from (a line, an array element), when handing the
   * function that text gives it exactly `event` (textTravelsAsIs): the runtime then gets
   * the text as it is instead of the event written out again. Absent for batch items
   * (their payload's context may have been merged in) and long or unusual texts.
   */
  text?: string;
}

export interface ReadObserver {
  onFormat?(input: InputDescription): void;
  onSkip(skip: SkippedLine): void;
  /** Raw (possibly compressed) bytes consumed. */
  onBytes?(bytes: number): void;
}

/**
 * Expands arguments into sources: a file, every non-hidden file in a folder (recursively,
 * in name order), or `-` for `stdin`. Throws ReplayInputError naming what is wrong.
 */
export async function resolveInputs(args: readonly string[], stdin?: Readable): Promise<InputSource[]> {
  if (args.length === 0) throw new ReplayInputError('no events to replay: give one or more files, folders, or - for stdin');
  const sources: InputSource[] = [];
  let usedStdin = false;
  for (const arg of args) {
    if (arg === '-') {
      if (!stdin) throw new ReplayInputError('- (stdin) is not available here');
      if (usedStdin) throw new ReplayInputError('- (stdin) was given more than once');
      usedStdin = true;
      sources.push({ file: '-', size: null, open: () => stdin });
      continue;
    }
    let stat;
    try {
      stat = await fs.stat(arg);
    } catch {
      throw new ReplayInputError(`${arg}: no such file or folder`);
    }
    if (stat.isDirectory()) {
      const files = await listFolder(arg);
      if (files.length === 0) throw new ReplayInputError(`${arg}: the folder holds no event files`);
      for (const file of files) sources.push(await fileSource(file));
    } else {
      sources.push(await fileSource(arg));
    }
  }
  return sources;
}

async function fileSource(file: string): Promise<InputSource> {
  let size: number;
  try {
    const handle = await fs.open(file, 'r');
    size = (await handle.stat()).size;
    await handle.close();
  } catch (err) {
    throw new ReplayInputError(`${file}: cannot read the file: ${(err as Error).message}`);
  }
  return { file, size, open: () => createReadStream(file, { highWaterMark: READ_CHUNK_BYTES }) };
}

async function listFolder(dir: string): Promise<string[]> {
  const out: string[] = [];
  const entries = (await fs.readdir(dir, { withFileTypes: true })).filter((e) => !e.name.startsWith('.'));
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await listFolder(full)));
    else if (entry.isFile()) out.push(full);
  }
  return out;
}

/**
 * Events of every source in order, in groups (one per chunk of input read), so the
 * consumer pays one await per chunk rather than per event.
 */
export async function* readEvents(sources: readonly InputSource[], observer: ReadObserver): AsyncGenerator<EventRecord[]> {
  for (const source of sources) yield* readSource(source, observer);
}

async function* readSource(source: InputSource, observer: ReadObserver): AsyncGenerator<EventRecord[]> {
  const raw = source.open();
  let gzip = false;
  let parser: TextParser | null = null;
  const decoder = new StringDecoder('utf8');
  try {
    for await (const chunk of decompressed(raw, (bytes) => observer.onBytes?.(bytes), () => (gzip = true))) {
      // Decoded in pieces: text over V8's ~128 KB limit for young objects would go to the
      // large-object space, where it stays until a full GC; one group per chunk read.
      let events: EventRecord[] = [];
      for (let at = 0; at < chunk.length; at += DECODE_PIECE_BYTES) {
        const text = decoder.write(at === 0 && chunk.length <= DECODE_PIECE_BYTES ? chunk : chunk.subarray(at, at + DECODE_PIECE_BYTES));
        if (text === '') continue;
        parser ??= new TextParser(source.file, observer, () => gzip);
        const more = parser.push(text);
        events = events.length === 0 ? more : events.concat(more);
      }
      if (events.length > 0) yield events;
    }
    parser ??= new TextParser(source.file, observer, () => gzip);
    const events = parser.push(decoder.end());
    events.push(...parser.end());
    if (events.length > 0) yield events;
  } catch (err) {
    // A corrupt gzip stream or a read error mid-file: counted, and the next input goes on.
    const line = parser?.currentLine() ?? 1;
    observer.onSkip({ file: source.file, line, reason: 'unreadable', detail: `reading stopped here: ${(err as Error).message}` });
    parser?.announce();
    if (!parser) observer.onFormat?.({ file: source.file, format: 'empty', gzip });
  } finally {
    raw.destroy();
  }
}

/** The stream's bytes, gunzipped when it starts with gzip's magic bytes (1f 8b). */
async function* decompressed(raw: Readable, onBytes: (n: number) => void, onGzip: () => void): AsyncGenerator<Buffer> {
  const iterator = raw[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  let first = await iterator.next();
  while (!first.done && first.value.length < 2) {
    // A one-byte first chunk (a slow pipe) cannot show the magic number yet.
    const next = await iterator.next();
    if (next.done) break;
    first = { done: false, value: Buffer.concat([first.value, next.value]) };
  }
  if (first.done) return;
  const head = first.value;
  const counted = async function* (): AsyncGenerator<Buffer> {
    onBytes(head.length);
    yield head;
    for (;;) {
      const next = await iterator.next();
      if (next.done) return;
      onBytes(next.value.length);
      yield next.value;
    }
  };
  if (head[0] === 0x1f && head[1] === 0x8b) {
    onGzip();
    // Text in 64 KB pieces (zlib's default is 16 KB): events arrive in groups of ~100, so
    // chunks of events fill with fewer waits. Not larger: pieces over V8's ~128 KB limit
    // for young objects would go to the large-object space and live until a full GC, and
    // a gzipped capture inflates to many of them (the 1 M-event peak RSS grew by ~20 MB).
    const gunzip = createGunzip({ chunkSize: GUNZIP_CHUNK_BYTES });
    const feeding = Readable.from(counted());
    feeding.on('error', (err) => gunzip.destroy(err));
    feeding.pipe(gunzip);
    yield* gunzip as AsyncIterable<Buffer>;
  } else {
    yield* counted();
  }
}

type Mode = 'detect' | 'lines' | 'array' | 'document';

/**
 * Turns one input's text into events. The first line decides the mode: `[` starts a JSON
 * array, a line that parses on its own means NDJSON (or batch payloads per line), and a
 * first line that is an unfinished `{…` means the file is one pretty-printed document.
 */
class TextParser {
  private mode: Mode = 'detect';
  private format: InputFormat = 'empty';
  private announced = false;
  private pending = '';
  private readonly lines: LineSplitter;
  private readonly array: ArrayScanner;
  private document = '';
  private documentTooLarge = false;
  private out: EventRecord[] = [];

  constructor(
    private readonly file: string,
    private readonly observer: ReadObserver,
    private readonly gzip: () => boolean,
  ) {
    this.lines = new LineSplitter((text, line) => this.onLine(text, line));
    this.array = new ArrayScanner((text, line) => this.onValue(text, line, 'json-array'));
  }

  currentLine(): number {
    return this.mode === 'array' ? this.array.line : this.lines.line + 1;
  }

  push(text: string): EventRecord[] {
    if (this.mode === 'detect') {
      this.pending += text;
      if (!this.detect(false)) return [];
      text = this.pending;
      this.pending = '';
    }
    this.feed(text);
    return this.take();
  }

  end(): EventRecord[] {
    if (this.mode === 'detect') {
      this.detect(true);
      const text = this.pending;
      this.pending = '';
      if (this.mode !== 'detect') this.feed(text);
    }
    if (this.mode === 'lines') this.lines.end();
    if (this.mode === 'array') this.array.end(this.file, this.observer);
    if (this.mode === 'document') this.endDocument();
    this.announce();
    return this.take();
  }

  /** Reports the format once it is known (or that the input was empty). */
  announce(): void {
    if (this.announced) return;
    this.announced = true;
    this.observer.onFormat?.({ file: this.file, format: this.format, gzip: this.gzip() });
  }

  private take(): EventRecord[] {
    const out = this.out;
    this.out = [];
    return out;
  }

  private feed(text: string): void {
    if (this.mode === 'lines') this.lines.push(text);
    else if (this.mode === 'array') this.array.push(text);
    else if (this.mode === 'document') {
      if (this.documentTooLarge) return;
      this.document += text;
      if (this.document.length > MAX_DOCUMENT_CHARS) {
        this.documentTooLarge = true;
        this.document = '';
      }
    }
  }

  /** Decides the mode once the first meaningful line is complete (or the input ended). */
  private detect(atEnd: boolean): boolean {
    const start = this.pending.search(/[^\s\uFEFF]/);
    if (start < 0) {
      if (atEnd) this.mode = 'lines';
      return atEnd;
    }
    if (this.pending[start] === '[') {
      this.mode = 'array';
      this.format = 'json-array';
      this.announce();
      return true;
    }
    const newline = this.pending.indexOf('\n', start);
    if (newline < 0 && !atEnd && this.pending.length - start <= MAX_LINE_CHARS) return false;
    const firstLine = this.pending.slice(start, newline < 0 ? undefined : newline).trim();
    let parsed: unknown;
    let parses = false;
    try {
      parsed = JSON.parse(firstLine);
      parses = true;
    } catch {
      // decided below
    }
    if (!parses && firstLine.startsWith('{') && !firstLine.endsWith('}') && newline >= 0) {
      this.mode = 'document';
      return true;
    }
    this.mode = 'lines';
    this.format = parses && isBatchPayload(parsed) ? 'batch-lines' : 'ndjson';
    this.announce();
    return true;
  }

  private onLine(text: string | null, line: number): void {
    if (text === null) {
      this.skip(line, 'too-large', tooLarge(null));
      return;
    }
    const trimmed = text.trim();
    if (trimmed === '') return;
    this.onValue(trimmed, line, this.format);
  }

  /** One JSON text (a line or an array element): an event, a batch payload, or a bad line. */
  private onValue(text: string | null, line: number, where: InputFormat): void {
    if (text === null) {
      this.skip(line, 'too-large', tooLarge(null));
      return;
    }
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (err) {
      this.skip(line, 'not-json', `not JSON: ${(err as Error).message}${text.length > 60 ? '' : ` (${JSON.stringify(text)})`}`);
      return;
    }
    if (where !== 'json-array' && isBatchPayload(value)) {
      this.onBatch(value, line);
      return;
    }
    this.accept(value, text.length, line, '', text);
  }

  private onBatch(payload: BatchPayload, line: number): void {
    const shared = payload as unknown as Record<string, unknown>;
    payload.batch.forEach((item, index) => {
      // Segment applies a payload's top-level context and integrations to events that lack their own.
      if (typeof item === 'object' && item !== null && !Array.isArray(item)) {
        const event = item as Record<string, unknown>;
        if (event.context === undefined && isObject(shared.context)) event.context = shared.context;
        if (event.integrations === undefined && isObject(shared.integrations)) event.integrations = shared.integrations;
      }
      this.accept(item, MAX_EVENT_BYTES, line, `batch[${index}]: `);
    });
  }

  /** `text`: the JSON text `value` was parsed from, if it is an event of its own. */
  private accept(value: unknown, rawLength: number, line: number, prefix: string, text?: string): void {
    // The common case, checked without building a result: an object with a type, too short to be over the limit.
    if (rawLength <= MAX_EVENT_BYTES / 3 && typeof value === 'object' && value !== null && !Array.isArray(value)) {
      const type = (value as { type?: unknown }).type;
      if (typeof type === 'string' && type !== '') {
        const event = value as Record<string, unknown>;
        this.out.push(text !== undefined && textTravelsAsIs(text) ? { file: this.file, line, event, text } : { file: this.file, line, event });
        return;
      }
    }
    const check = checkEvent(value, rawLength);
    if (check.ok) this.out.push({ file: this.file, line, event: check.event });
    else this.skip(line, check.reason, prefix + check.detail);
  }

  private skip(line: number, reason: SkippedLine['reason'], detail: string): void {
    this.observer.onSkip({ file: this.file, line, reason, detail });
  }

  private endDocument(): void {
    if (this.documentTooLarge) {
      this.format = 'json-object';
      this.skip(1, 'too-large', `the file is one JSON document over ${MAX_DOCUMENT_CHARS / 1024 / 1024} MB; write it as NDJSON (one event a line) to replay it`);
      return;
    }
    const text = this.document;
    this.document = '';
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (err) {
      this.format = 'json-object';
      this.skip(1, 'not-json', `the file is neither NDJSON nor one JSON document: ${(err as Error).message}`);
      return;
    }
    if (isBatchPayload(value)) {
      this.format = 'batch-file';
      this.onBatch(value, 1);
    } else {
      this.format = 'json-object';
      this.accept(value, text.length, 1, '');
    }
  }
}

interface BatchPayload {
  batch: unknown[];
}

function isBatchPayload(value: unknown): value is BatchPayload {
  return isObject(value) && (value as { type?: unknown }).type === undefined && Array.isArray((value as { batch?: unknown }).batch);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Splits text into lines as it arrives. A line longer than MAX_LINE_CHARS is not held:
 * it is reported as `null` (too large) once its end is reached.
 */
class LineSplitter {
  /** Lines completed so far (the 1-based number of the last one emitted). */
  line = 0;
  private rest = '';
  private overflow = false;

  constructor(private readonly emit: (text: string | null, line: number) => void) {}

  push(text: string): void {
    let from = 0;
    for (;;) {
      const newline = text.indexOf('\n', from);
      if (newline < 0) break;
      this.line++;
      if (this.overflow) {
        this.overflow = false;
        this.emit(null, this.line);
      } else {
        const piece = text.slice(from, newline);
        const whole = this.rest === '' ? piece : this.rest + piece;
        this.rest = '';
        if (whole.length > MAX_LINE_CHARS) this.emit(null, this.line);
        else this.emit(whole, this.line);
      }
      from = newline + 1;
    }
    if (from < text.length && !this.overflow) {
      this.rest += text.slice(from);
      if (this.rest.length > MAX_LINE_CHARS) {
        this.rest = '';
        this.overflow = true;
      }
    }
  }

  end(): void {
    if (this.overflow || this.rest !== '') {
      this.line++;
      this.emit(this.overflow ? null : this.rest, this.line);
    }
    this.rest = '';
    this.overflow = false;
  }
}

/**
 * Splits a top-level JSON array into its elements' texts as the text arrives (tracking
 * strings and nesting), so a huge array never has to be parsed in one piece. Elements
 * longer than MAX_LINE_CHARS are reported as `null` (too large) without being held.
 */
class ArrayScanner {
  /** 1-based line of the scanner's position. */
  line = 1;
  private state: 'before' | 'inside' | 'after' = 'before';
  private depth = 0;
  private inString = false;
  private escaped = false;
  private element: string[] = [];
  private elementChars = 0;
  private elementLine = 0;
  private elementStarted = false;
  private overflow = false;
  private trailing = false;

  constructor(private readonly emit: (text: string | null, line: number) => void) {}

  push(text: string): void {
    let sliceFrom = this.elementStarted ? 0 : -1;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 10) this.line++;
      if (this.state !== 'inside') {
        if (this.state === 'before' && c === 91 /* [ */) this.state = 'inside';
        else if (!isSpace(c)) this.trailing = true;
        continue;
      }
      if (this.inString) {
        if (this.escaped) this.escaped = false;
        else if (c === 92 /* \ */) this.escaped = true;
        else if (c === 34 /* " */) this.inString = false;
        continue;
      }
      if (this.depth === 0 && (c === 44 /* , */ || c === 93 /* ] */)) {
        if (sliceFrom >= 0) this.append(text.slice(sliceFrom, i));
        sliceFrom = -1;
        this.flush();
        if (c === 93) this.state = 'after';
        continue;
      }
      if (!this.elementStarted) {
        if (isSpace(c)) continue;
        this.elementStarted = true;
        this.elementLine = this.line;
        sliceFrom = i;
      }
      if (c === 34) this.inString = true;
      else if (c === 123 || c === 91) this.depth++;
      else if (c === 125 || c === 93) this.depth--;
    }
    if (sliceFrom >= 0) this.append(text.slice(sliceFrom));
  }

  end(file: string, observer: ReadObserver): void {
    if (this.state === 'inside') {
      if (this.elementStarted) this.flush();
      observer.onSkip({ file, line: this.line, reason: 'not-json', detail: 'the JSON array is not closed: the file ended before its ]' });
    } else if (this.trailing) {
      observer.onSkip({ file, line: this.line, reason: 'not-json', detail: 'unexpected text after the JSON array' });
    }
  }

  private append(piece: string): void {
    if (this.overflow) return;
    this.elementChars += piece.length;
    if (this.elementChars > MAX_LINE_CHARS) {
      this.overflow = true;
      this.element = [];
      return;
    }
    this.element.push(piece);
  }

  private flush(): void {
    if (this.elementStarted) this.emit(this.overflow ? null : this.element.join('').trim(), this.elementLine);
    this.element = [];
    this.elementChars = 0;
    this.elementStarted = false;
    this.overflow = false;
  }
}

function isSpace(c: number): boolean {
  return c === 32 || c === 10 || c === 13 || c === 9 || c === 0xfeff;
}
