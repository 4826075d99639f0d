/**
 * The method table: every "<service>.<method>" with its argument checks. Hosts validate
 * every incoming call against it before calling core, so core never sees a wrongly
 * shaped argument from the renderer.
 */
import type { MethodName } from './api';
import { ContractError, FnStudioError } from './errors';
import { SETTING_TYPES, THEMES } from './function';
import { eventNameProblem, functionIdProblem, settingNameProblem } from './ids';
import { MAX_RPC_MESSAGE_BYTES } from './transport';
import { MAX_REPLAY_UPLOAD_BYTES, REPLAY_UPLOAD_CHUNK_BYTES } from './replay';
import {
  all,
  anyJsonContainer,
  arrayOf,
  bool,
  finiteNumber,
  from,
  int,
  isPlainObject,
  nullable,
  oneOf,
  recordOf,
  shape,
  str,
  type Check,
} from './checks';

export interface ArgSpec {
  name: string;
  check: Check;
  optional?: boolean;
}

export type ArgsValidator = (args: unknown[]) => void;

/** Handler code may be large (inlined data tables) but not unbounded. */
const MAX_CODE_LENGTH = 5 * 1024 * 1024;
const MAX_EVENT_JSON_LENGTH = 5 * 1024 * 1024;
const MAX_TIMEOUT_MS = 10 * 60 * 1000;
const MAX_MEMORY_MB = 4096;
/** A mocks.json with large canned bodies is fine; an unbounded one is not. */
const MAX_MOCKS_JSON_LENGTH = 5 * 1024 * 1024;

const functionId = from(functionIdProblem);
const eventName = from(eventNameProblem);
/** Shared with core's function.json reader so files on disk obey the same rules as calls. */
export const displayNameCheck = str({ min: 1, max: 100, pattern: /^[^\u0000-\u001f\u007f]*\S[^\u0000-\u001f\u007f]*$/, patternHint: 'a visible name without control characters' });

const functionSettingCheck = shape({
  name: from(settingNameProblem),
  label: str({ min: 1, max: 200 }),
  description: str({ max: 2000 }),
  type: oneOf(SETTING_TYPES),
  required: bool,
  sensitive: bool,
});

const uniqueSettingNames: Check = (value) => {
  const seen = new Set<string>();
  for (const s of value as Array<{ name: string }>) {
    if (seen.has(s.name)) return `has two settings named "${s.name}"`;
    seen.add(s.name);
  }
  return null;
};

export const descriptionCheck = str({ max: 2000 });
export const settingsListCheck = all(arrayOf(functionSettingCheck, { max: 200 }), uniqueSettingNames);

const metaPatch = shape({}, {
  displayName: displayNameCheck,
  description: descriptionCheck,
  settings: settingsListCheck,
  strictNetwork: bool,
});

const headerMap = recordOf(str({ max: 8192 }));

const mockRule = shape(
  { url: str({ min: 1, max: 2048 }) },
  {
    method: str({ min: 1, max: 16 }),
    status: int(100, 599),
    headers: headerMap,
    body: () => null,
    delayMs: int(0, MAX_TIMEOUT_MS),
  },
);

const networkOptions = shape({ mockRules: arrayOf(mockRule, { max: 1000 }), offline: bool }, { strict: bool });

const runRequest = shape(
  {
    runId: str({ min: 1, max: 200 }),
    functionId,
    code: str({ max: MAX_CODE_LENGTH }),
    input: anyJsonContainer,
  },
  {
    network: networkOptions,
    offline: bool,
    eventLabel: str({ max: 200 }),
    timeoutMs: int(1, MAX_TIMEOUT_MS),
    memoryMb: int(16, MAX_MEMORY_MB),
  },
);

const preferencesPatch = shape({}, {
  theme: oneOf(THEMES),
  workspacePath: str({ max: 4096 }),
  lastFunctionId: nullable(functionId),
  paneSizes: recordOf(finiteNumber, { maxKeys: 100 }),
  defaultTimeoutMs: int(1, MAX_TIMEOUT_MS),
});

