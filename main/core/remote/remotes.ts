/**
 * Remotes: connected Segment workspaces, by name. The record (name, API URL) lives in
 * remotes.json in the config folder beside preferences.json; the Public API token lives
 * only in the OS keychain (SecretStore), is checked with one cheap call when added, and is
 * never returned to a caller other than the client that uses it.
 *
 * For CI, SEGMENT_PUBLIC_API_TOKEN plus a region or an API URL replaces a stored remote:
 * no keychain, no file.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { writeFileAtomic } from '../atomic-write';
import { defaultPreferencesDir } from '../preferences/conf-store';
import type { SecretStore } from '../secrets/secret-store';
import { normalizeApiUrl, regionUrl, REGION_URLS, type Region } from './api-url';
import { FunctionsClient, type FunctionsClientOptions } from './functions-client';

const REMOTES_FILE = 'remotes.json';
export const TOKEN_ENV = 'SEGMENT_PUBLIC_API_TOKEN';
const REMOTE_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/;

export interface RemoteRecord {
  name: string;
  apiUrl: string;
  /** 'us' / 'eu' when the URL is a region's; null for an explicit URL. */
  region: Region | null;
  addedAt: string;
}

/** How to reach a remote right now. */
export interface RemoteConnection {
  name: string;
  apiUrl: string;
  /** Where the token came from, for messages (never the token). */
  tokenSource: 'keychain' | 'environment';
  token: string;
}

export class RemoteConfigError extends Error {
  override readonly name = 'RemoteConfigError';
}

function remoteNameProblem(name: unknown): string | null {
  if (typeof name !== 'string' || name === '') return 'must not be empty';
  return REMOTE_NAME_PATTERN.test(name) ? null : `"${name}" must be letters, digits, ".", "_" or "-" (up to 63), starting with a letter or digit`;
}

export function tokenKey(name: string): string {
  return `segment-remote/${name}`;
}

/** The config folder: FNSTUDIO_CONFIG_DIR, else where preferences live by default. */
export function configDirFrom(env: NodeJS.ProcessEnv = process.env): string {
  return env.FNSTUDIO_CONFIG_DIR || defaultPreferencesDir(env);
}

/** An API URL from a region or an explicit URL (exactly one). */
function apiUrlFrom(input: { region?: string | null; apiUrl?: string | null }): { apiUrl: string; region: Region | null } {
  const hasRegion = input.region !== undefined && input.region !== null && input.region !== '';
  const hasUrl = input.apiUrl !== undefined && input.apiUrl !== null && input.apiUrl !== '';
  if (hasRegion && hasUrl) throw new RemoteConfigError('give a region or an API URL, not both');
  if (hasUrl) {
    const apiUrl = normalizeApiUrl(input.apiUrl!);
    const region = (Object.entries(REGION_URLS).find(([, url]) => url === apiUrl)?.[0] as Region | undefined) ?? null;
    return { apiUrl, region };
  }
  const region = (hasRegion ? input.region! : 'us').toLowerCase();
  return { apiUrl: regionUrl(region), region: region as Region };
}

export interface RemoteStoreOptions {
  configDir: string;
  secretStore: SecretStore;
  now?: () => Date;
  /** Client options for the check on add (tests: short backoff). */
  clientOptions?: Partial<FunctionsClientOptions>;
}

export interface AddedRemote {
  remote: RemoteRecord;
  /** Destination functions in the workspace, or null when the API did not say. */
  destinationFunctions: number | null;
}

export class RemoteStore {
  readonly configDir: string;
  private readonly secretStore: SecretStore;
  private readonly now: () => Date;
  private readonly clientOptions: Partial<FunctionsClientOptions>;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(options: RemoteStoreOptions) {
    this.configDir = options.configDir;
    this.secretStore = options.secretStore;
    this.now = options.now ?? (() => new Date());
    this.clientOptions = options.clientOptions ?? {};
  }

  get file(): string {
    return path.join(this.configDir, REMOTES_FILE);
  }

