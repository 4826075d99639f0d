import { secretAccount } from '../../core/settings/function-settings';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { FunctionSetting } from '../../contract/function';
import { KeytarSecretStore } from '../../core/secrets/keytar-store';
import { requireSessionBus } from '../../core/secrets/private-keyring.testkit';
import type { SecretStore } from '../../core/secrets/secret-store';
import { secretsCommand } from './secrets';

const SERVICE = `fnstudio-test-${randomBytes(4).toString('hex')}`;
const store = new KeytarSecretStore({ service: SERVICE });

const SETTINGS: FunctionSetting[] = [
  { name: 'apiKey', label: 'API Key', description: '', type: 'STRING', required: true, sensitive: true },
  { name: 'endpoint', label: 'Endpoint', description: '', type: 'STRING', required: false, sensitive: false },
  { name: 'tokens', label: 'Tokens', description: '', type: 'ARRAY', required: false, sensitive: true },
  { name: 'enabled', label: 'Enabled', description: '', type: 'BOOLEAN', required: false, sensitive: true },
];

let root: string;
let folder: string;
let functionId: string;

beforeAll(() => requireSessionBus());
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'fnstudio-secrets-cli-'));
  functionId = `cli-${randomBytes(3).toString('hex')}`;
  folder = join(root, functionId);
  mkdirSync(folder);
  writeFileSync(join(folder, 'function.json'), JSON.stringify({ displayName: 'CLI test', settings: SETTINGS }, null, 2));
  writeFileSync(join(folder, 'handler.js'), 'async function onTrack(event, settings) {}\n');
});
afterEach(async () => {
  for (const s of SETTINGS) await store.delete(await secretAccount(folder, functionId, s.name)).catch(() => undefined);
  rmSync(root, { recursive: true, force: true });
});

async function run(argv: string[], stdin = '', secretStore: SecretStore = store) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (d: Buffer) => (out += d.toString()));
  stderr.on('data', (d: Buffer) => (err += d.toString()));
  const code = await secretsCommand(argv, { stdin: Readable.from([Buffer.from(stdin)]), stdout, stderr, secretStore });
  return { code, stdout: out, stderr: err };
}

/** Every byte under the function folder, to prove a secret never reached a file. */
function folderText(): string {
  return readdirSync(folder)
    .map((f) => readFileSync(join(folder, f), 'utf8'))
    .join('\n');
}

