import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, writeFileSync, mkdirSync, chmodSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { JsonFileError, findJsonSyntaxError, lineColumnAt, parseJsonText, readJsonFile } from './json-file';
import { compiledModule, runAsNobody, runningAsRoot, withScratchForNobody } from './unprivileged.testkit';

function failure(text: string): JsonFileError {
  try {
    parseJsonText(text, 'x.json');
  } catch (err) {
    if (err instanceof JsonFileError) return err;
    throw err;
  }
  throw new Error(`expected ${JSON.stringify(text)} to fail`);
}

describe('parseJsonText', () => {
  it('parses valid JSON, ignoring a byte-order mark', () => {
    expect(parseJsonText('{"a": [1, 2.5e3, true, null, "x\\u00e9"]}', 'x.json')).toEqual({ a: [1, 2500, true, null, 'xé'] });
    expect(parseJsonText('\ufeff[1]', 'x.json')).toEqual([1]);
  });

  it('reports an empty file', () => {
    const err = failure('  \n');
    expect(err.problem).toBe('empty');
    expect(err.message).toBe('x.json: the file is empty (expected JSON)');
  });

  it.each([
    ['{"a": }', 1, 7, "expected a value, found '}'"],
    ['{\n  "a": 1\n  "b": 2\n}', 3, 3, "expected ',' or '}' after a property value, found '\"'"],
    ['{"a": 1,}', 1, 9, 'trailing commas are not allowed'],
    ['[1, 2,\n]', 2, 1, 'trailing commas are not allowed'],
    ['{"a": tru}', 1, 7, "found 'tru'"],
    ["{'a': 1}", 1, 2, 'double quotes'],
    ['{"a": "x\n"}', 1, 9, 'line break inside a string'],
    ['{"a": 1', 1, 8, 'found the end of the file'],
    ['{} x', 1, 4, "unexpected 'x' after the end of the JSON value"],
    ['{"a": 01}', 1, 7, 'invalid number'],
    ['// c\n{}', 1, 1, 'comments are not allowed'],
    ['\r\n\r\n  [1 2]', 3, 6, "expected ',' or ']'"],
    ['{"a": "\\q"}', 1, 8, "invalid escape '\\q'"],
    ['{"a": "abc', 1, 7, 'unterminated string'],
  ])('locates the error in %j at %i:%i', (text, line, column, reason) => {
    const err = failure(text);
    expect(err.problem).toBe('invalid-json');
    expect(err.line).toBe(line);
    expect(err.column).toBe(column);
    expect(err.message).toContain(`x.json: invalid JSON at ${line}:${column}: `);
    expect(err.message).toContain(reason);
  });

  it('agrees with JSON.parse on what is valid', () => {
    for (const text of ['0', '-0.5E+2', '"\\"\\\\\\/\\b\\f\\n\\r\\t"', '{"a":{"b":[[],{}]}}', ' [ ] ']) {
      expect(() => JSON.parse(text)).not.toThrow();
      expect(findJsonSyntaxError(text)).toBeNull();
    }
  });

  it('counts columns from line starts', () => {
    expect(lineColumnAt('ab\ncd', 4)).toEqual({ line: 2, column: 2 });
    expect(lineColumnAt('ab\r\ncd', 5)).toEqual({ line: 2, column: 2 });
  });
});

describe('readJsonFile', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'json-file-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads a file', async () => {
    writeFileSync(path.join(dir, 'ok.json'), '{"type":"track"}');
    await expect(readJsonFile(path.join(dir, 'ok.json'))).resolves.toEqual({ type: 'track' });
  });

  it('names a missing file', async () => {
    const file = path.join(dir, 'nope.json');
    await expect(readJsonFile(file)).rejects.toMatchObject({ problem: 'missing', message: `${file}: file not found` });
  });

  it('names a directory', async () => {
    mkdirSync(path.join(dir, 'sub'));
    await expect(readJsonFile(path.join(dir, 'sub'))).rejects.toMatchObject({ problem: 'not-a-file' });
  });

  it('names an unreadable file', async () => {
    if (runningAsRoot()) {
      // root reads anything whatever its mode: ask as an unprivileged user (nobody) instead.
      await withScratchForNobody(async (scratch) => {
        const file = path.join(scratch, 'secret.json');
        writeFileSync(file, '{}');
        chmodSync(file, 0o000);
        const script = `require(${JSON.stringify(compiledModule('main/core/json-file.js'))}).readJsonFile(${JSON.stringify(file)}).then(
          (v) => console.log('read ' + JSON.stringify(v)), (e) => console.log(JSON.stringify({ problem: e.problem, message: e.message })))`;
        expect(JSON.parse(await runAsNobody(script))).toEqual({ problem: 'unreadable', message: `${file}: cannot read the file: permission denied` });
      });
      return;
    }
    const file = path.join(dir, 'secret.json');
    writeFileSync(file, '{}');
    chmodSync(file, 0o000);
    await expect(readJsonFile(file)).rejects.toMatchObject({ problem: 'unreadable', message: `${file}: cannot read the file: permission denied` });
  });

  it('names the file and position of invalid JSON', async () => {
    const file = path.join(dir, 'bad.json');
    writeFileSync(file, '{\n  "type": "track",\n}\n');
    await expect(readJsonFile(file)).rejects.toThrow(`${file}: invalid JSON at 3:1: expected a property name`);
  });
});
