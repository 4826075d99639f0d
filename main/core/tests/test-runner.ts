/**
 * Runs the saved test cases of one or more functions. Every case of every function goes
 * to ONE runtime in one `invokeMany` call (the worker pool spreads them over all cores),
 * so hundreds of cases cost about as much as hundreds of replayed events, not hundreds
 * of process starts.
 *
 * A case runs as a run from the app would, except for the network: settings are the
 * function's stored test values and keychain secrets, overridden by the case's
 * `settings`; requests are answered by the case's `mocks`, then the function's
 * `mocks.json`, and any other request fails as offline. Tests never reach the network.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { FunctionSetting } from '../../contract/function';
import type { MockRule, NetworkOptions } from '../../contract/mock';
import type { Outcome } from '../../contract/outcome';
import { TEST_CASE_SUFFIX, TESTS_DIR, type FunctionTestReport, type TestCaseResult, type TestMismatch } from '../../contract/tests';
import type { InvokeRequest, Runtime } from '../../../runtime/api';
import { META_FILE, parseMeta } from '../function-meta';
import { MOCKS_FILE, MockRulesError, readMockRulesFile } from '../mock-rules';
import { JsonFileError } from '../json-file';
import { createRedactor } from '../redact';
import type { SecretStore } from '../secrets/secret-store';
import { InvalidSettingsError, invalidSettingsOutcome, resolveSettings } from '../settings/resolve';
import { caseNameFromFile, parseTestCase, type TestCase } from './case-file';
import { matchOutcome } from './expect-match';
import { BOTH_HANDLERS_PROBLEM, handlerFileIn } from '../handler-file';
import { compileTypeScriptHandler, isTypeScriptHandler, mapOutcomeToSource, TypeScriptCompileError, type CompiledHandler } from '../typescript-handler';
import { compareSnapshot, readSnapshot, snapshotFileFor, snapshotOf, writeSnapshot } from './snapshot';

export const HANDLER_FILE = 'handler.js';
const DEFAULT_TEST_TIMEOUT_MS = 5000;

export interface TestTarget {
  /** The folder's name: the id its keychain entries and warm runtime instance go by. */
  functionId: string;
  /** The function folder. */
  dir: string;
  /** Code to test instead of handler.js on disk (the app's unsaved editor buffer). */
  code?: string;
}

export interface RunTestsOptions {
  runtime: Runtime;
  secretStore: SecretStore;
  /** Only cases whose name or file contains this text (case-insensitive). */
  filter?: string;
  /** Only these case files (relative to the folder, e.g. `tests/a.test.json`). */
  files?: readonly string[];
  /** Re-record the snapshots of `"snapshot": true` cases instead of comparing. */
  updateSnapshots?: boolean;
  timeoutMs?: number;
  /**
   * Refuse loopback and private addresses in every function's cases (`--strict-network`);
   * a function whose function.json says "strictNetwork": true gets that anyway.
   */
  strictNetwork?: boolean;
  signal?: AbortSignal;
  now?: () => number;
}

/** One case ready to run, or already decided (malformed, or refused for its settings). */
interface Planned {
  target: number;
  file: string;
  name: string;
  testCase?: TestCase;
  request?: InvokeRequest;
  secrets: string[];
  /** Decided without running: a malformed case or an Invalid Settings outcome. */
  decided?: { malformed?: string; outcome?: Outcome };
  /** A handler.ts's compiled form: its outcome is mapped back to the TypeScript lines. */
  compiled?: CompiledHandler;
}

/** Every case file of a function folder, relative paths, sorted. */
export async function listCaseFiles(dir: string): Promise<string[]> {
  let names: string[];
  try {
    names = await fs.readdir(path.join(dir, TESTS_DIR));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return [];
    throw err;
  }
  return names
    .filter((n) => n.endsWith(TEST_CASE_SUFFIX) && !n.startsWith('.'))
    .sort((a, b) => a.localeCompare(b))
    .map((n) => `${TESTS_DIR}/${n}`);
}

