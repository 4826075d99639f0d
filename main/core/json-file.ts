/**
 * Reading JSON files that people write by hand (events, settings, mock rules,
 * function.json) with errors that name the file and the exact place of the problem.
 *
 * V8's JSON.parse messages only sometimes carry a position ("Unexpected token '}',
 * "{"a": }" is not valid JSON" has none), so on failure a small scanner re-reads the
 * text to find the first offending character and say what was expected there.
 */
import { promises as fs } from 'node:fs';

export type JsonFileProblem = 'missing' | 'not-a-file' | 'unreadable' | 'empty' | 'invalid-json';

export class JsonFileError extends Error {
  override readonly name = 'JsonFileError';
  constructor(
    /** The file as the user named it. */
    readonly file: string,
    readonly problem: JsonFileProblem,
    /** The problem without the file name, e.g. "invalid JSON at 3:5: expected ',' or '}'". */
    readonly detail: string,
    /** 1-based position of an invalid-json problem. */
    readonly line?: number,
    readonly column?: number,
  ) {
    super(`${file}: ${detail}`);
  }
}

export interface JsonSyntaxProblem {
  /** 0-based offset into the text. */
  offset: number;
  /** 1-based. */
  line: number;
  /** 1-based, in UTF-16 code units. */
  column: number;
  /** What is wrong there, e.g. "expected ',' or '}' after a property value, found ']'". */
  reason: string;
}

/** 1-based line and column of `offset` in `text` (\n, \r\n and \r end lines). */
export function lineColumnAt(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  const end = Math.min(offset, text.length);
  for (let i = 0; i < end; i++) {
    const ch = text.charCodeAt(i);
    if (ch === 0x0a || (ch === 0x0d && text.charCodeAt(i + 1) !== 0x0a)) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: end - lineStart + 1 };
}

const UTF8_BOM = '\ufeff';

/**
 * Parses JSON text; on failure throws a JsonFileError with problem 'empty' or
 * 'invalid-json' (line and column set). `source` names the text in messages.
 * A leading byte-order mark is ignored (editors on Windows write one).
 */
export function parseJsonText(text: string, source: string): unknown {
  const body = text.startsWith(UTF8_BOM) ? text.slice(1) : text;
  if (body.trim() === '') throw new JsonFileError(source, 'empty', 'the file is empty (expected JSON)');
  try {
    return JSON.parse(body);
  } catch (err) {
    const problem = findJsonSyntaxError(body) ?? fromV8Message(body, err);
    if (!problem) {
      throw new JsonFileError(source, 'invalid-json', `invalid JSON: ${errorMessage(err)}`);
    }
    // Offsets are reported against the text as given (with its BOM, if any).
    const shift = body === text ? 0 : 1;
    const { line, column } = lineColumnAt(text, problem.offset + shift);
    throw new JsonFileError(
      source,
      'invalid-json',
      `invalid JSON at ${line}:${column}: ${problem.reason}`,
      line,
      column,
    );
  }
}

/** Reads and parses a JSON file. Every failure is a JsonFileError naming `file`. */
export async function readJsonFile(file: string): Promise<unknown> {
  return parseJsonText(await readTextFile(file), file);
}

/** Reads a UTF-8 file; missing, directory and permission problems become JsonFileErrors. */
export async function readTextFile(file: string): Promise<string> {
  try {
    return await fs.readFile(file, 'utf8');
  } catch (err) {
    throw fileReadError(file, err);
  }
}

function fileReadError(file: string, err: unknown): JsonFileError {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT') return new JsonFileError(file, 'missing', 'file not found');
  if (code === 'EISDIR') return new JsonFileError(file, 'not-a-file', 'is a directory, expected a JSON file');
  if (code === 'EACCES' || code === 'EPERM') {
    return new JsonFileError(file, 'unreadable', 'cannot read the file: permission denied');
  }
  return new JsonFileError(file, 'unreadable', `cannot read the file: ${errorMessage(err)}`);
}

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function fromV8Message(text: string, err: unknown): JsonSyntaxProblem | null {
  const m = /at position (\d+)/.exec(errorMessage(err));
  if (!m) return null;
  const offset = Number(m[1]);
  return { offset, ...lineColumnAt(text, offset), reason: errorMessage(err).replace(/ in JSON at position \d+.*$/, '') };
}

/**
 * Finds the first syntax error in JSON text (RFC 8259), or null when the text is valid.
 * Used only after JSON.parse failed, to point at the offending character.
 */
export function findJsonSyntaxError(text: string): JsonSyntaxProblem | null {
  try {
    const scanner = new JsonScanner(text);
    scanner.document();
    return null;
  } catch (err) {
    if (err instanceof ScanError) {
      return { offset: err.offset, ...lineColumnAt(text, err.offset), reason: err.reason };
    }
    // Absurd nesting overflows the stack; the caller falls back to V8's message.
    return null;
  }
}

class ScanError extends Error {
  constructor(
    readonly offset: number,
    readonly reason: string,
  ) {
    super(reason);
  }
}

