/**
 * The contract's `tests.*` methods over a workspace: list and save a function's case
 * files, and run them through the shared runtime (as `fnstudio test` does).
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { TestsService } from '../../contract/api';
import { FnStudioError } from '../../contract/errors';
import { METHODS } from '../../contract/methods';
import { TEST_CASE_SUFFIX, TESTS_DIR, type TestCaseFile } from '../../contract/tests';
import type { Runtime } from '../../../runtime/api';
import { writeFileAtomic } from '../atomic-write';
import { KeychainUnavailableError, type SecretStore } from '../secrets/secret-store';
import { caseNameFromFile, parseTestCase } from './case-file';
import { listCaseFiles, runTests } from './test-runner';

export interface TestsServiceOptions {
  /** The function's folder; validates the id. */
  functionDir(id: string): string;
  runtime: Runtime;
  /** The keychain for encrypted settings; without it a case needing one is Invalid Settings. */
  secretStore?: SecretStore;
}

/** Reports the keychain as absent: encrypted settings then give Invalid Settings, as for a run. */
const NO_KEYCHAIN: SecretStore = {
  get: async () => {
    throw new KeychainUnavailableError('no keychain is connected to this studio');
  },
  set: async () => {
    throw new KeychainUnavailableError('no keychain is connected to this studio');
  },
  delete: async () => false,
  move: async () => false,
  available: async () => ({ available: false, problem: 'no keychain is connected to this studio' }),
};

export function createTestsService(options: TestsServiceOptions): TestsService {
  const existingDir = async (id: string): Promise<string> => {
    const dir = options.functionDir(id);
    const stat = await fs.stat(dir).catch(() => null);
    if (!stat?.isDirectory()) throw new FnStudioError('NotFound', `No function "${id}"`);
    return dir;
  };
  return {
    async list(functionId) {
      METHODS['tests.list']([functionId]);
      const dir = await existingDir(functionId);
      const files = await listCaseFiles(dir);
      const cases = await Promise.all(
        files.map(async (file): Promise<TestCaseFile | null> => {
          const json = await fs.readFile(path.join(dir, file), 'utf8').catch(() => null);
          if (json === null) return null;
          const parsed = parseTestCase(json, file);
          return { file, name: parsed.ok ? parsed.testCase.name : parsed.name, json };
        }),
      );
      return cases.filter((c): c is TestCaseFile => c !== null);
    },

    async run(req) {
      METHODS['tests.run']([req]);
      const dir = await existingDir(req.functionId);
      const [report] = await runTests([{ functionId: req.functionId, dir, code: req.code }], {
        runtime: options.runtime,
        secretStore: options.secretStore ?? NO_KEYCHAIN,
        files: req.files,
        updateSnapshots: req.updateSnapshots,
      });
      return report;
    },

    async save(functionId, name, json, overwrite) {
      METHODS['tests.save']([functionId, name, json, overwrite]);
      const dir = await existingDir(functionId);
      const file = `${TESTS_DIR}/${name}${TEST_CASE_SUFFIX}`;
      const parsed = parseTestCase(json, file);
      if (!parsed.ok) throw new FnStudioError('InvalidArgument', parsed.problem);
      const target = path.join(dir, TESTS_DIR, `${name}${TEST_CASE_SUFFIX}`);
      await fs.mkdir(path.join(dir, TESTS_DIR), { recursive: true });
      if (!overwrite && (await fs.stat(target).catch(() => null))) {
        throw new FnStudioError('AlreadyExists', `${functionId} already has a test case ${file}; choose another name`);
      }
      await writeFileAtomic(target, json.endsWith('\n') ? json : `${json}\n`);
      return { file, name: parsed.testCase.name ?? caseNameFromFile(file), json };
    },
  };
}