  async list(): Promise<RemoteRecord[]> {
    let text: string;
    try {
      text = await fs.readFile(this.file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw err;
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (err) {
      throw new RemoteConfigError(`${this.file} is not valid JSON (${(err as Error).message}); fix or delete it`);
    }
    const remotes = (parsed as { remotes?: unknown } | null)?.remotes;
    if (!Array.isArray(remotes)) throw new RemoteConfigError(`${this.file} has no "remotes" list; fix or delete it`);
    return (remotes as unknown[]).filter((r): r is RemoteRecord => {
      const record = r as { name?: unknown; apiUrl?: unknown } | null;
      return typeof record === 'object' && record !== null && typeof record.name === 'string' && typeof record.apiUrl === 'string';
    });
  }

  async get(name: string): Promise<RemoteRecord | null> {
    return (await this.list()).find((r) => r.name === name) ?? null;
  }

  /**
   * Checks the token with one cheap call, then stores the token in the keychain and the
   * record in remotes.json. A token the workspace refuses is not stored.
   */
  async add(input: { name: string; region?: string | null; apiUrl?: string | null; token: string }): Promise<AddedRemote> {
    const problem = remoteNameProblem(input.name);
    if (problem) throw new RemoteConfigError(`remote name ${problem}`);
    const token = input.token.trim();
    if (token === '') throw new RemoteConfigError('the Public API token is empty');
    const { apiUrl, region } = apiUrlFrom(input);
    if (await this.get(input.name)) throw new RemoteConfigError(`a remote named "${input.name}" already exists; remove it first or pick another name`);
    const client = new FunctionsClient({ ...this.clientOptions, apiUrl, token });
    const destinationFunctions = await client.countFunctions('DESTINATION');
    await this.secretStore.set(tokenKey(input.name), token);
    const remote: RemoteRecord = { name: input.name, apiUrl, region, addedAt: this.now().toISOString() };
    await this.update((list) => [...list.filter((r) => r.name !== input.name), remote]);
    return { remote, destinationFunctions };
  }

  /** Resolves false when no such remote existed. */
  async remove(name: string): Promise<boolean> {
    const existed = (await this.get(name)) !== null;
    await this.update((list) => list.filter((r) => r.name !== name));
    const hadToken = await this.secretStore.delete(tokenKey(name)).catch(() => false);
    return existed || hadToken;
  }

  /**
   * How to reach remote `name`: the environment's token with an explicit region/URL when
   * given (CI), else the stored record and its keychain token.
   */
  async connect(name: string, override: { region?: string | null; apiUrl?: string | null; env?: NodeJS.ProcessEnv } = {}): Promise<RemoteConnection> {
    const env = override.env ?? process.env;
    const envToken = env[TOKEN_ENV]?.trim();
    const explicit = Boolean(override.region || override.apiUrl);
    if (explicit) {
      if (!envToken) throw new RemoteConfigError(`--region/--api-url need the token in ${TOKEN_ENV}`);
      return { name, apiUrl: apiUrlFrom(override).apiUrl, tokenSource: 'environment', token: envToken };
    }
    const record = await this.get(name);
    if (!record) {
      const known = (await this.list()).map((r) => r.name);
      throw new RemoteConfigError(
        `no remote named "${name}"` +
          (known.length ? ` (remotes: ${known.join(', ')})` : '') +
          `; add it with 'fnstudio remote add ${name}', or give --region/--api-url with ${TOKEN_ENV}`,
      );
    }
    const token = await this.secretStore.get(tokenKey(name));
    if (!token) throw new RemoteConfigError(`the token of remote "${name}" is not in the OS keychain (locked, or removed); add the remote again`);
    return { name, apiUrl: record.apiUrl, tokenSource: 'keychain', token };
  }

  private update(change: (list: RemoteRecord[]) => RemoteRecord[]): Promise<void> {
    const next = this.queue.then(async () => {
      const list = change(await this.list());
      await fs.mkdir(this.configDir, { recursive: true });
      await writeFileAtomic(this.file, `${JSON.stringify({ remotes: list }, null, 2)}\n`);
    });
    this.queue = next.catch(() => undefined);
    return next;
  }
}