class JsonScanner {
  private pos = 0;
  constructor(private readonly text: string) {}

  document(): void {
    this.skipWhitespace();
    this.value('a value');
    this.skipWhitespace();
    if (this.pos < this.text.length) {
      this.fail(`unexpected ${this.describe()} after the end of the JSON value`);
    }
  }

  private value(expected: string): void {
    const ch = this.text[this.pos];
    if (ch === '{') return this.object();
    if (ch === '[') return this.array();
    if (ch === '"') return this.string();
    if (ch === '-' || (ch !== undefined && ch >= '0' && ch <= '9')) return this.number();
    for (const word of ['true', 'false', 'null']) {
      if (this.text.startsWith(word, this.pos)) {
        this.pos += word.length;
        return;
      }
    }
    if (ch === "'") this.fail(`expected ${expected}, found a single quote (JSON strings use double quotes)`);
    this.fail(`expected ${expected}, found ${this.describe()}`);
  }

  private object(): void {
    this.pos++;
    this.skipWhitespace();
    if (this.text[this.pos] === '}') {
      this.pos++;
      return;
    }
    for (;;) {
      if (this.text[this.pos] !== '"') {
        const hint = this.text[this.pos] === '}' ? ' (trailing commas are not allowed)' : '';
        this.fail(`expected a property name in double quotes, found ${this.describe()}${hint}`);
      }
      this.string();
      this.skipWhitespace();
      if (this.text[this.pos] !== ':') this.fail(`expected ':' after the property name, found ${this.describe()}`);
      this.pos++;
      this.skipWhitespace();
      this.value('a value');
      this.skipWhitespace();
      const next = this.text[this.pos];
      if (next === '}') {
        this.pos++;
        return;
      }
      if (next !== ',') this.fail(`expected ',' or '}' after a property value, found ${this.describe()}`);
      this.pos++;
      this.skipWhitespace();
    }
  }

  private array(): void {
    this.pos++;
    this.skipWhitespace();
    if (this.text[this.pos] === ']') {
      this.pos++;
      return;
    }
    for (;;) {
      const trailing = this.text[this.pos] === ']';
      this.value(trailing ? 'a value (trailing commas are not allowed)' : 'a value');
      this.skipWhitespace();
      const next = this.text[this.pos];
      if (next === ']') {
        this.pos++;
        return;
      }
      if (next !== ',') this.fail(`expected ',' or ']' after an array element, found ${this.describe()}`);
      this.pos++;
      this.skipWhitespace();
    }
  }

  private string(): void {
    const start = this.pos;
    this.pos++;
    for (;;) {
      if (this.pos >= this.text.length) {
        this.pos = start;
        this.fail('unterminated string (no closing double quote)');
      }
      const code = this.text.charCodeAt(this.pos);
      if (code === 0x22) {
        this.pos++;
        return;
      }
      if (code < 0x20) {
        this.fail(code === 0x0a ? 'line break inside a string (write it as \\n)' : 'control character inside a string');
      }
      if (code === 0x5c) {
        const esc = this.text[this.pos + 1];
        if (esc === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(this.text.slice(this.pos + 2, this.pos + 6))) {
            this.fail('invalid \\u escape (expected 4 hex digits)');
          }
          this.pos += 6;
          continue;
        }
        if (esc === undefined || !'"\\/bfnrt'.includes(esc)) this.fail(`invalid escape '\\${esc ?? ''}' in a string`);
        this.pos += 2;
        continue;
      }
      this.pos++;
    }
  }

  private number(): void {
    const start = this.pos;
    const m = /^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?/.exec(this.text.slice(this.pos, this.pos + 400));
    const next = m ? this.text[this.pos + m[0].length] : undefined;
    if (!m || (next !== undefined && /[0-9.eE]/.test(next))) {
      this.pos = start;
      this.fail('invalid number (JSON numbers have no leading zeros, + sign, or bare dots)');
    }
    this.pos += m[0].length;
  }

  private skipWhitespace(): void {
    for (;;) {
      const ch = this.text[this.pos];
      if (ch === ' ' || ch === '\t' || ch === '\n' || ch === '\r') {
        this.pos++;
        continue;
      }
      if (ch === '/' && (this.text[this.pos + 1] === '/' || this.text[this.pos + 1] === '*')) {
        this.fail('comments are not allowed in JSON');
      }
      return;
    }
  }

  private describe(): string {
    if (this.pos >= this.text.length) return 'the end of the file';
    const ch = this.text[this.pos];
    const word = /^[A-Za-z_$][\w$]*/.exec(this.text.slice(this.pos, this.pos + 40));
    if (word) return `'${word[0]}'`;
    const code = ch.charCodeAt(0);
    return code < 0x20 ? `control character U+${code.toString(16).padStart(4, '0')}` : `'${ch}'`;
  }

  private fail(reason: string): never {
    throw new ScanError(this.pos, reason);
  }
}
