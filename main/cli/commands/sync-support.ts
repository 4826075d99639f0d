/**
 * What the sync commands (remote, pull, status, diff, push, versions, restore) share:
 * one frame (parsing, --help, required positionals, the engine's lifetime), their
 * common options, how a remote is reached (keychain, or SEGMENT_PUBLIC_API_TOKEN with
 * --region/--api-url for CI), the runtime for compile checks, waits reported on stderr,
 * and exit codes: 0 done, 1 the remote refused or failed, 2 bad input, 3 conflict.
 */
import type { Readable, Writable } from 'node:stream';
import { FnStudioError } from '../../contract/errors';
import { ConfPreferencesStore } from '../../core/preferences/conf-store';
import { ApiUrlError } from '../../core/remote/api-url';
import { FunctionsClient, type FunctionsClientOptions } from '../../core/remote/functions-client';
import { RemoteError } from '../../core/remote/remote-error';
import { configDirFrom, RemoteConfigError, RemoteStore, TOKEN_ENV } from '../../core/remote/remotes';
import { KeytarSecretStore } from '../../core/secrets/keytar-store';
import type { SecretStore } from '../../core/secrets/secret-store';
import { runtimeCompileCheck } from '../../core/sync/compile-check';
import { LocalFunctionError } from '../../core/sync/local-function';
import { SyncEngine, SyncInputError } from '../../core/sync/sync-engine';
import { resolveWorkspaceLocation } from '../../core/workspace-location';
import { parseArgs, type OptionSpec, type ParsedArgs } from '../args';
import { EXIT_BAD_INPUT, EXIT_SUCCESS, InputError, UsageError } from '../cli-error';
import { startRuntime } from '../runtime-host';

export const EXIT_REMOTE_FAILED = 1;
export const EXIT_CONFLICT = 3;

export const HELP_OPTION: OptionSpec = { name: 'help', short: 'h', help: 'show this help' };
export const JSON_OPTION: OptionSpec = { name: 'json', help: 'print exactly one JSON object' };
export const CONNECTION_OPTIONS: readonly OptionSpec[] = [
  { name: 'region', value: 'us|eu', help: `with ${TOKEN_ENV}: reach that region's API instead of a stored remote (CI)` },
  { name: 'api-url', value: 'URL', help: `with ${TOKEN_ENV}: reach this API URL instead of a stored remote (https; http only for 127.0.0.1)` },
];

export const EXIT_STATUS_HELP = 'Exit status: 0 done; 1 the Segment workspace refused or failed; 2 bad input; 3 conflict (nothing written).';

export interface SyncIo {
  stdin: Readable & { isTTY?: boolean };
  stdout: Writable;
  stderr: Writable;
  env: NodeJS.ProcessEnv;
  /** Default: the OS keychain. */
  secretStore?: SecretStore;
  /** Client options for tests (short backoff). */
  clientOptions?: Partial<FunctionsClientOptions>;
}

function defaultIo(): SyncIo {
  return { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr, env: process.env };
}

export function remoteStore(io: SyncIo): RemoteStore {
  return new RemoteStore({ configDir: configDirFrom(io.env), secretStore: io.secretStore ?? new KeytarSecretStore(), clientOptions: io.clientOptions });
}

/** A connect function for the engine: every wait is told on stderr (the token never is). */
function connector(io: SyncIo, args: ParsedArgs): (remoteName: string) => Promise<FunctionsClient> {
  const store = remoteStore(io);
  const override = { region: args.values.get('region') ?? null, apiUrl: args.values.get('api-url') ?? null, env: io.env };
  const clients = new Map<string, FunctionsClient>();
  return async (remoteName) => {
    const cached = clients.get(remoteName);
    if (cached) return cached;
    const connection = await store.connect(remoteName, override);
    const client = new FunctionsClient({
      ...io.clientOptions,
      apiUrl: connection.apiUrl,
      token: connection.token,
      onWait: (notice) => {
        const seconds = (notice.waitMs / 1000).toFixed(1);
        io.stderr.write(
          notice.reason === 'rate-limited'
            ? `Rate-limited by the Segment workspace (${notice.source}); waiting ${seconds} s before retrying "${notice.operation}"…\n`
            : `"${notice.operation}" failed (${notice.status ?? 'no answer'}); retrying in ${seconds} s (attempt ${notice.attempt + 1})…\n`,
        );
      },
    });
    clients.set(remoteName, client);
    return client;
  };
}

/** The engine with a runtime for compile checks, started only if a push asks for it. */
function engineFor(io: SyncIo, args: ParsedArgs): { engine: SyncEngine; close: () => Promise<void> } {
  let runtime: ReturnType<typeof startRuntime> | null = null;
  const engine = new SyncEngine({
    connect: connector(io, args),
    compileCheck: (code) => {
      runtime ??= startRuntime({ workers: 1 });
      return runtimeCompileCheck(runtime)(code);
    },
  });
  return { engine, close: async () => void (await runtime?.close()) };
}

/** The remote a command without a linked folder uses: --remote, else the only stored one. */
export async function chooseRemote(io: SyncIo, args: ParsedArgs, command: string): Promise<string> {
  const named = args.values.get('remote');
  if (named) return named;
  if (args.values.get('region') || args.values.get('api-url')) return 'segment';
  const all = await remoteStore(io).list();
  if (all.length === 1) return all[0].name;
  if (all.length === 0) throw new UsageError(`no remote yet: add one with 'fnstudio remote add NAME', or give --region/--api-url with ${TOKEN_ENV}`, command);
  throw new UsageError(`several remotes (${all.map((r) => r.name).join(', ')}): choose one with --remote NAME`, command);
}