describe('fnstudio secrets (real keychain)', () => {
  it('set reads the value from stdin, trims one trailing newline and stores it only in the keychain', async () => {
    const r = await run(['set', folder, 'apiKey'], 'sk_cli_secret_value\n');
    expect(r).toEqual({ code: 0, stdout: 'Stored the test value of apiKey in the OS keychain.\n', stderr: '' });
    expect(await store.get(await secretAccount(folder, functionId, 'apiKey'))).toBe('sk_cli_secret_value');
    expect(JSON.parse(readFileSync(join(folder, 'settings.local.json'), 'utf8'))).toEqual({ values: {}, secretsSet: ['apiKey'], keychainId: expect.any(String) });
    expect(folderText()).not.toContain('sk_cli_secret_value');
  });

  it('trims only one newline (CRLF too) and keeps inner whitespace', async () => {
    await run(['set', folder, 'apiKey'], ' two  words \n\n');
    expect(await store.get(await secretAccount(folder, functionId, 'apiKey'))).toBe(' two  words \n');
    await run(['set', folder, 'apiKey'], 'windows\r\n');
    expect(await store.get(await secretAccount(folder, functionId, 'apiKey'))).toBe('windows');
  });

  it('refuses a value given as an argument', async () => {
    const r = await run(['set', folder, 'apiKey', 'sk_on_the_command_line']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^fnstudio secrets: refusing a value on the command line .* pipe it on stdin instead/);
    expect(await store.get(await secretAccount(folder, functionId, 'apiKey'))).toBeNull();
  });

  it('refuses settings that are unknown or not encrypted, and empty values', async () => {
    const unknown = await run(['set', folder, 'nope'], 'x');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('has no setting named "nope" (encrypted settings: apiKey, tokens, enabled)');
    const plain = await run(['set', folder, 'endpoint'], 'x');
    expect(plain.code).toBe(2);
    expect(plain.stderr).toContain('setting "endpoint" is not encrypted');
    const empty = await run(['set', folder, 'apiKey'], '\n');
    expect(empty.code).toBe(2);
    expect(empty.stderr).toContain('no value on stdin for apiKey');
  });

  it('parses ARRAY values as JSON and BOOLEAN values as true/false', async () => {
    expect((await run(['set', folder, 'tokens'], '["t-one","t-two"]\n')).code).toBe(0);
    expect(await store.get(await secretAccount(folder, functionId, 'tokens'))).toBe('["t-one","t-two"]');
    const bad = await run(['set', folder, 'tokens'], 'a,b');
    expect(bad.stderr).toContain('setting "tokens" is ARRAY: the value must be JSON like ["a", "b"]');
    const wrong = await run(['set', folder, 'tokens'], '[1]');
    expect(wrong.stderr).toContain('must be an array of strings (ARRAY), got an array containing number');
    expect((await run(['set', folder, 'enabled'], 'yes')).stderr).toContain('BOOLEAN: the value must be true or false');
    expect((await run(['set', folder, 'enabled'], 'true')).code).toBe(0);
  });

  it('delete removes the value and is idempotent', async () => {
    await run(['set', folder, 'apiKey'], 'to-delete');
    expect(await run(['delete', folder, 'apiKey'])).toEqual({ code: 0, stdout: 'Deleted the test value of apiKey.\n', stderr: '' });
    expect(await store.get(await secretAccount(folder, functionId, 'apiKey'))).toBeNull();
    expect(JSON.parse(readFileSync(join(folder, 'settings.local.json'), 'utf8')).secretsSet).toEqual([]);
    expect((await run(['delete', folder, 'apiKey'])).stdout).toBe('No test value of apiKey was stored; nothing to delete.\n');
  });

  it('explains bad folders', async () => {
    expect((await run(['set', join(root, 'missing'), 'apiKey'], 'x')).stderr).toContain('missing: no such folder');
    const empty = join(root, 'empty');
    mkdirSync(empty);
    expect((await run(['set', empty, 'apiKey'], 'x')).stderr).toContain('not a function folder: it has no function.json');
    const badName = join(root, 'Bad Name');
    mkdirSync(badName);
    writeFileSync(join(badName, 'function.json'), JSON.stringify({ displayName: 'x', settings: SETTINGS }));
    const r = await run(['set', badName, 'apiKey'], 'x');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("the folder name is the function's id");
    writeFileSync(join(folder, 'function.json'), '{"displayName": ');
    expect((await run(['set', folder, 'apiKey'], 'x')).stderr).toMatch(/function\.json/);
  });

  it('has help and usage errors', async () => {
    const help = await run(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: fnstudio secrets set <function-folder> <name>');
    expect((await run([])).stderr).toContain("missing the action: 'set' or 'delete'");
    expect((await run(['show', folder, 'apiKey'])).stderr).toContain("unknown action 'show'");
    expect((await run(['set', folder])).stderr).toContain('missing the setting name');
    expect((await run(['set', folder, 'bad name'], 'x')).stderr).toContain('not a valid setting name');
    expect((await run(['set', folder, 'apiKey', '--value=x'])).stderr).toContain("unknown option '--value'");
  });

  it('reports an unusable keychain with exit status 2', async () => {
    const broken = new KeytarSecretStore({ load: () => Promise.reject(new Error('no native module')) });
    const r = await run(['set', folder, 'apiKey'], 'value', broken);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('fnstudio secrets: keychain unavailable: the keytar native module could not be loaded (no native module)\n');
  });

  it('on a terminal, asks for the value without echoing it', async () => {
    const rawModes: boolean[] = [];
    const tty = Object.assign(new PassThrough(), { isTTY: true, setRawMode: (mode: boolean) => rawModes.push(mode) });
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    let shown = '';
    stdout.on('data', (d: Buffer) => (shown += d.toString()));
    stderr.on('data', (d: Buffer) => (shown += d.toString()));
    const done = secretsCommand(['set', folder, 'apiKey'], { stdin: tty, stdout, stderr, secretStore: store });
    setTimeout(() => tty.write('typed-secrex\u007ft\r'), 50);
    expect(await done).toBe(0);
    expect(await store.get(await secretAccount(folder, functionId, 'apiKey'))).toBe('typed-secret');
    expect(rawModes).toEqual([true, false]);
    expect(shown).toContain('Value for apiKey (not shown): ');
    expect(shown).not.toContain('typed-secre');
  });

  it('uses the real fnstudio keychain service by default', async () => {
    const defaultStore = new KeytarSecretStore();
    try {
      const stdout = new PassThrough();
      const code = await secretsCommand(['set', folder, 'apiKey'], { stdin: Readable.from([Buffer.from('default-service-value')]), stdout, stderr: new PassThrough() });
      expect(code).toBe(0);
      expect(await defaultStore.get(await secretAccount(folder, functionId, 'apiKey'))).toBe('default-service-value');
    } finally {
      await defaultStore.delete(await secretAccount(folder, functionId, 'apiKey'));
    }
  });
});
