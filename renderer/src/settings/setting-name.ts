/**
 * Setting names as the builder derives and checks them. The renderer cannot import core,
 * so these mirror core's rules (core/settings/schema.ts and the contract's
 * SETTING_NAME_PATTERN, which the host enforces again on save).
 */
import { SETTING_NAME_PATTERN } from '../../../main/contract';

const MAX_LABEL_LENGTH = 200;
const MAX_DESCRIPTION_LENGTH = 2000;
const MAX_NAME_LENGTH = 100;

/**
 * The camelCase identifier Segment's builder derives from a label: "API Key" → "apiKey",
 * "Endpoint URL (EU)" → "endpointUrlEu". A label without letters or digits gives "" (the
 * form then asks for a name); a leading digit gets a "_" prefix.
 */
export function nameFromLabel(label: string): string {
  const words = label
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    // Keep camelCase words recognisable: "myApiKey" → my / Api / Key.
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .split(/[^A-Za-z0-9]+/)
    .filter((w) => w.length > 0)
    .map((w) => w.toLowerCase());
  if (words.length === 0) return '';
  const name = words.map((w, i) => (i === 0 ? w : w[0].toUpperCase() + w.slice(1))).join('');
  return (/^[0-9]/.test(name) ? `_${name}` : name).slice(0, MAX_NAME_LENGTH);
}

/** What is wrong with `name` among the other settings' names, or null. */
export function settingNameProblem(name: string, otherNames: Iterable<string>): string | null {
  if (name === '') return 'Name is required (it is how your code reads the value: settings.apiKey).';
  if (name.length > MAX_NAME_LENGTH) return `Name is too long (at most ${MAX_NAME_LENGTH} characters).`;
  if (!SETTING_NAME_PATTERN.test(name)) {
    return /^[0-9]/.test(name)
      ? 'Name must not start with a digit (it must be a JavaScript identifier).'
      : 'Name must be a JavaScript identifier: letters, digits, _ or $ (no spaces or dashes).';
  }
  for (const other of otherNames) {
    if (other === name) return `Another setting is already named “${name}”; names must be unique.`;
  }
  return null;
}

export function settingLabelProblem(label: string): string | null {
  if (label.trim() === '') return 'Label is required.';
  if (label.length > MAX_LABEL_LENGTH) return `Label is too long (at most ${MAX_LABEL_LENGTH} characters).`;
  return null;
}

export function settingDescriptionProblem(description: string): string | null {
  if (description.length > MAX_DESCRIPTION_LENGTH) return `Description is too long (at most ${MAX_DESCRIPTION_LENGTH} characters).`;
  return null;
}