/** The workspace folder as everywhere else: --workspace, FNSTUDIO_WORKSPACE, the preference, the default. */
export async function workspaceRoot(io: SyncIo, args: ParsedArgs): Promise<string> {
  let preference: string | null = null;
  try {
    preference = (await new ConfPreferencesStore({ dir: configDirFrom(io.env) }).read()).workspacePath || null;
  } catch {
    // Unreadable preferences: the other sources still decide.
  }
  return resolveWorkspaceLocation({ flag: args.values.get('workspace') ?? null, env: io.env, preference }).root;
}

export interface SyncCommandSpec {
  /** The full command for messages, e.g. 'fnstudio diff'. */
  command: string;
  help: string;
  options: readonly OptionSpec[];
  /**
   * The positionals the command requires, all of them, and nothing more; `missing` is the
   * message when some are absent. Without it the body reads args.positionals itself.
   */
  operands?: { count: number; missing: string };
}

export interface CommandContext {
  args: ParsedArgs;
  /** --json: failures, usage errors included, are also one JSON object on stdout. */
  json: boolean;
  /** The required positionals (see SyncCommandSpec.operands), in order. */
  operands: string[];
  io: SyncIo;
}

export interface SyncContext extends CommandContext {
  engine: SyncEngine;
}

export type SyncCommand = (argv: string[], io?: SyncIo) => Promise<number>;

/**
 * The frame every sync command shares: parse, --help, the required positionals, and
 * failures turned into messages and exit codes. `body` does the command's own job.
 */
export function commandFrame(spec: SyncCommandSpec, body: (context: CommandContext) => Promise<number>): SyncCommand {
  return async (argv, io = defaultIo()) => {
    // Known before parsing, so that even a usage error is one JSON object on stdout.
    const json = argv.includes('--json');
    return runSync(spec.command, io, json, async () => {
      const args = parseArgs(argv, spec.options, spec.command);
      if (args.flags.has('help')) {
        io.stdout.write(spec.help);
        return EXIT_SUCCESS;
      }
      let operands: string[] = [];
      if (spec.operands) {
        const { count, missing } = spec.operands;
        operands = args.positionals.slice(0, count);
        if (operands.length < count || operands.some((o) => !o)) throw new UsageError(missing, spec.command);
        const extra = args.positionals.slice(count);
        if (extra.length) throw new UsageError(`unexpected argument '${extra[0]}'`, spec.command);
      }
      return body({ args, json, operands, io });
    });
  };
}

/** A sync command that talks to a Segment workspace: the frame plus an engine, closed after the body. */
export function syncCommand(spec: SyncCommandSpec, body: (context: SyncContext) => Promise<number>): SyncCommand {
  return commandFrame(spec, async (context) => {
    const { engine, close } = engineFor(context.io, context.args);
    try {
      return await body({ ...context, engine });
    } finally {
      await close();
    }
  });
}

/**
 * Runs a sync command body, turning known failures into messages and exit codes. With
 * --json the failure is also one JSON object on stdout.
 */
async function runSync(command: string, io: SyncIo, json: boolean, body: () => Promise<number>): Promise<number> {
  try {
    return await body();
  } catch (err) {
    const { code, kind } = classify(err);
    if (code === null) throw err;
    const message = err instanceof UsageError ? err.message : (err as Error).message;
    io.stderr.write(`${command}: ${message}\n`);
    if (json) io.stdout.write(`${JSON.stringify({ ok: false, exitCode: code, error: { kind, message: err instanceof UsageError ? err.problem : message } }, null, 2)}\n`);
    return code;
  }
}

function classify(err: unknown): { code: number | null; kind: string } {
  if (err instanceof RemoteError) return { code: EXIT_REMOTE_FAILED, kind: err.kind };
  if (err instanceof UsageError) return { code: EXIT_BAD_INPUT, kind: 'usage' };
  if (err instanceof InputError || err instanceof SyncInputError || err instanceof LocalFunctionError || err instanceof RemoteConfigError || err instanceof ApiUrlError) {
    return { code: EXIT_BAD_INPUT, kind: 'input' };
  }
  if (err instanceof FnStudioError) return { code: EXIT_BAD_INPUT, kind: err.name };
  return { code: null, kind: 'bug' };
}

export function writeJson(io: SyncIo, value: unknown): void {
  io.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/** Reads all of stdin (a token piped in). */
export async function readAll(stream: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}

/** Asks a yes/no question on the terminal; resolves true only for y/yes. */
export async function confirm(io: SyncIo, question: string): Promise<boolean> {
  io.stderr.write(`${question} [y/N] `);
  const answer = await new Promise<string>((resolve) => {
    let text = '';
    const onData = (chunk: Buffer | string): void => {
      text += chunk.toString();
      if (text.includes('\n')) {
        io.stdin.off('data', onData);
        io.stdin.pause();
        resolve(text.split('\n')[0]);
      }
    };
    io.stdin.on('data', onData);
    io.stdin.once('end', () => resolve(text));
    io.stdin.resume();
  });
  return /^\s*y(es)?\s*$/i.test(answer);
}
