/**
 * `fnstudio secrets set|delete <function-folder> <name>`: manage encrypted settings' test
 * values in the OS keychain from scripts and CI. The value is read from stdin only: a
 * value on the command line would end up in shell history and process listings.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { FnStudioError } from '../../contract/errors';
import type { FunctionSetting } from '../../contract/function';
import { functionIdProblem, settingNameProblem } from '../../contract/ids';
import { META_FILE, parseMeta } from '../../core/function-meta';
import { KeytarSecretStore } from '../../core/secrets/keytar-store';
import type { SecretStore } from '../../core/secrets/secret-store';
import { deleteSettingValue, setTestValue, type FunctionSettingsContext } from '../../core/settings/function-settings';
import { findSetting, settingValueProblem } from '../../core/settings/schema';
import { TEST_VALUES_FILE, readTestValuesFile } from '../../core/settings/test-values-file';
import { formatOptions, parseArgs, type OptionSpec } from '../args';
import { EXIT_BAD_INPUT, EXIT_SUCCESS, InputError, UsageError } from '../cli-error';

const COMMAND = 'fnstudio secrets';

const OPTIONS: readonly OptionSpec[] = [{ name: 'help', short: 'h', help: 'show this help' }];

const HELP = `Usage: fnstudio secrets set <function-folder> <name>      (value on stdin)
       fnstudio secrets delete <function-folder> <name>

Stores or deletes the test value of an encrypted setting (one marked "sensitive" in the
folder's function.json) in the OS keychain, where fnstudio runs read it from. The value
never goes to a file: the folder's ${TEST_VALUES_FILE} records only that it is set.

set     reads the value from stdin (one trailing newline is removed). On a terminal it
        asks for it without echoing. Never pass the value as an argument.
        Settings of type BOOLEAN take true/false; ARRAY and TEXT_MAP take JSON.
delete  removes the value (succeeds when none was stored).

Options:
${formatOptions(OPTIONS)}

Exit status: 0 done; 2 bad usage, a bad folder or setting, or no usable keychain.

Examples:
  printf %s "$SEGMENT_API_KEY" | fnstudio secrets set ./my-function apiKey
  fnstudio secrets set ./my-function apiKey < api-key.txt
  fnstudio secrets delete ./my-function apiKey
`;

export interface SecretsCommandIo {
  stdin: Readable & { isTTY?: boolean; setRawMode?: (mode: boolean) => unknown };
  stdout: Writable;
  stderr: Writable;
  /** Default: the OS keychain through keytar. */
  secretStore?: SecretStore;
}

export async function secretsCommand(argv: string[], io?: SecretsCommandIo): Promise<number> {
  const streams: SecretsCommandIo = io ?? { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr };
  try {
    return await secrets(argv, streams);
  } catch (err) {
    // FnStudioError covers keychain problems (KeychainUnavailable) and a corrupt settings.local.json.
    if (err instanceof UsageError || err instanceof InputError || err instanceof FnStudioError) {
      streams.stderr.write(`${COMMAND}: ${err.message}\n`);
      return EXIT_BAD_INPUT;
    }
    throw err;
  }
}

async function secrets(argv: string[], io: SecretsCommandIo): Promise<number> {
  const args = parseArgs(argv, OPTIONS, COMMAND);
  if (args.flags.has('help')) {
    io.stdout.write(HELP);
    return EXIT_SUCCESS;
  }
  const [action, folder, name, ...extra] = args.positionals;
  if (action === undefined) throw new UsageError("missing the action: 'set' or 'delete'", COMMAND);
  if (action !== 'set' && action !== 'delete') {
    throw new UsageError(`unknown action '${action}': use 'set' or 'delete'`, COMMAND);
  }
  if (folder === undefined) throw new UsageError(`missing the function folder: fnstudio secrets ${action} <function-folder> <name>`, COMMAND);
  if (name === undefined) throw new UsageError(`missing the setting name: fnstudio secrets ${action} ${folder} <name>`, COMMAND);
  if (extra.length > 0) {
    throw new UsageError(
      action === 'set'
        ? 'refusing a value on the command line (it would be kept in shell history and visible to other processes); pipe it on stdin instead'
        : `unexpected argument '${extra[0]}'`,
      COMMAND,
    );
  }
  const nameProblem = settingNameProblem(name);
  if (nameProblem) throw new InputError(`setting name ${nameProblem}`);

  const { ctx, schema } = await openFunction(folder, io.secretStore ?? new KeytarSecretStore());
  const setting = findSetting(schema, name);

  if (action === 'delete') {
    if (setting && !setting.sensitive) throw new InputError(notEncrypted(setting, folder));
    const recorded = (await readTestValuesFile(ctx.functionDir)).secretsSet.includes(name);
    const stored = (await ctx.secretStore.get(`${ctx.functionId}/${name}`)) !== null;
    await deleteSettingValue(ctx, schema, name);
    io.stdout.write(recorded || stored ? `Deleted the test value of ${name}.\n` : `No test value of ${name} was stored; nothing to delete.\n`);
    return EXIT_SUCCESS;
  }

  if (!setting) {
    const encrypted = schema.filter((s) => s.sensitive).map((s) => s.name);
    throw new InputError(
      `${path.join(folder, META_FILE)} has no setting named "${name}"` +
        (encrypted.length > 0 ? ` (encrypted settings: ${encrypted.join(', ')})` : ' (it has no encrypted settings)'),
    );
  }
  if (!setting.sensitive) throw new InputError(notEncrypted(setting, folder));
  const raw = await readValue(io, name);
  const value = parseValue(setting, raw);
  await setTestValue(ctx, schema, name, value);
  io.stdout.write(`Stored the test value of ${name} in the OS keychain.\n`);
  return EXIT_SUCCESS;
}

