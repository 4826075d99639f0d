/**
 * `fnstudio replay`: delivers captured events through a function as Segment's Event
 * Delivery would, and reports what was delivered, filtered, rejected, retried and why.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { DestinationFilter } from '../../contract/replay';
import type { MockRule } from '../../contract/mock';
import { readJsonFile } from '../../core/json-file';
import { MOCKS_FILE, readMockRulesFile } from '../../core/mock-rules';
import { DEFAULT_BATCH_SIZE, DEFAULT_CONCURRENCY, MAX_BATCH_SIZE, replay } from '../../core/replay/engine';
import { FILTERS_FILE, FiltersError, readFiltersFile } from '../../core/replay/filters';
import { ReplayInputError, resolveInputs } from '../../core/replay/input';
import { newRunId, RunRecordError, RunRecordWriter } from '../../core/replay/run-record';
import { formatOptions, parseArgs, parseIntegerOption, type OptionSpec, type ParsedArgs } from '../args';
import { EXIT_NOT_SUCCESS, EXIT_SUCCESS, InputError, UsageError } from '../cli-error';
import { loadFunctionTarget, META_FILE } from '../function-target';
import { palette, wantsColor } from '../render-outcome';
import { progressBar, progressLine, renderReplaySummary } from '../render-replay';
import { startRuntime } from '../runtime-host';
import { sourceMappedRuntime } from '../../core/replay/source-mapped-runtime';
import { runsCommand, type RunAction } from './replay-runs';
import { InvalidSettingsError, resolveSettings } from '../settings';

const COMMAND = 'fnstudio replay';
const PROGRESS_LINE_MS = 5000;

const OPTIONS: readonly OptionSpec[] = [
  { name: 'mock', value: '<rules.json>', help: `mock rules that answer outgoing requests (default: the folder's ${MOCKS_FILE}, if any)` },
  { name: 'live', help: 'send requests no mock rule answers to the real network (default: they fail as offline)' },
  { name: 'strict-network', help: "also refuse requests to loopback and private addresses (localhost, 10/8, 192.168/16, …), even when a mock rule would answer them, as a folder whose function.json has \"strictNetwork\": true does" },
  { name: 'rate', value: '<n>', help: 'at most n invocations per second (spare a real API with --live)' },
  { name: 'filters', value: '<filters.json>', help: `destination filters (Public API DestinationFilterV1 shape; default: the folder's ${FILTERS_FILE}, if any)` },
  { name: 'no-retries', help: 'do not retry Retry and Timeout outcomes (default: retried for 4 hours of simulated time)' },
  { name: 'concurrency', value: '<n>', help: `events in flight at once (default ${DEFAULT_CONCURRENCY})` },
  { name: 'batch-size', value: '<n>', help: `events per batch for an onBatch function (default ${DEFAULT_BATCH_SIZE}, at most ${MAX_BATCH_SIZE})` },
  { name: 'settings', value: '<file.json>', help: "settings object; overrides the folder's stored test values" },
  { name: 'destination-name', value: '<name>', help: 'the function\'s name in events\' integrations object, "<Display Name> (<Workspace Name>)" (default: the display name)' },
  { name: 'timeout', value: '<ms>', help: 'time limit per invocation (default 5000)' },
  { name: 'seed', value: '<n>', help: 'seed for sampling and retry jitter, to repeat a run exactly (default: random, shown in the summary)' },
  { name: 'out', value: '<dir>', help: "write the run record into a new folder under dir (default: the function folder's .fnstudio/replays/)" },
  { name: 'json', help: 'print one JSON object (the summary) instead of the table' },
  { name: 'list', help: "list the function's earlier runs (newest first) instead of replaying" },
  { name: 'show', value: '<run-id>', help: "show an earlier run's summary again" },
  { name: 'delete', value: '<run-id>', help: "delete an earlier run's record" },
  { name: 'help', short: 'h', help: 'show this help' },
];

const HELP = `Usage: fnstudio replay <function-folder | handler.js> <events file|folder|->... [options]
       fnstudio replay --list <function-folder> [--json]
       fnstudio replay --show <run-id> <function-folder> [--json]
       fnstudio replay --delete <run-id> <function-folder> [--json]

Delivers captured events through a destination function as Segment's Event Delivery would,
then shows how many were delivered, filtered, rejected, retried or given up, and why.

Input: NDJSON (one event a line), a JSON array, Segment batch payloads ({"batch": [...]},
one per line or one per file) or one event per file; each may be gzip-compressed (Segment's
archive exports are gzipped NDJSON). Give several files, a folder (every file in it), or -
for stdin. Lines that are not JSON, not an object, have no "type" or exceed 32 KB are
skipped, counted and listed with file and line.

Delivery, as on Segment:
  - an event whose integrations object disables the function (All: false without enabling
    it, or its name set to false) is Filtered; set the name with --destination-name
  - destination filters (--filters or the folder's ${FILTERS_FILE}) drop, sample or strip
    properties before the function runs
  - a function with onBatch gets batches (--batch-size); each event gets its item's outcome
  - Retry and Timeout outcomes (and 5xx batch items) are retried with randomized exponential
    backoff for 4 hours of simulated time: each retry is a real invocation, nothing waits
  - outgoing requests are answered by mock rules; others fail as offline unless --live

Options:
${formatOptions(OPTIONS)}

A record of the run (summary.json, outcomes.ndjson with one line per event, details.ndjson
with the full outcome of every failure and a few successes) is written under the function
folder's .fnstudio/replays/<run id>/ (git-ignored), or under --out. --list shows those
runs (id, start, events, delivered), --show prints one's summary again (the table, or the
--json object), --delete removes its folder; the app's Replay view reopens the same runs.
A record written with --out is a plain folder of yours: delete it as any other.

--json prints: {"total", "delivered", "filtered", "skipped": {"count", "byReason", "lines":
[{"file", "line", "reason", "detail"}]}, "byOutcome": {<category>: n}, "retried": {"delivered",
"gaveUp"}, "attempts", "durationMs", "eventsPerSecond", "latencyMs": {"p50", "p95", "p99"}, …}

Exit status:
  0  every event was delivered or filtered (and no line was skipped)
  1  any event failed, was given up or skipped, or the replay was interrupted (Ctrl+C)
  2  bad usage or bad input: a missing file, an invalid mock rule or filter

Examples:
  fnstudio replay ./my-function events.ndjson.gz
  fnstudio replay ./my-function exports/ --filters filters.json --json > report.json
  zcat events.gz | fnstudio replay handler.js - --no-retries --concurrency 100
  fnstudio replay --list ./my-function
  fnstudio replay --delete 20260105T101500Z-k3j9x2 ./my-function
`;

export async function replayCommand(argv: string[]): Promise<number> {
  const args = parseArgs(argv, OPTIONS, COMMAND);
  if (args.flags.has('help')) {
    process.stdout.write(HELP);
    return EXIT_SUCCESS;
  }
  const runAction = runActionOf(args);
  if (runAction !== null) return runsCommand(runAction, args.positionals, args.flags.has('json'), COMMAND);
  if (args.positionals.length === 0) throw new UsageError('missing the function: give a function folder or a handler .js file, then the events', COMMAND);
  if (args.positionals.length === 1) throw new UsageError('missing the events to replay: give one or more files, folders, or - for stdin', COMMAND);
  const int = (name: string, unit: string, min: number, max: number): number | undefined => {
    const raw = args.values.get(name);
    return raw === undefined ? undefined : parseIntegerOption(raw, name, unit, min, max, COMMAND);
  };
  const concurrency = int('concurrency', 'events', 1, 100_000) ?? DEFAULT_CONCURRENCY;
  const batchSize = int('batch-size', 'events', 1, MAX_BATCH_SIZE) ?? DEFAULT_BATCH_SIZE;
  const rate = int('rate', 'invocations per second', 1, 1_000_000) ?? null;
  const timeoutMs = int('timeout', 'ms', 1, 2_147_483_647);
  const seed = int('seed', '', 0, 4_294_967_295);
  const live = args.flags.has('live');

  const [targetArg, ...inputArgs] = args.positionals;
  const target = await loadFunctionTarget(targetArg);
  const folder = target.functionDir ?? path.dirname(targetArg);
  const sources = await bad(() => resolveInputs(inputArgs, process.stdin));

  const mockFile = args.values.get('mock') ?? defaultFile(target.functionDir, MOCKS_FILE);
  const mockRules: MockRule[] = mockFile === null ? [] : await readMockRulesFile(mockFile);
  const filtersFile = args.values.get('filters') ?? defaultFile(target.functionDir, FILTERS_FILE);
  const filters: DestinationFilter[] = filtersFile === null ? [] : await bad(() => readFiltersFile(filtersFile));
  const destinationName = args.values.get('destination-name') ?? (await displayName(target.functionDir, targetArg));

  let settings;
  try {
    settings = await resolveSettings({ functionDir: target.functionDir, functionId: target.functionId, schema: target.schema, settingsFile: args.values.get('settings') ?? null });
  } catch (err) {
    // Segment would end every event Invalid Settings without running it: say so once instead.
    if (err instanceof InvalidSettingsError) throw new InputError(`Invalid Settings: ${err.message} (every event would end Invalid Settings; nothing was replayed)`);
    throw err;
  }

  const runId = newRunId();
  const outArg = args.values.get('out');
  const recordDir = outArg === undefined ? await RunRecordWriter.pathFor(folder, runId) : path.join(outArg, runId);

  const json = args.flags.has('json');
  const tty = process.stderr.isTTY === true;
  let lastLine = 0;
  const controller = new AbortController();
  const onSigint = (): void => controller.abort();
  process.once('SIGINT', onSigint);
  const runtime = startRuntime({});
  let summary;
  try {
    summary = await bad(() =>
      replay({
        runtime: target.compiled ? sourceMappedRuntime(runtime, target.compiled, target.filename) : runtime,
        target: { functionId: target.functionId, code: target.code, filename: target.filename },
        sources,
        settings: settings.values,
        secrets: settings.secrets,
        mockRules,
        live,
        strictNetwork: target.strictNetwork || args.flags.has('strict-network'),
        ratePerSecond: rate,
        filters,
        destinationName,
        retries: !args.flags.has('no-retries'),
        concurrency,
        batchSize,
        timeoutMs,
        seed,
        recordDir,
        runId,
        signal: controller.signal,
        progressIntervalMs: tty ? 200 : 1000,
        onProgress: (p) => {
          if (tty) {
            process.stderr.write(`\r\u001b[2K${progressBar(p)}`);
          } else if (p.elapsedMs - lastLine >= PROGRESS_LINE_MS) {
            lastLine = p.elapsedMs;
            process.stderr.write(progressLine(p) + '\n');
          }
        },
      }),
    );
  } finally {
    process.removeListener('SIGINT', onSigint);
    if (tty) process.stderr.write('\r\u001b[2K');
    await runtime.close();
  }

  if (json) process.stdout.write(JSON.stringify({ ...summary, recordDir }, null, 2) + '\n');
  else process.stdout.write(renderReplaySummary(summary, recordDir, palette(wantsColor(process.stdout, process.env))));
  const allGood = !summary.cancelled && summary.skipped.count === 0 && summary.delivered + summary.filtered === summary.total;
  return allGood ? EXIT_SUCCESS : EXIT_NOT_SUCCESS;
}

/** --list, --show or --delete (one at most, with no replay option), or null for a replay. */
function runActionOf(args: ParsedArgs): RunAction | null {
  const given = (['list', 'show', 'delete'] as const).filter((name) => args.flags.has(name) || args.values.has(name));
  if (given.length === 0) return null;
  if (given.length > 1) throw new UsageError(`--${given[0]} and --${given[1]} cannot be combined: give one`, COMMAND);
  const [kind] = given;
  const other = [...args.flags, ...args.values.keys()].find((name) => name !== kind && name !== 'json');
  if (other !== undefined) throw new UsageError(`--${other} is an option of a replay; it does not go with --${kind}`, COMMAND);
  if (kind === 'list') return { kind };
  return { kind, runId: args.values.get(kind) as string };
}

/** Core's input problems become the CLI's bad-input errors (exit status 2). */
async function bad<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (err instanceof ReplayInputError || err instanceof FiltersError || err instanceof RunRecordError) throw new InputError(err.message);
    throw err;
  }
}

function defaultFile(functionDir: string | null, name: string): string | null {
  if (functionDir === null) return null;
  const file = path.join(functionDir, name);
  return existsSync(file) ? file : null;
}

async function displayName(functionDir: string | null, targetArg: string): Promise<string> {
  if (functionDir !== null && existsSync(path.join(functionDir, META_FILE))) {
    const meta = await readJsonFile(path.join(functionDir, META_FILE));
    const name = typeof meta === 'object' && meta !== null ? (meta as { displayName?: unknown }).displayName : undefined;
    if (typeof name === 'string' && name !== '') return name;
  }
  return path.basename(path.resolve(functionDir ?? targetArg)).replace(/\.js$/, '');
}
