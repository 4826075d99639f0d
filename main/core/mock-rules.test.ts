import { describe, it, expect, afterAll } from 'vitest';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MockRulesError, parseUrlPattern, readMockRulesFile, validateMockRules } from './mock-rules';
import { JsonFileError } from './json-file';

function problem(value: unknown): MockRulesError {
  try {
    validateMockRules(value);
  } catch (err) {
    if (err instanceof MockRulesError) return err;
    throw err;
  }
  throw new Error('expected the rules to be rejected');
}

describe('validateMockRules', () => {
  it('fills in defaults and upper-cases methods', () => {
    expect(
      validateMockRules([
        { url: 'https://api.example.com/*' },
        { method: 'post', url: '/^https:\\/\\/x\\.test\\//i', status: 503, headers: { 'retry-after': '1' }, body: { ok: false }, delayMs: 5 },
      ]),
    ).toEqual([
      { method: '*', url: 'https://api.example.com/*', status: 200 },
      { method: 'POST', url: '/^https:\\/\\/x\\.test\\//i', status: 503, headers: { 'retry-after': '1' }, body: { ok: false }, delayMs: 5 },
    ]);
    expect(validateMockRules([])).toEqual([]);
  });

  it('rejects a non-array with an example', () => {
    const err = problem({ url: 'x' });
    expect(err.ruleIndex).toBeNull();
    expect(err.message).toMatch(/^mock rules must be a JSON array of rules, got an object/);
  });

  it.each([
    [[{ url: 'https://a.test/*' }, 'nope'], 1, "rule [1]: expected an object"],
    [[{ status: 200 }], 0, "rule [0]: 'url' is missing"],
    [[{ url: '' }], 0, "rule [0]: 'url' must be a non-empty string"],
    [[{ url: 42 }], 0, "rule [0]: 'url' must be a non-empty string, got number 42"],
    [[{ url: 'https://a.test/*' }, { url: '/a(b/' }], 1, "rule [1]: 'url' /a(b/ is not a valid regular expression"],
    [[{ url: '/a/q' }], 0, 'is not a valid regular expression'],
    [[{ url: 'api.example.com/*' }], 0, `rule [0]: 'url' "api.example.com/*" never matches: a glob must match the whole URL`],
    [[{ url: 'https://a.test/', method: 'FETCH' }], 0, `rule [0]: 'method' "FETCH" is not an HTTP method`],
    [[{ url: 'https://a.test/', method: 1 }], 0, "'method' must be a string"],
    [[{ url: 'https://a.test/', status: 99 }], 0, "rule [0]: 'status' must be an integer from 200 to 599, got 99"],
    [[{ url: 'https://a.test/', status: '200' }], 0, `got "200"`],
    [[{ url: 'https://a.test/', status: 200.5 }], 0, "'status' must be an integer"],
    [[{ url: 'https://a.test/', delayMs: -1 }], 0, "rule [0]: 'delayMs' must be a number of milliseconds"],
    [[{ url: 'https://a.test/', delayMs: 'soon' }], 0, "'delayMs' must be a number"],
    [[{ url: 'https://a.test/', headers: ['a'] }], 0, "'headers' must be an object"],
    [[{ url: 'https://a.test/', headers: { a: 1 } }], 0, "header 'a' must have a string value"],
    [[{ url: 'https://a.test/', headers: { 'a b': 'x' } }], 0, 'is not a valid HTTP header name'],
    [[{ url: 'https://a.test/', stauts: 500 }], 0, "rule [0]: unknown field 'stauts' (allowed: method, url, status, headers, body, delayMs)"],
  ])('rejects %j naming rule %i', (rules, index, message) => {
    const err = problem(rules);
    expect(err.ruleIndex).toBe(index);
    expect(err.message).toContain(message);
  });
});

describe('parseUrlPattern', () => {
  it('tells regexes from globs', () => {
    const re = parseUrlPattern('/^https:\\/\\/api\\.test\\/v\\d+/i');
    expect(re.kind).toBe('regex');
    if (re.kind === 'regex') expect(re.regex.test('HTTPS://api.test/v2/x')).toBe(true);
    expect(parseUrlPattern('https://api.test/*')).toEqual({ kind: 'glob', glob: 'https://api.test/*' });
  });
});

describe('readMockRulesFile', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'mock-rules-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads and validates a file', async () => {
    const file = path.join(dir, 'ok.json');
    writeFileSync(file, JSON.stringify([{ method: 'POST', url: 'https://hooks.test/*', status: 201 }]));
    await expect(readMockRulesFile(file)).resolves.toEqual([{ method: 'POST', url: 'https://hooks.test/*', status: 201 }]);
  });

  it('names the file in rule errors', async () => {
    const file = path.join(dir, 'bad.json');
    writeFileSync(file, JSON.stringify([{ url: 'https://hooks.test/*' }, { method: 'GET' }]));
    await expect(readMockRulesFile(file)).rejects.toThrow(`${file}: rule [1]: 'url' is missing`);
  });

  it('reports invalid JSON with its position', async () => {
    const file = path.join(dir, 'broken.json');
    writeFileSync(file, '[\n  {"url": "x",}\n]');
    const err = await readMockRulesFile(file).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(JsonFileError);
    expect((err as JsonFileError).message).toContain(`${file}: invalid JSON at 2:15`);
  });
});