function notEncrypted(setting: FunctionSetting, folder: string): string {
  return `setting "${setting.name}" is not encrypted ("sensitive": false in ${path.join(folder, META_FILE)}); its test value belongs in ${TEST_VALUES_FILE}, not the keychain`;
}

async function openFunction(folder: string, secretStore: SecretStore): Promise<{ ctx: FunctionSettingsContext; schema: FunctionSetting[] }> {
  const functionDir = path.resolve(folder);
  const metaFile = path.join(functionDir, META_FILE);
  let text: string;
  try {
    text = await fs.readFile(metaFile, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') {
      const exists = await fs.stat(folder).then((s) => s.isDirectory(), () => false);
      throw new InputError(exists ? `${folder}: not a function folder: it has no ${META_FILE}` : `${folder}: no such folder`);
    }
    throw new InputError(`${metaFile}: cannot read the file: ${(err as Error).message}`);
  }
  const meta = parseMeta(text, new Date(0).toISOString());
  if (!meta.ok) throw new InputError(`${folder}: ${meta.problem}`);
  const functionId = path.basename(functionDir);
  const idProblem = functionIdProblem(functionId);
  if (idProblem) {
    throw new InputError(`${folder}: the folder name is the function's id, which keys its secrets in the keychain, and ${idProblem}`);
  }
  return { ctx: { functionDir, functionId, secretStore }, schema: meta.meta.settings };
}

function parseValue(setting: FunctionSetting, raw: string): unknown {
  let value: unknown = raw;
  if (setting.type === 'BOOLEAN') {
    if (raw !== 'true' && raw !== 'false') throw new InputError(`setting "${setting.name}" is BOOLEAN: the value must be true or false`);
    value = raw === 'true';
  } else if (setting.type === 'ARRAY' || setting.type === 'TEXT_MAP') {
    try {
      value = JSON.parse(raw);
    } catch {
      const example = setting.type === 'ARRAY' ? '["a", "b"]' : '{"key": "value"}';
      throw new InputError(`setting "${setting.name}" is ${setting.type}: the value must be JSON like ${example}`);
    }
  }
  const problem = settingValueProblem(setting.type, value);
  if (problem) throw new InputError(`the value of setting "${setting.name}" ${problem}`);
  return value;
}

/** The whole of stdin minus one trailing newline; on a terminal, a prompt without echo. */
async function readValue(io: SecretsCommandIo, name: string): Promise<string> {
  const text = io.stdin.isTTY && io.stdin.setRawMode ? await promptHidden(io, name) : await readAll(io.stdin);
  const value = text.replace(/\r?\n$/, '');
  if (value === '') {
    throw new InputError(`no value on stdin for ${name}: pipe it in, e.g. printf %s "$VALUE" | fnstudio secrets set <folder> ${name} (use 'delete' to remove one)`);
  }
  return value;
}

async function readAll(stream: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}

function promptHidden(io: SecretsCommandIo, name: string): Promise<string> {
  const stdin = io.stdin;
  io.stderr.write(`Value for ${name} (not shown): `);
  return new Promise((resolve, reject) => {
    let value = '';
    const finish = (err: Error | null) => {
      stdin.setRawMode?.(false);
      stdin.pause();
      stdin.off('data', onData);
      io.stderr.write('\n');
      if (err) reject(err);
      else resolve(value);
    };
    const onData = (chunk: Buffer | string) => {
      for (const ch of chunk.toString()) {
        if (ch === '\r' || ch === '\n' || ch === '\u0004') return finish(null);
        if (ch === '\u0003') return finish(new InputError('cancelled'));
        if (ch === '\u007f' || ch === '\b') value = value.slice(0, -1);
        else value += ch;
      }
    };
    stdin.setRawMode?.(true);
    stdin.on('data', onData);
    stdin.resume();
  });
}