export async function runTests(targets: readonly TestTarget[], options: RunTestsOptions): Promise<FunctionTestReport[]> {
  const now = options.now ?? (() => performance.now());
  const started = now();
  const plans = await Promise.all(targets.map((t, i) => planFunction(t, i, options)));
  const planned = plans.flat();

  const toRun = planned.filter((p) => p.request !== undefined);
  let outcomes: Outcome[] = [];
  if (toRun.length > 0) {
    const requests = toRun.map((p) => p.request as InvokeRequest);
    outcomes = options.runtime.invokeMany
      ? await options.runtime.invokeMany(requests, options.signal)
      : await Promise.all(requests.map((r) => options.runtime.invoke(r, options.signal)));
  }
  const outcomeOf = new Map<Planned, Outcome>(toRun.map((p, i) => [p, outcomes[i]]));

  const results = await Promise.all(planned.map((p) => judge(p, outcomeOf.get(p), targets[p.target], options)));
  const elapsed = now() - started;
  return targets.map((target, i) => {
    const cases = results.filter((_, k) => planned[k].target === i);
    const passed = cases.filter((c) => c.status === 'passed').length;
    return { functionId: target.functionId, dir: path.resolve(target.dir), cases, passed, failed: cases.length - passed, durationMs: elapsed };
  });
}

async function planFunction(target: TestTarget, index: number, options: RunTestsOptions): Promise<Planned[]> {
  // `where` (handler.js, function.json, mocks.json) stands in for the cases when there are none.
  const failAll = (files: string[], where: string, problem: string): Planned[] =>
    (files.length > 0 ? files : [where]).map((file) => ({
      target: index,
      file,
      name: caseNameFromFile(file),
      secrets: [],
      decided: { malformed: files.length > 0 ? `not run: ${problem}` : problem },
    }));

  let files = await listCaseFiles(target.dir);
  const filter = options.filter?.toLowerCase();
  if (options.files) {
    const wanted = new Set(options.files);
    files = files.filter((f) => wanted.has(f));
  }

  // The function as a whole: code, settings schema and mock rules. A problem here fails
  // each of its cases with that problem rather than hiding them.
  let code = target.code;
  const found = await handlerFileIn(target.dir);
  if (found === 'both') return failAll(await filtered(files), HANDLER_FILE, `the folder ${BOTH_HANDLERS_PROBLEM}`);
  const filename = found ?? HANDLER_FILE;
  if (code === undefined) {
    try {
      code = await fs.readFile(path.join(target.dir, filename), 'utf8');
    } catch (err) {
      return failAll(await filtered(files), filename, `${filename}: cannot read it: ${(err as Error).message}`);
    }
  }
  let compiled: CompiledHandler | undefined;
  if (isTypeScriptHandler(filename)) {
    try {
      compiled = compileTypeScriptHandler(code, filename);
      code = compiled.js;
    } catch (err) {
      if (!(err instanceof TypeScriptCompileError)) throw err;
      return failAll(await filtered(files), filename, `cannot compile the TypeScript: ${err.message}`);
    }
  }
  let schema: FunctionSetting[] | null = null;
  let strict = options.strictNetwork === true;
  const metaText = await fs.readFile(path.join(target.dir, META_FILE), 'utf8').catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return null;
    throw err;
  });
  if (metaText !== null) {
    const read = parseMeta(metaText, new Date(0).toISOString());
    if (!read.ok) return failAll(await filtered(files), META_FILE, read.problem);
    schema = read.meta.settings;
    // As for the function's runs: its network policy travels with it in function.json.
    if (read.meta.strictNetwork === true) strict = true;
  }
  let fileMocks: MockRule[] = [];
  try {
    fileMocks = await readMockRulesFile(path.join(target.dir, MOCKS_FILE));
  } catch (err) {
    const missing = err instanceof JsonFileError && err.problem === 'missing';
    if (!missing) {
      if (err instanceof JsonFileError || err instanceof MockRulesError) {
        return failAll(await filtered(files), MOCKS_FILE, `${MOCKS_FILE}: ${err.message.replace(`${path.join(target.dir, MOCKS_FILE)}: `, '')}`);
      }
      throw err;
    }
  }

  // Cases without mocks or settings of their own share one network/settings object, so
  // the runtime sends them to its workers in chunks.
  const policy = strict ? { strict: true } : {};
  const sharedNetwork: NetworkOptions = { mockRules: fileMocks, offline: true, ...policy };
  const settingsCache = new Map<string, Promise<{ values: Record<string, unknown>; secrets: string[] } | InvalidSettingsError>>();
  const settingsFor = (overrides: Record<string, unknown> | null) => {
    const key = overrides === null ? '' : JSON.stringify(overrides);
    let cached = settingsCache.get(key);
    if (!cached) {
      cached = resolveSettings({
        functionDir: target.dir,
        functionId: target.functionId,
        schema,
        overrides: overrides ?? undefined,
        secretStore: options.secretStore,
      }).catch((err: unknown) => {
        if (err instanceof InvalidSettingsError) return err;
        throw err;
      });
      settingsCache.set(key, cached);
    }
    return cached;
  };

  async function filtered(all: string[]): Promise<string[]> {
    if (filter === undefined) return all;
    const kept: string[] = [];
    for (const file of all) {
      const text = await fs.readFile(path.join(target.dir, file), 'utf8').catch(() => '');
      const parsed = parseTestCase(text, file);
      const name = parsed.ok ? parsed.testCase.name : parsed.name;
      if (file.toLowerCase().includes(filter) || name.toLowerCase().includes(filter)) kept.push(file);
    }
    return kept;
  }

  const planned: Planned[] = [];
  for (const file of files) {
    let text: string;
    try {
      text = await fs.readFile(path.join(target.dir, file), 'utf8');
    } catch (err) {
      planned.push({ target: index, file, name: caseNameFromFile(file), secrets: [], decided: { malformed: `${file}: cannot read it: ${(err as Error).message}` } });
      continue;
    }
    const parsed = parseTestCase(text, file);
    const name = parsed.ok ? parsed.testCase.name : parsed.name;
    if (filter !== undefined && !file.toLowerCase().includes(filter) && !name.toLowerCase().includes(filter)) continue;
    if (!parsed.ok) {
      planned.push({ target: index, file, name, secrets: [], decided: { malformed: parsed.problem } });
      continue;
    }
    const testCase = parsed.testCase;
    const settings = await settingsFor(testCase.settings);
    if (settings instanceof InvalidSettingsError) {
      planned.push({ target: index, file, name, testCase, secrets: [], decided: { outcome: invalidSettingsOutcome(settings) } });
      continue;
    }
    planned.push({
      target: index,
      file,
      name,
      testCase,
      secrets: settings.secrets,
      compiled,
      request: {
        // Apart from the app's own runs: a test run must not inherit their top-level state.
        functionId: `${target.functionId}#tests`,
        code,
        filename,
        input: testCase.input,
        settings: settings.values,
        network: testCase.mocks.length === 0 ? sharedNetwork : { mockRules: [...testCase.mocks, ...fileMocks], offline: true, ...policy },
        timeoutMs: options.timeoutMs ?? DEFAULT_TEST_TIMEOUT_MS,
      },
    });
  }
  return planned;
}

