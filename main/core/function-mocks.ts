/**
 * A function's own mock rules: `<folder>/mocks.json`, the rules-file format of
 * `fnstudio run --mock` (checked by mock-rules.ts). The studio's runs use it, the Mocks
 * panel edits it. A broken file is reported rule by rule and never overwritten silently.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { MocksService } from '../contract/api';
import { FnStudioError } from '../contract/errors';
import type { FunctionMocks, MockRule, MockRuleProblem } from '../contract/mock';
import { METHODS } from '../contract/methods';
import { writeFileAtomic } from './atomic-write';
import { JsonFileError, parseJsonText } from './json-file';
import { MOCKS_FILE, MockRulesError, validateMockRules } from './mock-rules';

/** Where a function's folder is; rejects NotFound for an unknown function. */
export type FunctionFolder = (functionId: string) => Promise<string>;

/**
 * Every problem of rules-file text: one for the file when it is not a JSON array,
 * otherwise one per bad rule (not only the first), each naming its index.
 */
export function mockRulesProblems(json: string, source = MOCKS_FILE): { rules: MockRule[]; problems: MockRuleProblem[] } {
  let value: unknown;
  try {
    value = parseJsonText(json, source);
  } catch (err) {
    if (err instanceof JsonFileError) {
      return { rules: [], problems: [{ ruleIndex: null, message: err.message, line: err.line, column: err.column }] };
    }
    throw err;
  }
  if (!Array.isArray(value)) return { rules: [], problems: [problemOf(() => validateMockRules(value))] };
  const rules: MockRule[] = [];
  const problems: MockRuleProblem[] = [];
  value.forEach((rule: unknown, index) => {
    try {
      rules.push(validateMockRules([rule])[0]);
    } catch (err) {
      if (!(err instanceof MockRulesError)) throw err;
      problems.push({ ruleIndex: index, message: err.message.replace(/^rule \[0\]/, `rule [${index}]`) });
    }
  });
  return problems.length > 0 ? { rules: [], problems } : { rules, problems };
}

function problemOf(check: () => unknown): MockRuleProblem {
  try {
    check();
  } catch (err) {
    if (err instanceof MockRulesError) return { ruleIndex: err.ruleIndex, message: err.message };
    throw err;
  }
  throw new Error('expected a problem');
}

/** Reads a function's mocks.json: `exists: false` when there is none. */
export async function readFunctionMocks(dir: string): Promise<FunctionMocks> {
  let json: string;
  try {
    json = await fs.readFile(path.join(dir, MOCKS_FILE), 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { exists: false, json: '', rules: [], problems: [] };
    if (code === 'EISDIR') return { exists: true, json: '', rules: [], problems: [{ ruleIndex: null, message: `${MOCKS_FILE} is a folder, expected a JSON file` }] };
    throw err;
  }
  return { exists: true, json, ...mockRulesProblems(json) };
}

/**
 * The rules a run uses: none without a mocks.json; InvalidArgument (naming the file and
 * the rule) when it is broken, because running with half the rules would reach the network.
 */
export async function rulesForRun(dir: string, functionId: string): Promise<MockRule[]> {
  const mocks = await readFunctionMocks(dir);
  if (mocks.problems.length === 0) return mocks.rules;
  const list = mocks.problems.map((p) => p.message).join('; ');
  throw new FnStudioError('InvalidArgument', `${functionId}/${MOCKS_FILE} has problems, so the run did not start: ${list}`);
}

export function createMocksService(functionFolder: FunctionFolder): MocksService {
  return {
    async get(functionId) {
      METHODS['mocks.get']([functionId]);
      return readFunctionMocks(await functionFolder(functionId));
    },
    async check(json) {
      METHODS['mocks.check']([json]);
      return mockRulesProblems(json).problems;
    },
    async set(functionId, json) {
      METHODS['mocks.set']([functionId, json]);
      const dir = await functionFolder(functionId);
      const { problems } = mockRulesProblems(json);
      if (problems.length > 0) {
        throw new FnStudioError('InvalidArgument', `${MOCKS_FILE} was not saved: ${problems.map((p) => p.message).join('; ')}`);
      }
      // Saved as written: the user's order, formatting and omitted defaults stay theirs.
      await writeFileAtomic(path.join(dir, MOCKS_FILE), json.endsWith('\n') ? json : `${json}\n`);
      return readFunctionMocks(dir);
    },
  };
}