const settingValue: Check = (value) => {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return null;
  if (Array.isArray(value)) return arrayOf(str())(value);
  if (isPlainObject(value)) return recordOf(str())(value);
  return 'must be a string, true/false, an array of strings, an object of strings, or null';
};

const jsonText: Check = (value) => {
  const problem = str({ max: MAX_EVENT_JSON_LENGTH })(value);
  if (problem) return problem;
  try {
    const parsed: unknown = JSON.parse(value as string);
    return typeof parsed === 'object' && parsed !== null ? null : 'must be JSON for an event object or an array of events';
  } catch (err) {
    return `is not valid JSON: ${(err as Error).message}`;
  }
};

const remoteName = str({ min: 1, max: 63, pattern: /^[A-Za-z0-9][A-Za-z0-9._-]*$/, patternHint: 'a remote name (letters, digits, ".", "_" or "-")' });
const versionId = str({ min: 1, max: 200, pattern: /^[A-Za-z0-9_-]+$/, patternHint: 'a version id' });
const conflictChoice: Check = (value) => {
  if (!isPlainObject(value)) return 'must be {keep:"mine"}, {take:"theirs"} or {merged:{code}}';
  if ('keep' in value) return shape({ keep: oneOf(['mine']) })(value);
  if ('take' in value) return shape({ take: oneOf(['theirs']) })(value);
  return shape({ merged: shape({ code: str({ max: MAX_CODE_LENGTH }) }, { settings: str({ max: MAX_CODE_LENGTH }) }) })(value);
};
// replay.* (issue 9): file contents from a browser drop are base64 and bounded.
const MAX_REPLAY_UPLOAD_BASE64 = MAX_RPC_MESSAGE_BYTES;
const replayRunId = str({ min: 1, max: 100, pattern: /^[A-Za-z0-9][A-Za-z0-9._-]*$/, patternHint: 'letters, digits, . _ -' });
const replayUploadId = str({ min: 1, max: 64, pattern: /^[a-f0-9]+$/, patternHint: 'an upload id from replay.uploadBegin' });
const replayInput: Check = (value) =>
  isPlainObject(value) && 'path' in value
    ? shape({ path: str({ min: 1, max: 4096 }) })(value)
    : isPlainObject(value) && 'upload' in value
      ? shape({ upload: replayUploadId })(value)
      : shape({ name: str({ min: 1, max: 255 }), contentBase64: str({ max: MAX_REPLAY_UPLOAD_BASE64 }) })(value);
// Chunks are checked again (base64, size, order) where they are written.
const replayChunkBase64 = str({ max: Math.ceil(REPLAY_UPLOAD_CHUNK_BYTES / 3) * 4 });
const replayFilter = shape(
  { if: str({ min: 1, max: 10_000 }), actions: arrayOf(() => null, { max: 20 }), enabled: bool },
  { id: str({ max: 200 }), title: str({ max: 500 }), description: str({ max: 2000 }) },
);
const replayFilters = arrayOf(replayFilter, { max: 500 });
const replayStart = shape(
  { functionId, runId: replayRunId, inputs: arrayOf(replayInput, { max: 1000 }) },
  {
    live: bool,
    ratePerSecond: nullable(int(1, 1_000_000)),
    retries: bool,
    concurrency: int(1, 100_000),
    batchSize: int(1, 400),
    filters: replayFilters,
    destinationName: str({ min: 1, max: 300 }),
    seed: int(0, 4_294_967_295),
  },
);
const replayCategory = oneOf(['Success', 'Bad Request', 'Invalid Settings', 'Message Rejected', 'Unsupported Event Type', 'Retry', 'Timeout', 'Dropped', 'Filtered'] as const);
const replayQuery = shape({ offset: int(0, 1_000_000_000), limit: int(1, 1000) }, { category: replayCategory, type: str({ max: 100 }), error: str({ max: 1000 }) });

