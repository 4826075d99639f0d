/**
 * What `fnstudio run <target>` runs: a handler file, or a function folder
 * (handler.js + function.json, as the studio's workspace stores them).
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { FunctionSetting, SettingType } from '../contract/function';
import { SETTING_TYPES } from '../contract/function';
import { readJsonFile, readTextFile } from '../core/json-file';
import { InputError } from './cli-error';
import { BOTH_HANDLERS_PROBLEM, handlerFileIn } from '../core/handler-file';
import { compileTypeScriptHandler, isTypeScriptHandler, TypeScriptCompileError, type CompiledHandler } from '../core/typescript-handler';

export interface FunctionTarget {
  /** Identity of the warm instance in the runtime. */
  functionId: string;
  code: string;
  /** Name used in stack frames. */
  filename: string;
  /** The function folder, or null when a bare handler file was given. */
  functionDir: string | null;
  /** The folder's settings schema from function.json, or null without one. */
  schema: FunctionSetting[] | null;
  /** For handler.ts: `code` is its compiled JavaScript, and this maps what a run reports back. */
  compiled: CompiledHandler | null;
  /** The folder's strict-network setting (function.json "strictNetwork"); false without one. */
  strictNetwork: boolean;
}

const HANDLER_FILE = 'handler.js';
export const META_FILE = 'function.json';

export async function loadFunctionTarget(target: string): Promise<FunctionTarget> {
  let stat;
  try {
    stat = await fs.stat(target);
  } catch {
    throw new InputError(`${target}: no such file or folder (expected a handler .js or .ts file or a function folder)`);
  }
  if (stat.isDirectory()) return loadFolder(target);
  const source = await readTextFile(target);
  const filename = path.basename(target);
  return {
    functionId: `file:${path.resolve(target)}`,
    ...compiledIfTypeScript(source, filename, target),
    filename,
    functionDir: null,
    schema: null,
    strictNetwork: false,
  };
}

async function loadFolder(dir: string): Promise<FunctionTarget> {
  const found = await handlerFileIn(dir);
  if (found === 'both') throw new InputError(`${dir}: ${BOTH_HANDLERS_PROBLEM}`);
  if (found === null) throw new InputError(`${dir}: not a function folder: it has no ${HANDLER_FILE} (or handler.ts)`);
  const handler = path.join(dir, found);
  let source: string;
  try {
    source = await fs.readFile(handler, 'utf8');
  } catch (err) {
    throw new InputError(`${handler}: cannot read the file: ${(err as Error).message}`);
  }
  const metaFile = path.join(dir, META_FILE);
  const schema = await readSettingsSchema(dir);
  const strictNetwork = schema === null ? false : strictNetworkOf(await readJsonFile(metaFile), metaFile);
  return {
    functionId: path.basename(path.resolve(dir)),
    ...compiledIfTypeScript(source, found, handler),
    filename: found,
    functionDir: dir,
    schema,
    strictNetwork,
  };
}

/** TypeScript runs as its compiled JavaScript; a syntax error is bad input, said as such. */
function compiledIfTypeScript(source: string, filename: string, shownAs: string): Pick<FunctionTarget, 'code' | 'compiled'> {
  if (!isTypeScriptHandler(filename)) return { code: source, compiled: null };
  try {
    const compiled = compileTypeScriptHandler(source, filename);
    return { code: compiled.js, compiled };
  } catch (err) {
    if (err instanceof TypeScriptCompileError) throw new InputError(`${shownAs}: cannot compile the TypeScript: ${err.message}`);
    throw err;
  }
}

/** The settings a function folder's function.json declares; null without function.json. */
export async function readSettingsSchema(dir: string): Promise<FunctionSetting[] | null> {
  const metaFile = path.join(dir, META_FILE);
  try {
    await fs.access(metaFile);
  } catch (err) {
    // A folder without function.json simply has no settings schema.
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
  return settingsSchema(await readJsonFile(metaFile), metaFile);
}

/** function.json's "strictNetwork" (settingsSchema has checked that meta is an object). */
function strictNetworkOf(meta: unknown, file: string): boolean {
  const value = (meta as { strictNetwork?: unknown }).strictNetwork;
  if (value !== undefined && typeof value !== 'boolean') throw new InputError(`${file}: 'strictNetwork' must be true or false`);
  return value === true;
}

/** The `settings` array of function.json, checked enough to resolve settings against. */
function settingsSchema(meta: unknown, file: string): FunctionSetting[] {
  if (typeof meta !== 'object' || meta === null || Array.isArray(meta)) {
    throw new InputError(`${file}: expected a JSON object (the function's metadata)`);
  }
  const raw = (meta as { settings?: unknown }).settings;
  if (raw === undefined) return [];
  if (!Array.isArray(raw)) throw new InputError(`${file}: 'settings' must be an array of settings`);
  return raw.map((entry: unknown, i): FunctionSetting => {
    const where = `${file}: settings[${i}]`;
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
      throw new InputError(`${where}: expected an object like {"name": "apiKey", "type": "STRING", ...}`);
    }
    const s = entry as Record<string, unknown>;
    if (typeof s.name !== 'string' || !/^[A-Za-z_$][\w$]*$/.test(s.name)) {
      throw new InputError(`${where}: 'name' must be a JavaScript identifier (the name used as settings.<name>)`);
    }
    const type = s.type ?? 'STRING';
    if (typeof type !== 'string' || !(SETTING_TYPES as readonly string[]).includes(type)) {
      throw new InputError(`${where} (${s.name}): 'type' must be one of ${SETTING_TYPES.join(', ')}`);
    }
    for (const flag of ['required', 'sensitive'] as const) {
      if (s[flag] !== undefined && typeof s[flag] !== 'boolean') {
        throw new InputError(`${where} (${s.name}): '${flag}' must be true or false`);
      }
    }
    return {
      name: s.name,
      label: typeof s.label === 'string' ? s.label : s.name,
      description: typeof s.description === 'string' ? s.description : '',
      type: type as SettingType,
      required: s.required === true,
      sensitive: s.sensitive === true,
    };
  });
}
