/**
 * Turning what the preview's inputs hold into the contract's SettingValue, with the
 * problems the author must fix before a value is sent. An empty input clears the value.
 */
import type { SettingType, SettingValue } from '../../../main/contract';

export interface MapRow {
  key: string;
  value: string;
}

export type Parsed = { ok: true; value: SettingValue } | { ok: false; error: string };

export function stringValue(text: string): SettingValue {
  return text === '' ? null : text;
}

export function rowsFromValue(value: unknown): MapRow[] {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return [];
  return Object.entries(value).map(([key, v]) => ({ key, value: typeof v === 'string' ? v : JSON.stringify(v) }));
}

/** Rows → an object of strings; fully empty rows are ignored, no rows at all clears the value. */
export function mapFromRows(rows: readonly MapRow[]): Parsed {
  const map: Record<string, string> = {};
  const seen = new Set<string>();
  for (let i = 0; i < rows.length; i++) {
    const { key, value } = rows[i];
    if (key === '' && value === '') continue;
    if (key.trim() === '') return { ok: false, error: `Row ${i + 1} has a value but no key.` };
    if (seen.has(key)) return { ok: false, error: `Key “${key}” appears twice; keys must be unique.` };
    seen.add(key);
    map[key] = value;
  }
  return { ok: true, value: seen.size === 0 ? null : map };
}

export function itemsFromValue(value: unknown): string[] {
  if (!Array.isArray(value)) return [];
  return value.map((v) => (typeof v === 'string' ? v : JSON.stringify(v)));
}

/** List items → an array of strings; empty items are dropped, an empty list clears the value. */
export function listFromItems(items: readonly string[]): SettingValue {
  const kept = items.filter((item) => item !== '');
  return kept.length === 0 ? null : kept;
}

/**
 * Why a stored test value does not fit its setting's type (e.g. the type changed after the
 * value was entered), or null. Runs would refuse such a value with Invalid Settings.
 */
export function storedValueProblem(type: SettingType, value: unknown): string | null {
  if (value === undefined || value === null) return null;
  const fits =
    type === 'STRING'
      ? typeof value === 'string'
      : type === 'BOOLEAN'
        ? typeof value === 'boolean'
        : type === 'ARRAY'
          ? Array.isArray(value) && value.every((v) => typeof v === 'string')
          : typeof value === 'object' && !Array.isArray(value) && Object.values(value).every((v) => typeof v === 'string');
  if (fits) return null;
  return `The stored test value (${JSON.stringify(value).slice(0, 60)}) is not ${TYPE_WORDS[type]}; enter a new one, or runs are refused with Invalid Settings.`;
}

const TYPE_WORDS: Record<SettingType, string> = {
  STRING: 'text',
  BOOLEAN: 'true or false',
  TEXT_MAP: 'a map of text values',
  ARRAY: 'a list of text values',
};

/** A value that counts as "not given" for a required setting (as the host decides). */
export function isEmptyValue(value: unknown): boolean {
  if (value === undefined || value === null || value === '') return true;
  if (Array.isArray(value)) return value.length === 0;
  if (typeof value === 'object') return Object.keys(value).length === 0;
  return false;
}

/** A revealed secret as the keychain holds it: STRING as is, other types as their JSON text. */
export function revealedText(type: SettingType, stored: string): string {
  if (type === 'STRING') return stored;
  try {
    return JSON.stringify(JSON.parse(stored) as unknown, null, 1).replace(/\n\s*/g, ' ');
  } catch {
    return stored;
  }
}
