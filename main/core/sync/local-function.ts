/**
 * A function folder as sync sees it: handler.js (or handler.ts, seen as its compiled
 * JavaScript: what Segment runs), function.json with its `remote` record (which remote,
 * which function, the hashes of code and settings as last pulled or pushed — the base of
 * conflict detection — and times), and a machine-local copy of the base texts in
 * .fnstudio/sync/base.json for three-way views.
 */
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { isPlainObject } from '../../contract/checks';
import type { FunctionMeta, FunctionSetting } from '../../contract/function';
import type { SyncTexts } from '../../contract/sync';
import { writeFileAtomic } from '../atomic-write';
import { META_FILE, parseMeta, serializeMeta } from '../function-meta';
import { BOTH_HANDLERS_PROBLEM, handlerFileIn } from '../handler-file';
import { LOCAL_DIR } from '../run-history';
import { HANDLER_FILE } from '../workspace';
import type { NameSuffix } from './display-name';
import { deployableJavaScript, TS_HANDLER_FILE } from './typescript-source';

export const BASE_FILE = path.join(LOCAL_DIR, 'sync', 'base.json');
const BACKUPS_DIR = path.join(LOCAL_DIR, 'backups');

export interface LinkRecord {
  name: string;
  functionId: string;
  resourceType: 'DESTINATION';
  codeHash: string;
  settingsHash: string;
  nameSuffix: NameSuffix | null;
  pulledAt: string | null;
  pushedAt: string | null;
  /**
   * Set when the code behind codeHash was compiled from handler.ts: codeHash is then the
   * hash of that JavaScript (what Segment has), sourceHash the hash of the TypeScript it
   * came from.
   */
  compiledFrom: { file: typeof TS_HANDLER_FILE; sourceHash: string } | null;
}

export interface LocalFunction {
  dir: string;
  id: string;
  /** The JavaScript Segment would get: handler.js, or handler.ts compiled ('' when it does not compile). */
  code: string;
  handlerFile: typeof HANDLER_FILE | typeof TS_HANDLER_FILE;
  /** For handler.ts: its text, and the syntax error that keeps it from compiling (null when it compiles). */
  typescript: { source: string; problem: string | null } | null;
  meta: FunctionMeta;
  raw: Record<string, unknown>;
  link: LinkRecord | null;
}

export class LocalFunctionError extends Error {
  override readonly name = 'LocalFunctionError';
}

export function codeHash(code: string): string {
  return createHash('sha256').update(code, 'utf8').digest('hex').slice(0, 32);
}

/** Field order fixed, so the same schema always hashes the same. */
export function settingsHash(settings: readonly FunctionSetting[]): string {
  return codeHash(settingsText(settings));
}

export function settingsText(settings: readonly FunctionSetting[]): string {
  const canonical = settings.map((s) => ({ name: s.name, label: s.label, description: s.description, type: s.type, required: s.required, sensitive: s.sensitive }));
  return `${JSON.stringify(canonical, null, 2)}\n`;
}

export function textsOf(code: string, meta: Pick<FunctionMeta, 'settings' | 'displayName' | 'description'>): SyncTexts {
  return { code, settings: settingsText(meta.settings), displayName: meta.displayName, description: meta.description };
}

export async function readLocalFunction(dir: string): Promise<LocalFunction> {
  const metaText = await readOrNull(path.join(dir, META_FILE));
  if (metaText === null) {
    const isDir = await fs.stat(dir).then((s) => s.isDirectory(), () => false);
    throw new LocalFunctionError(isDir ? `${dir}: not a function folder: it has no ${META_FILE}` : `${dir}: no such folder`);
  }
  const read = parseMeta(metaText, new Date(0).toISOString());
  if (!read.ok) throw new LocalFunctionError(`${dir}: ${read.problem}`);
  const handler = await handlerFileIn(dir);
  if (handler === 'both') throw new LocalFunctionError(`${dir}: ${BOTH_HANDLERS_PROBLEM}`);
  const base = { dir, id: path.basename(dir), meta: read.meta, raw: read.raw, link: parseLink(read.raw.remote, dir) };
  if (handler === TS_HANDLER_FILE) {
    const source = (await readOrNull(path.join(dir, TS_HANDLER_FILE))) ?? '';
    const compiled = deployableJavaScript(source, path.join(dir, TS_HANDLER_FILE));
    return { ...base, handlerFile: TS_HANDLER_FILE, code: compiled.ok ? compiled.js : '', typescript: { source, problem: compiled.ok ? null : compiled.problem } };
  }
  const code = (await readOrNull(path.join(dir, HANDLER_FILE))) ?? '';
  return { ...base, handlerFile: HANDLER_FILE, code, typescript: null };
}