const SPECS: Record<MethodName, ArgSpec[]> = {
  'functions.list': [],
  'functions.get': [{ name: 'id', check: functionId }],
  'functions.create': [{
    name: 'input',
    check: shape({ displayName: displayNameCheck, templateId: str({ min: 1, max: 100, pattern: /^[a-z0-9-]+$/, patternHint: 'a template id such as "default"' }) }),
  }],
  'functions.saveCode': [
    { name: 'id', check: functionId },
    { name: 'code', check: str({ max: MAX_CODE_LENGTH }) },
    { name: 'expectedVersion', check: str({ min: 1, max: 200 }), optional: true },
  ],
  'functions.updateMeta': [{ name: 'id', check: functionId }, { name: 'patch', check: metaPatch }],
  'functions.delete': [{ name: 'id', check: functionId }],
  'functions.listEvents': [{ name: 'id', check: functionId }],
  'functions.saveEvent': [
    { name: 'id', check: functionId },
    { name: 'name', check: eventName },
    { name: 'json', check: jsonText },
  ],
  'functions.deleteEvent': [{ name: 'id', check: functionId }, { name: 'name', check: eventName }],
  'templates.list': [],
  'samples.list': [],
  'runner.run': [{ name: 'req', check: runRequest }],
  'runner.cancel': [{ name: 'runId', check: str({ min: 1, max: 200 }) }],
  'preferences.get': [],
  'preferences.set': [{ name: 'patch', check: preferencesPatch }],
  'settings.getTestValues': [{ name: 'functionId', check: functionId }],
  'settings.setTestValue': [
    { name: 'functionId', check: functionId },
    { name: 'name', check: from(settingNameProblem) },
    { name: 'value', check: settingValue },
  ],
  'settings.revealSecret': [{ name: 'functionId', check: functionId }, { name: 'name', check: from(settingNameProblem) }],
  'workspace.info': [],
  'capture.start': [{
    name: 'req',
    check: shape({ port: int(0, 65535), functionId: nullable(functionId) }, { code: str({ max: MAX_CODE_LENGTH }) }),
  }],
  'capture.stop': [],
  'capture.status': [],
  // Mocks and run history (issue 12).
  'mocks.get': [{ name: 'functionId', check: functionId }],
  'mocks.check': [{ name: 'json', check: str({ max: MAX_MOCKS_JSON_LENGTH }) }],
  'mocks.set': [{ name: 'functionId', check: functionId }, { name: 'json', check: str({ max: MAX_MOCKS_JSON_LENGTH }) }],
  'history.list': [{ name: 'functionId', check: functionId }],
  'history.get': [{ name: 'functionId', check: functionId }, { name: 'runId', check: str({ min: 1, max: 100, pattern: /^[0-9a-z-]+$/, patternHint: 'a run id from history.list' }) }],
  'tests.list': [{ name: 'functionId', check: functionId }],
  'tests.run': [{
    name: 'req',
    check: shape({ functionId }, {
      code: str({ max: MAX_CODE_LENGTH }),
      files: arrayOf(str({ min: 1, max: 200, pattern: /^tests\/[^/\\]+\.test\.json$/, patternHint: 'a case file such as "tests/order.test.json"' }), { max: 10_000 }),
      updateSnapshots: bool,
    }),
  }],
  'tests.save': [
    { name: 'functionId', check: functionId },
    { name: 'name', check: eventName },
    { name: 'json', check: str({ max: MAX_EVENT_JSON_LENGTH }) },
    { name: 'overwrite', check: bool, optional: true },
  ],
  // ── remotes.* / sync.* (issue 8) ──
  'remotes.list': [],
  'remotes.add': [{
    name: 'input',
    check: shape(
      { name: str({ min: 1, max: 63, pattern: /^[A-Za-z0-9][A-Za-z0-9._-]*$/, patternHint: 'letters, digits, ".", "_" or "-"' }), token: str({ min: 1, max: 4096 }) },
      { region: oneOf(['us', 'eu']), apiUrl: str({ min: 1, max: 2048 }) },
    ),
  }],
  'remotes.remove': [{ name: 'name', check: remoteName }],
  'sync.listRemote': [{ name: 'remoteName', check: remoteName }],
  'sync.pull': [
    { name: 'remoteName', check: remoteName },
    { name: 'selection', check: (v) => (v === 'all' ? null : arrayOf(str({ min: 1, max: 200 }), { max: 1000 })(v)) },
  ],
  'sync.status': [],
  'sync.statusOf': [{ name: 'functionId', check: functionId }],
  'sync.previewPush': [{ name: 'functionId', check: functionId }, { name: 'remoteName', check: remoteName, optional: true }],
  'sync.push': [{ name: 'functionId', check: functionId }, { name: 'options', check: shape({ deploy: bool }, { remoteName: remoteName }) }],
  'sync.resolve': [{ name: 'functionId', check: functionId }, { name: 'choice', check: conflictChoice }],
  'sync.unlink': [{ name: 'functionId', check: functionId }],
  'sync.versions': [{ name: 'functionId', check: functionId }],
  'sync.versionCode': [{ name: 'functionId', check: functionId }, { name: 'versionId', check: versionId }],
  'sync.restore': [{ name: 'functionId', check: functionId }, { name: 'versionId', check: versionId }],
  'replay.start': [{ name: 'req', check: replayStart }],
  'replay.cancel': [{ name: 'runId', check: replayRunId }],
  'replay.list': [{ name: 'functionId', check: functionId }],
  'replay.summary': [{ name: 'functionId', check: functionId }, { name: 'runId', check: replayRunId }],
  'replay.events': [{ name: 'functionId', check: functionId }, { name: 'runId', check: replayRunId }, { name: 'query', check: replayQuery }],
  'replay.detail': [{ name: 'functionId', check: functionId }, { name: 'runId', check: replayRunId }, { name: 'seq', check: int(0, 1_000_000_000) }],
  'replay.delete': [{ name: 'functionId', check: functionId }, { name: 'runId', check: replayRunId }],
  'replay.getFilters': [{ name: 'functionId', check: functionId }],
  'replay.saveFilters': [{ name: 'functionId', check: functionId }, { name: 'filters', check: replayFilters }],
  'replay.uploadBegin': [{ name: 'name', check: str({ min: 1, max: 255 }) }, { name: 'size', check: int(0, MAX_REPLAY_UPLOAD_BYTES) }],
  'replay.uploadChunk': [{ name: 'uploadId', check: replayUploadId }, { name: 'offset', check: int(0, MAX_REPLAY_UPLOAD_BYTES) }, { name: 'dataBase64', check: replayChunkBase64 }],
  'replay.uploadDiscard': [{ name: 'uploadId', check: replayUploadId }],
};

