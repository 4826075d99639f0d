import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { FnStudioError } from '../contract/errors';
import { createMocksService, mockRulesProblems, readFunctionMocks, rulesForRun } from './function-mocks';

let tmp: string;
let fnDir: string;
const folder = async (id: string): Promise<string> => {
  if (id !== 'fn') throw new FnStudioError('NotFound', `No function "${id}"`);
  return fnDir;
};

beforeEach(async () => {
  tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'fnstudio-mocks-'));
  fnDir = path.join(tmp, 'fn');
  await fs.mkdir(fnDir);
});
afterEach(async () => {
  await fs.rm(tmp, { recursive: true, force: true });
});

describe('mockRulesProblems', () => {
  it('accepts valid rules and fills in the defaults', () => {
    expect(mockRulesProblems('[{"url": "https://api.example.com/*", "body": {"ok": true}}]')).toEqual({
      rules: [{ method: '*', url: 'https://api.example.com/*', status: 200, body: { ok: true } }],
      problems: [],
    });
  });

  it('names every bad rule by its index, not only the first', () => {
    const { rules, problems } = mockRulesProblems(
      JSON.stringify([{ url: 'https://ok.test/*' }, { url: 'api.test/x' }, { url: 'https://x.test/', status: 99 }, { url: 'https://y.test/', colour: 'red' }]),
    );
    expect(rules).toEqual([]);
    expect(problems.map((p) => p.ruleIndex)).toEqual([1, 2, 3]);
    expect(problems[0].message).toMatch(/^rule \[1\]: 'url' "api.test\/x" never matches/);
    expect(problems[1].message).toMatch(/^rule \[2\]: 'status' must be an integer from 200 to 599, got 99/);
    expect(problems[2].message).toMatch(/^rule \[3\]: unknown field 'colour'/);
  });

  it('names line and column of a JSON syntax error, and a non-array file as a whole', () => {
    const [syntax] = mockRulesProblems('[\n  {"url": "https://a.test/*",}\n]').problems;
    expect(syntax).toMatchObject({ ruleIndex: null, line: 2, column: 30 });
    expect(syntax.message).toMatch(/mocks\.json: invalid JSON at 2:30/);
    const [notArray] = mockRulesProblems('{"url": "https://a.test/*"}').problems;
    expect(notArray).toEqual({ ruleIndex: null, message: expect.stringMatching(/must be a JSON array of rules, got an object/) });
  });
});

describe('mocks service', () => {
  it('reports a missing file as empty, saves the text as written and reads it back', async () => {
    const mocks = createMocksService(folder);
    expect(await mocks.get('fn')).toEqual({ exists: false, json: '', rules: [], problems: [] });
    const text = '[\n  { "method": "post", "url": "https://hooks.test/*", "status": 201 }\n]';
    const saved = await mocks.set('fn', text);
    expect(saved).toMatchObject({ exists: true, json: `${text}\n`, problems: [] });
    expect(saved.rules).toEqual([{ method: 'POST', url: 'https://hooks.test/*', status: 201 }]);
    expect(await fs.readFile(path.join(fnDir, 'mocks.json'), 'utf8')).toBe(`${text}\n`);
  });

  it('refuses to save bad rules and leaves the file on disk as it was', async () => {
    const mocks = createMocksService(folder);
    await fs.writeFile(path.join(fnDir, 'mocks.json'), '[]\n');
    await expect(mocks.set('fn', '[{"url": "https://a.test/*", "status": "200"}]')).rejects.toMatchObject({
      name: 'InvalidArgument',
      message: expect.stringMatching(/mocks\.json was not saved: rule \[0\]: 'status' must be an integer/),
    });
    expect(await fs.readFile(path.join(fnDir, 'mocks.json'), 'utf8')).toBe('[]\n');
    await expect(mocks.set('nope', '[]')).rejects.toMatchObject({ name: 'NotFound' });
    await expect(mocks.set('fn', 42 as unknown as string)).rejects.toMatchObject({ name: 'InvalidArgument', message: /mocks\.set: argument 2 \(json\) must be a string/ });
  });

  it('shows a broken file with its problems instead of hiding it', async () => {
    await fs.writeFile(path.join(fnDir, 'mocks.json'), '[{"url": "https://a.test/*"}, {"url": 5}]');
    const read = await readFunctionMocks(fnDir);
    expect(read.exists).toBe(true);
    expect(read.json).toBe('[{"url": "https://a.test/*"}, {"url": 5}]');
    expect(read.problems).toEqual([{ ruleIndex: 1, message: expect.stringMatching(/^rule \[1\]: 'url' must be a non-empty string/) }]);
    expect(await createMocksService(folder).check('[{"url": 5}]')).toEqual([{ ruleIndex: 0, message: expect.stringMatching(/^rule \[0\]/) }]);
  });

  it('gives runs no rules without a file and refuses to run with a broken one', async () => {
    expect(await rulesForRun(fnDir, 'fn')).toEqual([]);
    await fs.writeFile(path.join(fnDir, 'mocks.json'), '[{"url": "nowhere"}]');
    await expect(rulesForRun(fnDir, 'fn')).rejects.toMatchObject({ name: 'InvalidArgument', message: /fn\/mocks\.json has problems, so the run did not start: rule \[0\]/ });
  });
});
