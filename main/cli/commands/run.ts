/**
 * `fnstudio run`: runs a destination function once against an event (or a batch) in the
 * sandboxed runtime and prints the outcome.
 */
import path from 'node:path';
import type { MockRule } from '../../contract/mock';
import type { Outcome } from '../../contract/outcome';
import { mapOutcomeToSource } from '../../core/typescript-handler';
import type { InvokeRequest } from '../../../runtime/api';
import { readFunctionMocks } from '../../core/function-mocks';
import { MOCKS_FILE } from '../../core/mock-rules';
import { readMockRulesFile } from '../../core/mock-rules';
import { formatOptions, parseArgs, parseIntegerOption, type OptionSpec } from '../args';
import { EXIT_NOT_SUCCESS, EXIT_SUCCESS, InputError, UsageError } from '../cli-error';
import { readEventInput } from '../event-input';
import { loadFunctionTarget } from '../function-target';
import { jsonReport, palette, renderHuman, wantsColor } from '../render-outcome';
import { startRuntime } from '../runtime-host';
import { InvalidSettingsError, invalidSettingsOutcome, protectSecrets, resolveSettings } from '../settings';

const COMMAND = 'fnstudio run';

export const DEFAULT_TIMEOUT_MS = 5000;
export const DEFAULT_MEMORY_MB = 128;

const OPTIONS: readonly OptionSpec[] = [
  { name: 'event', value: '<file.json|->', help: 'the event to send: a JSON object, or an array of them (a batch for onBatch); - reads stdin (required)' },
  { name: 'settings', value: '<file.json>', help: "settings as a JSON object ({\"apiKey\": \"…\"}), the handler's settings argument; overrides a folder's stored test values" },
  { name: 'secret', value: '<name>', repeatable: true, help: 'mask this setting\'s value in everything printed, whatever its name (repeatable)' },
  { name: 'mock', value: '<rules.json>', help: 'mock rules that answer matching outgoing requests without the network' },
  { name: 'offline', help: 'block every outgoing request that no mock rule answers' },
  { name: 'strict-network', help: "also block requests to loopback and private addresses (localhost, 10/8, 192.168/16, …), which Segment's servers cannot reach" },
  { name: 'timeout', value: '<ms>', help: `time limit per invocation in milliseconds (default ${DEFAULT_TIMEOUT_MS}, as on Segment)` },
  { name: 'memory', value: '<mb>', help: `memory limit of the sandbox in MB (default ${DEFAULT_MEMORY_MB})` },
  { name: 'json', help: 'print exactly one JSON object (the outcome) instead of the report' },
  { name: 'help', short: 'h', help: 'show this help' },
];

const HELP = `Usage: fnstudio run <handler.js | function-folder> --event <file.json|-> [options]

Runs a Segment destination function once on this machine, in the same kind of sandbox Segment
uses (only Segment's globals: fetch, _, crypto, Buffer, console, …; a 5 s time limit), and
prints the outcome: the Event Delivery category Segment would show, the error with a stack
pointing at your lines, console logs, every outgoing request with its response, the
return value and the duration.

<handler.js>       a file with top-level handlers (async function onTrack(event, settings) {…});
                   a .ts file (or a folder's handler.ts) is compiled to JavaScript first
                   and the stack points at its TypeScript lines (types are not checked
                   here: use fnstudio check)
<function-folder>  a folder holding handler.js and function.json, as the studio keeps
                   them. Settings come from its settings.local.json (test values) and,
                   for encrypted settings, the OS keychain, then --settings; they are
                   checked against function.json's "settings" schema before running
                   (a missing required value is an Invalid Settings outcome). Encrypted
                   values are masked (••••) in everything printed. Its mocks.json rules
                   answer requests after those of --mock, and "strictNetwork": true in
                   function.json turns on --strict-network.

Options:
${formatOptions(OPTIONS)}

Secrets are masked (•••• and at most the last 4 characters) in logs, requests, errors,
the result and --json output. A setting's value is a secret when
  - function.json declares the setting encrypted ("sensitive": true);
  - it is named with --secret NAME;
  - function.json does not declare it (always so for a bare handler.js) and its name
    looks secret: a word of the name is key, token, secret, password, passwd, pwd,
    pass, passphrase, auth, authorization, credential(s), private, signature, bearer,
    cookie or dsn (apiKey, auth_token, x-api-key), or the name contains token, secret,
    password, credential, apikey, accesskey or privatekey (clientsecret).
Other values are printed as they are: mark a secret with an ordinary name with --secret.

Mock rules file: a JSON array; the first rule that matches a request answers it:
  [{"method": "POST", "url": "https://api.example.com/*", "status": 200,
    "headers": {"x-id": "1"}, "body": {"ok": true}, "delayMs": 0}]
  url is a glob (* matches anything) or "/regex/flags"; method defaults to "*" (any),
  status to 200; an object body is sent as JSON, a string as text.

Network policy: requests to link-local addresses (169.254.0.0/16, fe80::/10), where cloud
  metadata endpoints such as 169.254.169.254 live, are always refused, even when a mock rule
  matches; the function sees a network error (FetchError, code EBLOCKED) saying why.
  Requests to loopback and private addresses (127/8, ::1, 10/8, 172.16/12, 192.168/16,
  100.64/10, fc00::/7) are sent but marked with a warning, since Segment's servers could
  not reach them; --strict-network refuses them too. Names are judged by the address they
  resolve to, and every redirect is judged again.

Exit status:
  0  the outcome is Success (for a batch: every item succeeded too)
  1  any other outcome (Bad Request, Invalid Settings, Message Rejected,
     Unsupported Event Type, Retry, Timeout, Dropped)
  2  bad usage or bad input: a missing or unreadable file, invalid JSON (with line:col),
     an invalid mock rule (with its index); with --json, also printed on stdout as
     {"outcome": null, "exitCode": 2, "error": {"name", "message", …}}

Examples:
  fnstudio run handler.js --event track.json
  fnstudio run ./my-function --event batch.json --settings settings.json --json
  cat event.json | fnstudio run handler.js --event - --mock rules.json --offline
`;

