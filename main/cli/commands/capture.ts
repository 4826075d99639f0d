/**
 * `fnstudio capture`: a local endpoint speaking Segment's HTTP Tracking API that records
 * what a Segment library sends as NDJSON (for `fnstudio replay`), optionally running each
 * event through a function as it arrives.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { MockRule } from '../../contract/mock';
import type { Outcome } from '../../contract/outcome';
import type { Runtime } from '../../../runtime/api';
import { MOCKS_FILE } from '../../core/mock-rules';
import { describeEvent, PortInUseError, startCaptureSession, type CaptureFunction, type CaptureSession, type CaptureStats, type RejectedMessage, type RequestInfo } from '../../core/capture';
import { readMockRulesFile } from '../../core/mock-rules';
import { formatOptions, parseArgs, parseIntegerOption, type OptionSpec } from '../args';
import { EXIT_NOT_SUCCESS, EXIT_SUCCESS, InputError, UsageError } from '../cli-error';
import { loadFunctionTarget } from '../function-target';
import { palette, wantsColor, type Palette } from '../render-outcome';
import { startRuntime } from '../runtime-host';
import { InvalidSettingsError, invalidSettingsOutcome, resolveSettings } from '../settings';
import { DEFAULT_MEMORY_MB, DEFAULT_TIMEOUT_MS } from './run';

const COMMAND = 'fnstudio capture';
const DEFAULT_CAPTURE_PORT = 8788;
const DEFAULT_OUT = 'events.ndjson';

const OPTIONS: readonly OptionSpec[] = [
  { name: 'port', value: '<N>', help: `port on 127.0.0.1 to listen on (default ${DEFAULT_CAPTURE_PORT}; 0 picks a free one)` },
  { name: 'out', value: '<file.ndjson>', help: `file the events are appended to, one JSON object per line (default ${DEFAULT_OUT})` },
  { name: 'function', value: '<folder>', help: "run each event through this function as it arrives and print its outcome (its mocks.json answers requests; every other request is blocked as offline)" },
  { name: 'write-key', value: '<key>', help: 'accept only this write key (others get 401); by default any non-empty key is accepted, as Segment does' },
  { name: 'strict-network', help: 'with --function: also refuse requests to loopback and private addresses (as "strictNetwork": true in its function.json does)' },
  { name: 'timeout', value: '<ms>', help: `time limit per invocation with --function (default ${DEFAULT_TIMEOUT_MS})` },
  { name: 'help', short: 'h', help: 'show this help' },
];

const HELP = `Usage: fnstudio capture [--port N] [--out events.ndjson] [--function <folder>] [options]

Starts a local endpoint on 127.0.0.1 that speaks Segment's HTTP Tracking API, so an app
using any Segment library (analytics-node, analytics.js, the mobile libraries, plain HTTP)
can send to it instead of Segment, and records each event exactly as Segment would deliver
it to a destination function: one JSON object per line, appended and written before the
request is answered (safe to tail -f; ready for 'fnstudio replay').

Endpoints: POST /v1/track, /v1/identify, /v1/page, /v1/screen, /v1/group, /v1/alias and
/v1/batch. The write key comes by Basic auth (the key as user name, empty password) or as
"writeKey" in the body. As on Segment: at most 32 KB per call and per event of a batch and
500 KB per batch request (400 "Exceed payload limit"), invalid JSON and a missing write key
get 400, every event needs a userId or anonymousId and a track call an event name.
messageId, receivedAt, sentAt, originalTimestamp and timestamp are filled as Segment does
(timestamp = receivedAt - (sentAt - originalTimestamp)); a batch's context and integrations
are merged into each of its events.

Options:
${formatOptions(OPTIONS)}

Point your app at it, e.g. with analytics-node:
  new Analytics({ writeKey: 'any', host: 'http://127.0.0.1:${DEFAULT_CAPTURE_PORT}' })
with analytics.js: the 'Segment.io' integration's settings
  { apiHost: '127.0.0.1:${DEFAULT_CAPTURE_PORT}/v1', protocol: 'http' }
or with curl:
  curl -u KEY: -H 'content-type: application/json' http://127.0.0.1:${DEFAULT_CAPTURE_PORT}/v1/track \\
       -d '{"userId": "u1", "event": "Signed Up"}'

With --function, each event also runs through the function (settings from its
settings.local.json and the OS keychain, as 'fnstudio run' does; secrets masked) and one
line per event shows the outcome. Ctrl+C stops and prints a summary.

Exit status: 0 after Ctrl+C; 1 if the endpoint cannot start (port in use); 2 bad usage.

Examples:
  fnstudio capture
  fnstudio capture --port 9000 --out captures/checkout.ndjson --function ./my-function
`;

export interface CaptureIo {
  stdout?: NodeJS.WritableStream & { isTTY?: boolean };
  stderr?: NodeJS.WritableStream;
  /** Stops the capture (tests); SIGINT and SIGTERM always do. */
  signal?: AbortSignal;
}