function validatorFor(method: string, specs: ArgSpec[]): ArgsValidator {
  const maxArgs = specs.length;
  return (args) => {
    // Trailing undefineds are what a JS caller's omitted optional args look like.
    let count = args.length;
    while (count > 0 && args[count - 1] === undefined) count--;
    if (count > maxArgs) {
      throw new ContractError(method, null, `expects at most ${maxArgs} argument${maxArgs === 1 ? '' : 's'}, got ${count}`);
    }
    specs.forEach((spec, index) => {
      const value = args[index];
      if (value === undefined) {
        if (spec.optional) return;
        throw new ContractError(method, index, `(${spec.name}) is missing`);
      }
      const problem = spec.check(value);
      if (problem) throw new ContractError(method, index, `(${spec.name}) ${problem}`);
    });
  };
}

export const METHOD_NAMES = Object.keys(SPECS) as MethodName[];

/** Every method's argument validator; throws a ContractError naming method, argument and problem. */
export const METHODS: Readonly<Record<MethodName, ArgsValidator>> = Object.freeze(
  Object.fromEntries(METHOD_NAMES.map((m) => [m, validatorFor(m, SPECS[m])])) as Record<MethodName, ArgsValidator>,
);

function isMethodName(method: unknown): method is MethodName {
  return typeof method === 'string' && Object.prototype.hasOwnProperty.call(SPECS, method);
}

/** Checks method name and arguments of an incoming call; throws UnknownMethod or InvalidArgument. */
export function validateCall(method: unknown, args: unknown): asserts method is MethodName {
  if (!isMethodName(method)) {
    throw new FnStudioError('UnknownMethod', `Unknown method ${JSON.stringify(method)}; methods look like "functions.list"`);
  }
  if (!Array.isArray(args)) throw new ContractError(method, null, 'arguments must be an array');
  METHODS[method](args);
}
