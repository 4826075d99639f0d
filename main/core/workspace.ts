/**
 * The local workspace: one folder per function under a root folder —
 * `handler.js`, `function.json` and `events/*.json`. The disk is the truth: every read
 * goes to the files so edits made outside the app (git checkout, another editor) show up.
 */
import { createHash, randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { FunctionMetaPatch, FunctionsService } from '../contract/api';
import { FnStudioError } from '../contract/errors';
import type { FunctionDetail, FunctionMeta, FunctionSummary, SavedEvent } from '../contract/function';
import { EVENT_NAME_PATTERN, eventNameProblem, functionIdProblem, slugify } from '../contract/ids';
import { METHODS } from '../contract/methods';
import { writeFileAtomic } from './atomic-write';
import { writeFolderGitignore } from './folder-gitignore';
import { BOTH_HANDLERS_PROBLEM, handlerFileIn, type HandlerFileName } from './handler-file';
import { META_FILE, parseMeta, serializeMeta } from './function-meta';
import { parseJsonText, JsonFileError } from './json-file';
import { writeTestValuesFile } from './settings/test-values-file';
import type { TemplateFiles, TemplateSource } from './templates';
import { MOCKS_FILE } from './mock-rules';
import { TESTS_DIR } from '../contract/tests';

export const HANDLER_FILE = 'handler.js';
const TS_HANDLER_FILE = 'handler.ts';
export const EVENTS_DIR = 'events';
const STAGING_PATTERN = /^\.new-[0-9a-f]{12}$/;

export interface LocalWorkspaceOptions {
  root: string;
  templates: TemplateSource;
  now?: () => Date;
}

export class LocalWorkspace implements FunctionsService {
  readonly root: string;
  private readonly templates: TemplateSource;
  private readonly now: () => Date;
  /** Per-function queue: read-modify-write of function.json must not interleave. */
  private readonly metaLocks = new Map<string, Promise<unknown>>();

  constructor(options: LocalWorkspaceOptions) {
    this.root = path.resolve(options.root);
    this.templates = options.templates;
    this.now = options.now ?? (() => new Date());
  }

  /** The folder of a function. Validates the id: this is what keeps paths inside the root. */
  functionDir(id: string): string {
    const problem = functionIdProblem(id);
    if (problem) throw new FnStudioError('InvalidArgument', `Function id ${problem}`);
    const dir = path.join(this.root, id);
    if (path.dirname(dir) !== this.root) throw new FnStudioError('InvalidArgument', `Function id "${id}" leaves the workspace`);
    return dir;
  }

  async list(): Promise<FunctionSummary[]> {
    let entries: string[];
    try {
      entries = await fs.readdir(this.root);
    } catch (err) {
      if (errno(err) === 'ENOENT') return [];
      throw err;
    }
    const summaries = await Promise.all(entries.filter((name) => functionIdProblem(name) === null).map((id) => this.summary(id)));
    return summaries
      .filter((s): s is FunctionSummary => s !== null)
      .sort((a, b) => a.displayName.localeCompare(b.displayName, undefined, { sensitivity: 'base' }) || a.id.localeCompare(b.id));
  }

  /** null when the entry is not a function folder (a stray file, an unrelated folder). */
  private async summary(id: string): Promise<FunctionSummary | null> {
    const dir = path.join(this.root, id);
    const stat = await statOrNull(dir);
    if (!stat?.isDirectory()) return null;
    const [metaText, handlerStat] = await Promise.all([
      readOrNull(path.join(dir, META_FILE)),
      statOrNull(path.join(dir, HANDLER_FILE)).then(async (js) => js ?? (await statOrNull(path.join(dir, TS_HANDLER_FILE)))),
    ]);
    if (metaText === null && handlerStat === null) return null;
    const fallbackDate = (handlerStat ?? stat).mtime.toISOString();
    if (metaText === null) {
      return { id, displayName: id, description: '', updatedAt: fallbackDate, error: `${META_FILE} is missing` };
    }
    const read = parseMeta(metaText, fallbackDate);
    if (!read.ok) return { id, displayName: id, description: '', updatedAt: fallbackDate, error: read.problem };
    return { id, displayName: read.meta.displayName, description: read.meta.description, updatedAt: latest(read.meta.updatedAt, handlerStat?.mtime) };
  }

  async get(id: string): Promise<FunctionDetail> {
    const dir = await this.existingDir(id);
    const meta = await this.readMeta(id, dir);
    const handlerFile = await this.handlerFileOf(id, dir);
    const code = (await readOrNull(path.join(dir, handlerFile))) ?? '';
    return { id, meta, code, codeVersion: codeVersionOf(code), handlerFile };
  }

  /**
   * The file the function's code lives in: handler.ts when the folder holds one (and no
   * handler.js), handler.js otherwise, also for a folder that has no code yet.
   */
  async handlerFileOf(id: string, dir?: string): Promise<HandlerFileName> {
    const found = await handlerFileIn(dir ?? (await this.existingDir(id)));
    if (found === 'both') throw new FnStudioError('CorruptFunction', `${id}: ${BOTH_HANDLERS_PROBLEM}`);
    return found ?? HANDLER_FILE;
  }

  /** The function's valid meta; CorruptFunction names the problem otherwise. */
  async readMeta(id: string, dir?: string): Promise<FunctionMeta> {
    return (await this.readMetaRaw(id, dir ?? (await this.existingDir(id)))).meta;
  }

  async create(input: { displayName: string; templateId: string }): Promise<FunctionDetail> {
    METHODS['functions.create']([input]);
    const template = await this.templates.get(input.templateId);
    const extras = await this.templates.files(input.templateId);
    await fs.mkdir(this.root, { recursive: true });
    const now = this.now().toISOString();
    const meta: FunctionMeta = {
      displayName: input.displayName.trim(),
      description: '',
      resourceType: 'DESTINATION',
      settings: extras.settings,
      createdAt: now,
      updatedAt: now,
    };
    // Built in a hidden folder and renamed into place, so nobody (the watcher, a `list`,
    // git) ever sees a half-created function.
    const staging = path.join(this.root, `.new-${randomBytes(6).toString('hex')}`);
    await fs.mkdir(path.join(staging, EVENTS_DIR), { recursive: true });
    try {
      await writeFileAtomic(path.join(staging, HANDLER_FILE), template.code);
      await writeFileAtomic(path.join(staging, META_FILE), serializeMeta(meta));
      await writeTemplateExtras(staging, extras);
      await writeFolderGitignore(staging);
      const id = await this.claimFolder(staging, slugify(meta.displayName) || 'function');
      return { id, meta, code: template.code, codeVersion: codeVersionOf(template.code), handlerFile: HANDLER_FILE };
    } catch (err) {
      await fs.rm(staging, { recursive: true, force: true });
      throw err;
    }
  }

  /** Renames the staging folder to the first free `<base>`, `<base>-2`, ... */
  private async claimFolder(staging: string, base: string): Promise<string> {
    for (let n = 1; n < 1000; n++) {
      const suffix = n === 1 ? '' : `-${n}`;
      const id = `${base.slice(0, 64 - suffix.length).replace(/-+$/, '')}${suffix}`;
      const target = this.functionDir(id);
      if (await statOrNull(target)) continue;
      try {
        await fs.rename(staging, target);
        return id;
      } catch (err) {
        // Someone created it in between (ENOTEMPTY/EEXIST): try the next name.
        if (errno(err) !== 'ENOTEMPTY' && errno(err) !== 'EEXIST') throw err;
      }
    }
    throw new FnStudioError('AlreadyExists', `Too many functions named like "${base}"`);
  }

  /**
   * Removes staging folders a crashed `create` left behind. Only old ones: another
   * process (the CLI, a second window) may be creating a function right now.
   */
  async removeStaleStaging(maxAgeMs = 60 * 60 * 1000): Promise<string[]> {
    let names: string[];
    try {
      names = await fs.readdir(this.root);
    } catch {
      return [];
    }
    const removed: string[] = [];
    for (const name of names.filter((n) => STAGING_PATTERN.test(n))) {
      const dir = path.join(this.root, name);
      const stat = await statOrNull(dir);
      if (stat?.isDirectory() && this.now().getTime() - stat.mtimeMs > maxAgeMs) {
        await fs.rm(dir, { recursive: true, force: true });
        removed.push(name);
      }
    }
    return removed;
  }

  async saveCode(id: string, code: string, expectedVersion?: string): Promise<{ codeVersion: string }> {
    const dir = await this.existingDir(id);
    const handlerFile = await this.handlerFileOf(id, dir);
    const file = path.join(dir, handlerFile);
    if (expectedVersion !== undefined) {
      const current = codeVersionOf((await readOrNull(file)) ?? '');
      if (current !== expectedVersion) {
        throw new FnStudioError('Conflict', `${id}/${handlerFile} changed on disk since it was loaded; reload it or save again to overwrite`);
      }
    }
    await writeFileAtomic(file, code);
    return { codeVersion: codeVersionOf(code) };
  }

  async updateMeta(id: string, patch: FunctionMetaPatch): Promise<FunctionMeta> {
    METHODS['functions.updateMeta']([id, patch]);
    return this.withMetaLock(id, () => this.updateMetaNow(id, patch));
  }

  private withMetaLock<T>(id: string, task: () => Promise<T>): Promise<T> {
    const previous = this.metaLocks.get(id) ?? Promise.resolve();
    const next = previous.catch(() => undefined).then(task);
    const settled = next.catch(() => undefined);
    this.metaLocks.set(id, settled);
    void settled.then(() => {
      if (this.metaLocks.get(id) === settled) this.metaLocks.delete(id);
    });
    return next;
  }

  private async updateMetaNow(id: string, patch: FunctionMetaPatch): Promise<FunctionMeta> {
    const dir = await this.existingDir(id);
    const { meta, raw } = await this.readMetaRaw(id, dir, 'refusing to overwrite it; fix the file or delete it first');
    const updated: FunctionMeta = {
      ...meta,
      ...(patch.displayName !== undefined ? { displayName: patch.displayName.trim() } : {}),
      ...(patch.description !== undefined ? { description: patch.description } : {}),
      ...(patch.settings !== undefined ? { settings: patch.settings.map((s) => ({ ...s })) } : {}),
      ...(patch.strictNetwork !== undefined ? { strictNetwork: patch.strictNetwork } : {}),
      updatedAt: this.now().toISOString(),
    };
    await writeFileAtomic(path.join(dir, META_FILE), serializeMeta(updated, raw));
    return updated;
  }

  async delete(id: string): Promise<void> {
    const dir = await this.existingDir(id);
    await fs.rm(dir, { recursive: true, force: true });
  }

  async listEvents(id: string): Promise<SavedEvent[]> {
    const dir = path.join(await this.existingDir(id), EVENTS_DIR);
    let names: string[];
    try {
      names = await fs.readdir(dir);
    } catch (err) {
      if (errno(err) === 'ENOENT') return [];
      throw err;
    }
    const events = await Promise.all(
      names
        .filter((f) => f.endsWith('.json') && EVENT_NAME_PATTERN.test(f.slice(0, -5)))
        .map(async (f) => {
          const json = await readOrNull(path.join(dir, f));
          return json === null ? null : { name: f.slice(0, -5), json };
        }),
    );
    return events.filter((e): e is SavedEvent => e !== null).sort((a, b) => a.name.localeCompare(b.name));
  }

  async saveEvent(id: string, name: string, json: string): Promise<void> {
    const file = await this.eventFile(id, name);
    try {
      parseJsonText(json, `event "${name}"`);
    } catch (err) {
      if (err instanceof JsonFileError) throw new FnStudioError('InvalidArgument', err.message);
      throw err;
    }
    await fs.mkdir(path.dirname(file), { recursive: true });
    await writeFileAtomic(file, json);
  }

  async deleteEvent(id: string, name: string): Promise<void> {
    const file = await this.eventFile(id, name);
    try {
      await fs.unlink(file);
    } catch (err) {
      if (errno(err) === 'ENOENT') throw new FnStudioError('NotFound', `Function "${id}" has no saved event "${name}"`);
      throw err;
    }
  }

  private async eventFile(id: string, name: string): Promise<string> {
    const problem = eventNameProblem(name);
    if (problem) throw new FnStudioError('InvalidArgument', `Event name ${problem}`);
    return path.join(await this.existingDir(id), EVENTS_DIR, `${name}.json`);
  }

  /** The folder of an existing function; NotFound otherwise. */
  async existingFolder(id: string): Promise<string> {
    return this.existingDir(id);
  }

  private async existingDir(id: string): Promise<string> {
    const dir = this.functionDir(id);
    const stat = await statOrNull(dir);
    if (!stat?.isDirectory()) throw new FnStudioError('NotFound', `No function "${id}" in ${this.root}`);
    return dir;
  }

  private async readMetaRaw(id: string, dir: string, advice?: string): Promise<{ meta: FunctionMeta; raw: Record<string, unknown> }> {
    const text = await readOrNull(path.join(dir, META_FILE));
    const tail = advice ? ` (${advice})` : '';
    if (text === null) throw new FnStudioError('CorruptFunction', `${id}: ${META_FILE} is missing${tail}`);
    const fallback = (await statOrNull(path.join(dir, META_FILE)))?.mtime.toISOString() ?? this.now().toISOString();
    const read = parseMeta(text, fallback);
    if (!read.ok) throw new FnStudioError('CorruptFunction', `${id}: ${read.problem}${tail}`);
    return read;
  }
}

/**
 * A template's mocks.json (rules that make its main path succeed offline), its test cases,
 * and the test values of its ordinary settings, so a new function's first run and
 * `fnstudio test` succeed without any setup.
 */
async function writeTemplateExtras(dir: string, extras: TemplateFiles): Promise<void> {
  if (extras.mocks.length > 0) await writeFileAtomic(path.join(dir, MOCKS_FILE), `${JSON.stringify(extras.mocks, null, 2)}\n`);
  if (extras.tests.length > 0) {
    await fs.mkdir(path.join(dir, TESTS_DIR));
    for (const test of extras.tests) await writeFileAtomic(path.join(dir, TESTS_DIR, test.name), test.text);
  }
  if (Object.keys(extras.testValues).length > 0) {
    await writeTestValuesFile(dir, { values: extras.testValues, secretsSet: [] }, extras.settings);
  }
}

/** Content hash: equal content is the same version whatever the mtime says. */
export function codeVersionOf(code: string): string {
  return createHash('sha256').update(code, 'utf8').digest('base64url').slice(0, 22);
}

function latest(iso: string, mtime: Date | undefined): string {
  if (!mtime) return iso;
  return Date.parse(iso) >= mtime.getTime() ? iso : mtime.toISOString();
}

function errno(err: unknown): string | undefined {
  return (err as NodeJS.ErrnoException | undefined)?.code;
}

async function statOrNull(file: string): Promise<import('node:fs').Stats | null> {
  try {
    return await fs.stat(file);
  } catch (err) {
    if (errno(err) === 'ENOENT' || errno(err) === 'ENOTDIR') return null;
    throw err;
  }
}

async function readOrNull(file: string): Promise<string | null> {
  try {
    return await fs.readFile(file, 'utf8');
  } catch (err) {
    if (errno(err) === 'ENOENT' || errno(err) === 'ENOTDIR') return null;
    throw err;
  }
}
