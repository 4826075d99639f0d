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

/** What the stored value (as getTestValues returns it) means for a type, for display. */
export function describeStoredValue(type: SettingType, value: unknown): string {
  if (value === undefined || value === null) return 'not set';
  switch (type) {
    case 'BOOLEAN':
      return value === true ? 'on' : 'off';
    case 'ARRAY':
      return Array.isArray(value) ? `${value.length} item${value.length === 1 ? '' : 's'}` : 'not a list';
    case 'TEXT_MAP':
      return typeof value === 'object' && !Array.isArray(value) ? `${Object.keys(value).length} key${Object.keys(value).length === 1 ? '' : 's'}` : 'not a map';
    case 'STRING':
      return typeof value === 'string' ? 'set' : 'not text';
  }
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