export async function captureCommand(argv: string[], io: CaptureIo = {}): Promise<number> {
  const stdout = io.stdout ?? process.stdout;
  const stderr = io.stderr ?? process.stderr;
  const args = parseArgs(argv, OPTIONS, COMMAND);
  if (args.flags.has('help')) {
    stdout.write(HELP);
    return EXIT_SUCCESS;
  }
  if (args.positionals.length > 0) {
    throw new UsageError(`unexpected argument '${args.positionals[0]}' (give the function with --function <folder>)`, COMMAND);
  }
  const portRaw = args.values.get('port');
  const port = portRaw === undefined ? DEFAULT_CAPTURE_PORT : parsePort(portRaw);
  const timeoutRaw = args.values.get('timeout');
  const timeoutMs = timeoutRaw === undefined ? DEFAULT_TIMEOUT_MS : parseIntegerOption(timeoutRaw, 'timeout', 'ms', 1, 2_147_483_647, COMMAND);
  const outFile = args.values.get('out') ?? DEFAULT_OUT;
  await checkOutFile(outFile);
  const functionArg = args.values.get('function');
  if (functionArg === undefined && args.flags.has('strict-network')) throw new UsageError('--strict-network applies to the function run with --function; give one', COMMAND);
  const fn = functionArg === undefined ? null : await loadCaptureFunction(functionArg, timeoutMs, args.flags.has('strict-network'));
  const colors = palette(wantsColor(stdout, process.env));

  const runtime: Runtime | null = fn ? startRuntime({ workers: 1 }) : null;
  let session: CaptureSession;
  try {
    session = await startCaptureSession({
      port,
      writeKey: args.values.get('write-key') ?? null,
      outFile,
      run: fn && runtime ? { runtime, fn: fn.capture } : undefined,
      listener: {
        captured: fn ? undefined : (event) => stdout.write(`${stamp(colors)}${describeEvent(event)}  ${colors.dim('recorded')}\n`),
        outcome: (event, outcome) => stdout.write(`${stamp(colors)}${describeEvent(event)}  ${outcomeLine(outcome, colors)}\n`),
        rejected: (rejected, info) => {
          for (const r of rejected) stdout.write(`${stamp(colors)}${rejectedLine(r, info, colors)}\n`);
        },
      },
    });
  } catch (err) {
    await runtime?.close();
    if (err instanceof PortInUseError) {
      stderr.write(`${COMMAND}: ${err.message}: choose another with --port (0 picks a free one)\n`);
      return EXIT_NOT_SUCCESS;
    }
    throw err;
  }

  stdout.write(`fnstudio capture: listening on ${session.url} (Segment's HTTP Tracking API: /v1/track … /v1/batch)\n`);
  stdout.write(`  recording to ${outFile} (appending)\n`);
  if (fn) {
    stdout.write(`  running each event through ${fn.label}; ${fn.mocksNote}; every other request is blocked (offline)\n`);
    if (fn.capture.refusedOutcome) stdout.write(`  ${colors.yellow('warning')}: ${fn.capture.refusedOutcome.error?.message ?? 'invalid settings'}: every event will be Invalid Settings\n`);
  }
  stdout.write(`  point a Segment library's host at ${session.url}; Ctrl+C stops\n`);

  await waitForStop(io.signal);
  const stats = await session.stop();
  await runtime?.close();
  stdout.write(summary(stats, outFile) + '\n');
  return EXIT_SUCCESS;
}

function parsePort(raw: string): number {
  const n = /^\d+$/.test(raw.trim()) ? Number(raw.trim()) : NaN;
  if (!(n >= 0 && n <= 65_535)) throw new UsageError(`option '--port' must be a port number from 0 to 65535, got '${raw}'`, COMMAND);
  return n;
}

interface LoadedFunction {
  capture: CaptureFunction;
  label: string;
  mocksNote: string;
}

