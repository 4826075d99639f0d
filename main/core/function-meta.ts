/**
 * function.json on disk: reading it strictly enough to name any problem, while keeping
 * fields we do not know (a newer version or a person may have added some) when writing.
 */
import { parseJsonText, JsonFileError } from './json-file';
import { descriptionCheck, displayNameCheck, settingsListCheck } from '../contract/methods';
import { isPlainObject, type Check } from '../contract/checks';
import type { FunctionMeta } from '../contract/function';

export const META_FILE = 'function.json';

const isoDate: Check = (value) =>
  typeof value === 'string' && !Number.isNaN(Date.parse(value)) ? null : 'must be an ISO-8601 date string';

const trueOrFalse: Check = (value) => (typeof value === 'boolean' ? null : 'must be true or false');

export type MetaReadResult =
  | { ok: true; meta: FunctionMeta; raw: Record<string, unknown> }
  | { ok: false; problem: string };

/** Parses function.json text. The problem names the file and the line:col or field. */
export function parseMeta(text: string, fallbackDate: string): MetaReadResult {
  let parsed: unknown;
  try {
    parsed = parseJsonText(text, META_FILE);
  } catch (err) {
    if (err instanceof JsonFileError) return { ok: false, problem: err.message };
    throw err;
  }
  if (!isPlainObject(parsed)) return { ok: false, problem: `${META_FILE}: must contain a JSON object` };
  const problem = metaProblem(parsed);
  if (problem) return { ok: false, problem: `${META_FILE}: ${problem}` };
  const meta: FunctionMeta = {
    displayName: parsed.displayName as string,
    description: (parsed.description as string | undefined) ?? '',
    resourceType: 'DESTINATION',
    settings: (parsed.settings as FunctionMeta['settings'] | undefined) ?? [],
    createdAt: (parsed.createdAt as string | undefined) ?? fallbackDate,
    updatedAt: (parsed.updatedAt as string | undefined) ?? fallbackDate,
    ...(parsed.strictNetwork === undefined ? {} : { strictNetwork: parsed.strictNetwork as boolean }),
  };
  return { ok: true, meta, raw: parsed };
}

/** displayName is required; the rest may be absent (hand-made folders) but not wrong. */
function metaProblem(obj: Record<string, unknown>): string | null {
  if (obj.displayName === undefined) return 'field "displayName" is missing';
  const checks: Array<[string, Check]> = [
    ['displayName', displayNameCheck],
    ['description', descriptionCheck],
    ['settings', settingsListCheck],
    ['createdAt', isoDate],
    ['updatedAt', isoDate],
    ['strictNetwork', trueOrFalse],
  ];
  for (const [field, check] of checks) {
    if (obj[field] === undefined) continue;
    const problem = check(obj[field]);
    if (problem) return `field "${field}" ${problem}`;
  }
  if (obj.resourceType !== undefined && obj.resourceType !== 'DESTINATION') {
    return `field "resourceType" must be "DESTINATION" (only destination functions are supported), got ${JSON.stringify(obj.resourceType)}`;
  }
  return null;
}

/** Stable, diff-friendly text: known fields first, then any extra ones as they were. */
export function serializeMeta(meta: FunctionMeta, extra: Record<string, unknown> = {}): string {
  const ordered: Record<string, unknown> = {
    displayName: meta.displayName,
    description: meta.description,
    resourceType: meta.resourceType,
    settings: meta.settings,
    createdAt: meta.createdAt,
    updatedAt: meta.updatedAt,
  };
  // Only when set, so that an older meta (e.g. one sync built from Segment's fields) keeps
  // the file's own value below instead of dropping it.
  if (meta.strictNetwork !== undefined) ordered.strictNetwork = meta.strictNetwork;
  for (const [key, value] of Object.entries(extra)) {
    if (!(key in ordered)) ordered[key] = value;
  }
  return `${JSON.stringify(ordered, null, 2)}\n`;
}