export async function runCommand(argv: string[]): Promise<number> {
  const args = parseArgs(argv, OPTIONS, COMMAND);
  if (args.flags.has('help')) {
    process.stdout.write(HELP);
    return EXIT_SUCCESS;
  }
  if (args.positionals.length === 0) {
    throw new UsageError('missing the function to run: give a handler .js file or a function folder', COMMAND);
  }
  if (args.positionals.length > 1) {
    throw new UsageError(`unexpected argument '${args.positionals[1]}' (run takes one handler file or folder)`, COMMAND);
  }
  const eventArg = args.values.get('event');
  if (eventArg === undefined) throw new UsageError('missing --event <file.json|->: the event to send', COMMAND);
  const timeoutRaw = args.values.get('timeout');
  const timeoutMs = timeoutRaw === undefined ? DEFAULT_TIMEOUT_MS : parseIntegerOption(timeoutRaw, 'timeout', 'ms', 1, 2_147_483_647, COMMAND);
  const memoryRaw = args.values.get('memory');
  const memoryMb = memoryRaw === undefined ? DEFAULT_MEMORY_MB : parseIntegerOption(memoryRaw, 'memory', 'MB', 16, 16_384, COMMAND);

  const target = await loadFunctionTarget(args.positionals[0]);
  const event = await readEventInput(eventArg, process.stdin);
  const mockFile = args.values.get('mock');
  // --mock's rules come first, so they win over the folder's own for the same request.
  const mockRules: MockRule[] = [
    ...(mockFile === undefined ? [] : await readMockRulesFile(mockFile)),
    ...(target.functionDir === null ? [] : await folderMockRules(target.functionDir)),
  ];
  const offline = args.flags.has('offline');
  const strict = args.flags.has('strict-network') || target.strictNetwork;

  let outcome: Outcome;
  let secrets: readonly string[] = [];
  try {
    const settings = await resolveSettings({
      functionDir: target.functionDir,
      functionId: target.functionId,
      schema: target.schema,
      settingsFile: args.values.get('settings') ?? null,
      secretNames: args.lists.get('secret') ?? [],
    });
    secrets = settings.secrets;
    outcome = await invokeOnce({
      functionId: target.functionId,
      code: target.code,
      filename: target.filename,
      input: event.input,
      settings: settings.values,
      network: { mockRules, offline, strict },
      timeoutMs,
      memoryMb,
    });
  } catch (err) {
    if (!(err instanceof InvalidSettingsError)) throw err;
    outcome = invalidSettingsOutcome(err);
  }
  if (target.compiled) outcome = mapOutcomeToSource(outcome, target.compiled, target.filename);
  outcome = protectSecrets(outcome, secrets);

  if (args.flags.has('json')) {
    process.stdout.write(JSON.stringify(jsonReport(outcome), null, 2) + '\n');
  } else {
    process.stdout.write(renderHuman(outcome, palette(wantsColor(process.stdout, process.env))));
  }
  return exitStatus(outcome);
}

/** A function folder's mocks.json, as the studio's runs use it; a broken one stops the run (exit 2). */
async function folderMockRules(dir: string): Promise<MockRule[]> {
  const mocks = await readFunctionMocks(dir);
  if (mocks.problems.length > 0) {
    // JSON problems already start with the file's name; say it once, as the full path.
    const problems = mocks.problems.map((p) => (p.message.startsWith(`${MOCKS_FILE}: `) ? p.message.slice(MOCKS_FILE.length + 2) : p.message));
    throw new InputError(`${path.join(dir, MOCKS_FILE)}: ${problems.join('; ')}`);
  }
  return mocks.rules;
}

/** One invocation needs one worker; the pool is closed so the process can exit. */
async function invokeOnce(request: InvokeRequest): Promise<Outcome> {
  const runtime = startRuntime({ workers: 1 });
  try {
    return await runtime.invoke(request);
  } finally {
    await runtime.close();
  }
}

/** 0 only when the invocation and every batch item succeeded. */
export function exitStatus(outcome: Outcome): number {
  const itemsOk = (outcome.items ?? []).every((item) => item.category === 'Success');
  return outcome.outcome === 'Success' && itemsOk ? EXIT_SUCCESS : EXIT_NOT_SUCCESS;
}