async function loadCaptureFunction(target: string, timeoutMs: number, strictFlag: boolean): Promise<LoadedFunction> {
  const loaded = await loadFunctionTarget(target);
  let mockRules: MockRule[] = [];
  let mocksNote = 'no mocks.json';
  if (loaded.functionDir !== null) {
    const mocksFile = path.join(loaded.functionDir, MOCKS_FILE);
    if (await exists(mocksFile)) {
      mockRules = await readMockRulesFile(mocksFile);
      mocksNote = `${mockRules.length} mock rule${mockRules.length === 1 ? '' : 's'} from ${MOCKS_FILE}`;
    }
  }
  const capture: CaptureFunction = {
    functionId: loaded.functionId,
    code: loaded.code,
    filename: loaded.filename,
    compiled: loaded.compiled,
    settings: {},
    secrets: [],
    mockRules,
    timeoutMs,
    memoryMb: DEFAULT_MEMORY_MB,
    strictNetwork: strictFlag || loaded.strictNetwork,
  };
  try {
    const settings = await resolveSettings({ functionDir: loaded.functionDir, functionId: loaded.functionId, schema: loaded.schema, settingsFile: null });
    capture.settings = settings.values;
    capture.secrets = settings.secrets;
  } catch (err) {
    if (!(err instanceof InvalidSettingsError)) throw err;
    capture.refusedOutcome = invalidSettingsOutcome(err);
  }
  const policy = capture.strictNetwork ? '; loopback and private addresses refused (strict network)' : '';
  return { capture, label: target, mocksNote: mocksNote + policy };
}

async function exists(file: string): Promise<boolean> {
  try {
    await fs.access(file);
    return true;
  } catch {
    return false;
  }
}

/** A recording we cannot append to is bad input, said before anything listens. */
async function checkOutFile(file: string): Promise<void> {
  try {
    const stat = await fs.stat(file);
    if (!stat.isFile()) throw new InputError(`${file}: --out must name a file (this is a folder)`);
    await fs.access(file, fs.constants.W_OK);
  } catch (err) {
    if (err instanceof InputError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return;
    throw new InputError(`${file}: cannot append to it: ${(err as Error).message}`);
  }
}

function stamp(p: Palette): string {
  return p.dim(new Date().toTimeString().slice(0, 8)) + '  ';
}

/** `→ Success · 3 ms · 1 request` or `→ Bad Request: TypeError: … (handler.js:3) · 2 ms`. */
function outcomeLine(outcome: Outcome, p: Palette): string {
  const color = outcome.outcome === 'Success' ? p.green : outcome.outcome === 'Retry' || outcome.outcome === 'Timeout' ? p.yellow : p.red;
  let text = `→ ${color(outcome.outcome)}`;
  if (outcome.error && outcome.outcome !== 'Success') {
    const frame = outcome.error.frames[0];
    const where = frame ? ` (line ${frame.line})` : '';
    text += `: ${oneLine(`${outcome.error.name}: ${outcome.error.message}`)}${where}`;
  }
  const parts = [text, `${Math.round(outcome.durationMs)} ms`];
  if (outcome.requests.length > 0) parts.push(`${outcome.requests.length} request${outcome.requests.length === 1 ? '' : 's'}`);
  return parts.join(' · ');
}

function rejectedLine(r: RejectedMessage, info: RequestInfo, p: Palette): string {
  const which = r.index === null ? '' : ` batch[${r.index}]`;
  return `${p.red('refused')} ${info.path}${which} (${info.status}): ${oneLine(r.reason)}`;
}

function oneLine(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 200 ? flat.slice(0, 199) + '…' : flat;
}

function summary(stats: CaptureStats, outFile: string): string {
  let text = `fnstudio capture: stopped; ${stats.captured} event${stats.captured === 1 ? '' : 's'} recorded to ${outFile}`;
  if (stats.rejected > 0) text += `, ${stats.rejected} refused`;
  const outcomes = Object.entries(stats.outcomes);
  if (outcomes.length > 0) text += `; outcomes: ${outcomes.map(([k, n]) => `${k} ${n}`).join(', ')}`;
  return text;
}

function waitForStop(signal: AbortSignal | undefined): Promise<void> {
  return new Promise<void>((resolve) => {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      signal?.removeEventListener('abort', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
    if (signal?.aborted) stop();
    signal?.addEventListener('abort', stop);
  });
}
