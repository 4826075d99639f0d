/**
 * The settings object a CLI run passes to the handler. This is the ONE place that
 * decides it: the function folder's stored test values (settings.local.json) and its
 * encrypted settings from the OS keychain, overridden by `--settings <file.json>`, checked
 * against function.json's schema by core's resolver.
 */
import type { FunctionSetting } from '../contract/function';
import type { Outcome } from '../contract/outcome';
import { readJsonFile } from '../core/json-file';
import { redactOutcome, secretStrings } from '../core/redact';
import { KeytarSecretStore } from '../core/secrets';
import type { SecretStore } from '../core/secrets';
import { resolveSettings as resolveStoredSettings, type ResolvedSettings } from '../core/settings';
import { looksSecret } from '../core/settings/secret-names';
import { InputError } from './cli-error';

export { InvalidSettingsError, invalidSettingsOutcome, type ResolvedSettings } from '../core/settings';

export interface SettingsSource {
  /** The function folder, or null for a bare handler file. */
  functionDir: string | null;
  /** The folder's name: the id its keychain entries are stored under. */
  functionId: string;
  /** Settings schema from function.json, or null when there is none. */
  schema: FunctionSetting[] | null;
  /** `--settings <file.json>`: values that override everything else. */
  settingsFile: string | null;
  /** `--secret NAME`: settings whose values are masked in output whatever their name. */
  secretNames?: readonly string[];
}

/**
 * Rejects InvalidSettingsError when the run must not happen (e.g. a required setting has
 * no value, or the keychain holding an encrypted one is locked); the run command shows
 * that as an 'Invalid Settings' outcome, as Segment would. `secretStore` is replaceable
 * for tests; by default the OS keychain, opened only if an encrypted value is needed.
 */
export async function resolveSettings(
  source: SettingsSource,
  secretStore: SecretStore = new KeytarSecretStore(),
): Promise<ResolvedSettings> {
  const overrides = source.settingsFile === null ? undefined : await readSettingsFile(source.settingsFile);
  const resolved = await resolveStoredSettings({
    functionDir: source.functionDir,
    functionId: source.functionId,
    schema: source.schema,
    overrides,
    secretStore,
  });
  return { values: resolved.values, secrets: [...resolved.secrets, ...undeclaredSecrets(resolved.values, source)] };
}

/**
 * Values to mask beyond the schema's encrypted settings: those named with --secret, and
 * those function.json does not declare (all of them for a bare handler.js) whose names look
 * secret. A declared setting keeps what its schema says ("sensitive").
 */
function undeclaredSecrets(values: Record<string, unknown>, source: SettingsSource): string[] {
  const marked = source.secretNames ?? [];
  const unknown = marked.filter((name) => !Object.prototype.hasOwnProperty.call(values, name));
  if (unknown.length > 0) {
    const given = Object.keys(values);
    throw new InputError(
      `--secret ${unknown[0]}: there is no setting of that name to mask (${given.length > 0 ? `settings given: ${given.join(', ')}` : 'no settings were given'})`,
    );
  }
  const declared = new Set((source.schema ?? []).map((s) => s.name));
  return Object.entries(values)
    .filter(([name]) => marked.includes(name) || (!declared.has(name) && looksSecret(name)))
    .flatMap(([, value]) => secretStrings(value));
}

async function readSettingsFile(file: string): Promise<Record<string, unknown>> {
  const value = await readJsonFile(file);
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new InputError(`${file}: settings must be a JSON object of setting names to values, e.g. {"apiKey": "…"}`);
  }
  return value as Record<string, unknown>;
}

/** Hides secret values (and their encoded forms) in an outcome before it is printed. */
export function protectSecrets(outcome: Outcome, secrets: readonly string[]): Outcome {
  return secrets.length === 0 ? outcome : redactOutcome(outcome, secrets);
}
