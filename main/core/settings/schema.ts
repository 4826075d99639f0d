/**
 * The settings schema a function's author designs (function.json's `settings`, Segment's
 * FunctionSettingV1 shape) and the rules values must follow to match it.
 */
import { FnStudioError } from '../../contract/errors';
import type { FunctionSetting, SettingType } from '../../contract/function';
import { describeType } from '../../contract/ids';
import { settingsListCheck } from '../../contract/methods';

/**
 * Checks a whole settings list (each name a JS identifier and unique, label non-empty,
 * type one of the four, flags booleans) and returns it typed. `source` prefixes the
 * message, e.g. "function.json".
 */
export function validateSettingsSchema(value: unknown, source = 'settings'): FunctionSetting[] {
  const problem = settingsListCheck(value);
  if (problem) throw new FnStudioError('InvalidArgument', `${source}: ${problem.startsWith('[') ? `settings${problem}` : `settings ${problem}`}`);
  return value as FunctionSetting[];
}

/**
 * The identifier Segment's settings builder derives from a label: camelCase, ASCII,
 * e.g. "API Key" → "apiKey", "Endpoint URL (EU)" → "endpointUrlEu". A label without
 * letters or digits gives "setting"; a leading digit gets a "_" prefix.
 */
export function nameFromLabel(label: string): string {
  const words = label
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    // Split camelCase inside words ("myApiKey" stays recognisable as my/Api/Key).
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .split(/[^A-Za-z0-9]+/)
    .filter((w) => w.length > 0)
    .map((w) => w.toLowerCase());
  if (words.length === 0) return 'setting';
  const name = words.map((w, i) => (i === 0 ? w : w[0].toUpperCase() + w.slice(1))).join('');
  const safe = /^[0-9]/.test(name) ? `_${name}` : name;
  return safe.slice(0, 100);
}

/** `base`, or `base2`, `base3`… whichever is not among `taken`. */
export function uniqueSettingName(base: string, taken: Iterable<string>): string {
  const used = new Set(taken);
  if (!used.has(base)) return base;
  for (let n = 2; ; n++) {
    const candidate = `${base}${n}`;
    if (!used.has(candidate)) return candidate;
  }
}

const TYPE_WORDS: Record<SettingType, string> = {
  STRING: 'a string',
  BOOLEAN: 'true or false',
  TEXT_MAP: 'an object of string values',
  ARRAY: 'an array of strings',
};

/** What a value of this type must be, e.g. "an array of strings (ARRAY)". */
export function expectedValueText(type: SettingType): string {
  return `${TYPE_WORDS[type]} (${type})`;
}

/** null when `value` fits the setting's type, else what is wrong, without the setting's name. */
export function settingValueProblem(type: SettingType, value: unknown): string | null {
  const ok = (() => {
    switch (type) {
      case 'STRING':
        return typeof value === 'string';
      case 'BOOLEAN':
        return typeof value === 'boolean';
      case 'ARRAY':
        return Array.isArray(value) && value.every((v) => typeof v === 'string');
      case 'TEXT_MAP':
        return (
          value !== null &&
          typeof value === 'object' &&
          !Array.isArray(value) &&
          Object.values(value).every((v) => typeof v === 'string')
        );
    }
  })();
  if (ok) return null;
  return `must be ${expectedValueText(type)}, got ${describeValue(value)}`;
}

/** A value that counts as "not given" for a required setting. */
export function isEmptySettingValue(value: unknown): boolean {
  if (value === undefined || value === null || value === '') return true;
  if (Array.isArray(value)) return value.length === 0;
  if (typeof value === 'object') return Object.keys(value).length === 0;
  return false;
}

export function findSetting(schema: readonly FunctionSetting[], name: string): FunctionSetting | undefined {
  return schema.find((s) => s.name === name);
}

/** How a setting is named in messages: `"API Key" (apiKey)`. */
export function settingDisplay(setting: Pick<FunctionSetting, 'name' | 'label'>): string {
  return setting.label && setting.label !== setting.name ? `"${setting.label}" (${setting.name})` : `"${setting.name}"`;
}

function describeValue(value: unknown): string {
  if (Array.isArray(value)) {
    const bad: unknown = (value as unknown[]).find((v) => typeof v !== 'string');
    return bad === undefined ? 'an array' : `an array containing ${describeType(bad)}`;
  }
  if (value !== null && typeof value === 'object') {
    const bad = Object.entries(value).find(([, v]) => typeof v !== 'string');
    return bad ? `an object whose "${bad[0]}" is ${describeType(bad[1])}` : 'an object';
  }
  if (typeof value === 'string') return 'a string';
  return describeType(value);
}
