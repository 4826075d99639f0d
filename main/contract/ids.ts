/**
 * Names that become file or folder names. Checked on both sides of the wire, and again
 * in core before touching the disk: these rules are what keeps paths inside the workspace.
 */

/** Function id = folder name: lower-case slug, no dots, so never `..` or a hidden folder. */
const FUNCTION_ID_PATTERN = /^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$/;

/** Saved event name = file name without `.json`. */
export const EVENT_NAME_PATTERN = /^[A-Za-z0-9](?:[A-Za-z0-9 _-]{0,62}[A-Za-z0-9_-])?$/;

/** Setting names are code identifiers (`settings.apiKey`). */
export const SETTING_NAME_PATTERN = /^[A-Za-z_$][A-Za-z0-9_$]{0,99}$/;

/** Returns a problem description, or null when `id` is a valid function id. */
export function functionIdProblem(id: unknown): string | null {
  if (typeof id !== 'string') return `must be a string, got ${describeType(id)}`;
  if (id.length === 0) return 'must not be empty';
  if (!FUNCTION_ID_PATTERN.test(id)) {
    return `"${truncate(id)}" is not a valid function id (lower-case letters, digits and inner dashes, at most 64 characters)`;
  }
  return null;
}

export function eventNameProblem(name: unknown): string | null {
  if (typeof name !== 'string') return `must be a string, got ${describeType(name)}`;
  if (name.length === 0) return 'must not be empty';
  if (!EVENT_NAME_PATTERN.test(name)) {
    return `"${truncate(name)}" is not a valid event name (letters, digits, spaces, "_" and "-", at most 64 characters, starting with a letter or digit)`;
  }
  return null;
}

export function settingNameProblem(name: unknown): string | null {
  if (typeof name !== 'string') return `must be a string, got ${describeType(name)}`;
  if (!SETTING_NAME_PATTERN.test(name)) {
    return `"${truncate(name)}" is not a valid setting name (a JavaScript identifier such as apiKey)`;
  }
  return null;
}

/** A display name → a folder-safe slug (may be empty; the caller picks a fallback). */
export function slugify(displayName: string): string {
  return displayName
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 56)
    .replace(/-+$/g, '');
}

export function describeType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : typeof value;
}

function truncate(text: string): string {
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
