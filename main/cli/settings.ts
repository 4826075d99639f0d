/**
 * The settings object a CLI run passes to the handler. This is the ONE place that
 * decides it, so schema/keychain-based resolution (test values file, OS keychain for
 * encrypted settings) can replace the body of `resolveSettings` without touching the
 * run command.
 */
import type { FunctionSetting } from '../contract/function';
import type { Outcome } from '../contract/outcome';
import { readJsonFile } from '../core/json-file';
import { redactOutcome } from '../core/redact';
import { InputError } from './cli-error';

export interface SettingsSource {
  /** The function folder, or null for a bare handler file. */
  functionDir: string | null;
  functionId: string;
  /** Settings schema from function.json, or null when there is none. */
  schema: FunctionSetting[] | null;
  /** `--settings <file.json>`: values that override everything else. */
  settingsFile: string | null;
}

export interface ResolvedSettings {
  values: Record<string, unknown>;
  /** Values of encrypted (sensitive) settings: masked in everything the CLI prints. */
  secrets: string[];
}

/**
 * Configuration that prevents running, e.g. a required setting without a value. The run
 * command turns it into an 'Invalid Settings' outcome (as Segment does) without running.
 */
export class InvalidSettingsError extends Error {
  override readonly name = 'InvalidSettingsError';
}

export async function resolveSettings(source: SettingsSource): Promise<ResolvedSettings> {
  const values = source.settingsFile === null ? {} : await readSettingsFile(source.settingsFile);
  const schema = source.schema ?? [];
  for (const setting of schema) {
    const value = values[setting.name];
    if (setting.required && (value === undefined || value === null || value === '')) {
      throw new InvalidSettingsError(
        `required setting '${setting.name}' (${setting.label}) has no value` +
          (source.settingsFile === null ? ': pass one with --settings <file.json>' : ` in ${source.settingsFile}`),
      );
    }
  }
  const secrets = schema
    .filter((s) => s.sensitive && typeof values[s.name] === 'string' && values[s.name] !== '')
    .map((s) => values[s.name] as string);
  return { values, secrets };
}

async function readSettingsFile(file: string): Promise<Record<string, unknown>> {
  const value = await readJsonFile(file);
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new InputError(`${file}: settings must be a JSON object of setting names to values, e.g. {"apiKey": "…"}`);
  }
  return value as Record<string, unknown>;
}

/** The outcome of a run that its settings prevented: the code did not run. */
export function invalidSettingsOutcome(err: InvalidSettingsError): Outcome {
  return {
    outcome: 'Invalid Settings',
    retryable: false,
    error: { name: err.name, message: err.message, stack: `${err.name}: ${err.message}`, frames: [] },
    logs: [],
    logsTruncated: false,
    requests: [],
    result: null,
    durationMs: 0,
  };
}

/** Hides secret values (and their encoded forms) in an outcome before it is printed. */
export function protectSecrets(outcome: Outcome, secrets: readonly string[]): Outcome {
  return secrets.length === 0 ? outcome : redactOutcome(outcome, secrets);
}