async function judge(p: Planned, ran: Outcome | undefined, target: TestTarget, options: RunTestsOptions): Promise<TestCaseResult> {
  if (p.decided?.malformed !== undefined) {
    return { file: p.file, name: p.name, status: 'failed', malformed: p.decided.malformed, mismatches: [], outcome: null, durationMs: 0 };
  }
  const testCase = p.testCase as TestCase;
  const reported = ran ?? p.decided?.outcome;
  if (reported === undefined) throw new Error(`test runner: ${p.file} has neither an outcome nor a problem`);
  const raw = p.compiled && p.request ? mapOutcomeToSource(reported, p.compiled, p.request.filename) : reported;
  // Matching sees the real values; everything reported or recorded is masked.
  const mismatches = matchOutcome(testCase.expect, raw);
  const redactor = createRedactor(p.secrets);
  const outcome = redactor.value(raw);
  const result: TestCaseResult = { file: p.file, name: p.name, status: 'passed', mismatches: redactor.value(mismatches), outcome, durationMs: raw.durationMs };

  if (testCase.snapshot) {
    const relative = snapshotFileFor(p.file);
    const file = path.join(target.dir, relative);
    const actual = snapshotOf(outcome);
    const stored = options.updateSnapshots ? ({ kind: 'missing' } as const) : await readSnapshot(file, relative);
    if (stored.kind === 'broken') {
      result.mismatches.push({ path: 'snapshot', message: stored.problem });
      result.snapshot = 'differs';
    } else if (stored.kind === 'missing') {
      const existed = options.updateSnapshots ? await fs.access(file).then(() => true, () => false) : false;
      await writeSnapshot(file, actual);
      result.snapshot = existed ? 'updated' : 'written';
    } else {
      const diff: TestMismatch[] = compareSnapshot(stored.snapshot, actual);
      result.snapshot = diff.length === 0 ? 'matched' : 'differs';
      result.mismatches.push(...diff);
    }
  }
  result.status = result.mismatches.length === 0 ? 'passed' : 'failed';
  return result;
}