function parseLink(value: unknown, dir: string): LinkRecord | null {
  if (value === undefined || value === null) return null;
  const bad = (what: string): never => {
    throw new LocalFunctionError(`${path.join(dir, META_FILE)}: field "remote" ${what}; fix it, or delete the field to unlink the function`);
  };
  if (!isPlainObject(value)) return bad('must be an object');
  for (const key of ['name', 'functionId', 'codeHash', 'settingsHash']) {
    if (typeof value[key] !== 'string' || value[key] === '') bad(`needs a "${key}" string`);
  }
  const suffix = value.nameSuffix;
  const evidence = isPlainObject(suffix) ? suffix.evidence : undefined;
  const nameSuffix: NameSuffix | null = isPlainObject(suffix) && typeof suffix.text === 'string' && (evidence === 'observed' || evidence === 'inferred')
    ? { text: suffix.text, evidence }
    : null;
  return {
    name: value.name as string,
    functionId: value.functionId as string,
    resourceType: 'DESTINATION',
    codeHash: value.codeHash as string,
    settingsHash: value.settingsHash as string,
    nameSuffix,
    pulledAt: typeof value.pulledAt === 'string' ? value.pulledAt : null,
    pushedAt: typeof value.pushedAt === 'string' ? value.pushedAt : null,
    compiledFrom: parseCompiledFrom(value.compiledFrom),
  };
}

function parseCompiledFrom(value: unknown): LinkRecord['compiledFrom'] {
  // Informative only (codeHash decides): an unreadable one is dropped, not an error.
  return isPlainObject(value) && value.file === TS_HANDLER_FILE && typeof value.sourceHash === 'string' ? { file: TS_HANDLER_FILE, sourceHash: value.sourceHash } : null;
}

/** Writes function.json with this meta and link, keeping every other field as it was. */
export async function writeMeta(dir: string, meta: FunctionMeta, raw: Record<string, unknown>, link: LinkRecord | null): Promise<void> {
  const extra: Record<string, unknown> = { ...raw };
  delete extra.remote;
  if (link) extra.remote = linkOnDisk(link);
  await writeFileAtomic(path.join(dir, META_FILE), serializeMeta(meta, extra));
}

/** The record as function.json keeps it: a handler.js function's has no compiledFrom field, as always. */
export function linkOnDisk(link: LinkRecord): Record<string, unknown> {
  const { compiledFrom, ...rest } = link;
  return compiledFrom ? { ...link } : rest;
}

export async function writeBase(dir: string, texts: SyncTexts): Promise<void> {
  await fs.mkdir(path.join(dir, LOCAL_DIR, 'sync'), { recursive: true });
  await writeFileAtomic(path.join(dir, BASE_FILE), `${JSON.stringify(texts, null, 2)}\n`);
}

export async function readBase(dir: string, link: LinkRecord): Promise<SyncTexts | null> {
  const text = await readOrNull(path.join(dir, BASE_FILE));
  if (text === null) return null;
  try {
    const base = JSON.parse(text) as SyncTexts;
    // A base copy from another link (re-linked folder) would mislead the three-way view.
    return typeof base.code === 'string' && codeHash(base.code) === link.codeHash ? base : null;
  } catch {
    return null;
  }
}

/**
 * Keeps copies of files about to be replaced under .fnstudio/backups/<time>-<reason>/;
 * returns that folder.
 */
export async function backup(dir: string, reason: string, files: Record<string, string>, now: Date): Promise<string> {
  const stamp = now.toISOString().replace(/[:.]/g, '-');
  let target = path.join(dir, BACKUPS_DIR, `${stamp}-${reason}`);
  for (let n = 2; await exists(target); n++) target = path.join(dir, BACKUPS_DIR, `${stamp}-${reason}-${n}`);
  await fs.mkdir(target, { recursive: true });
  for (const [name, content] of Object.entries(files)) await writeFileAtomic(path.join(target, name), content);
  return target;
}

async function exists(p: string): Promise<boolean> {
  return fs.stat(p).then(() => true, () => false);
}

async function readOrNull(file: string): Promise<string | null> {
  try {
    return await fs.readFile(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return null;
    throw err;
  }
}
