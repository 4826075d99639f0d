/**
 * The `settings` argument of a run: test values + keychain secrets + overrides, checked
 * against the function's schema the way Segment checks a destination's configuration
 * before running it. A problem means the code is not run (outcome Invalid Settings).
 */
import type { FunctionSetting } from '../../contract/function';
import type { Outcome } from '../../contract/outcome';
import { secretStrings } from '../redact';
import { KeychainUnavailableError, type SecretStore } from '../secrets/secret-store';
import { decodeSecret, readKnownSecret } from './function-settings';
import { isEmptySettingValue, settingDisplay, settingValueProblem } from './schema';
import { emptyTestValues, readTestValuesFile, TEST_VALUES_FILE } from './test-values-file';

export class InvalidSettingsError extends Error {
  override readonly name = 'InvalidSettingsError';
  /** The setting at fault, when one is. */
  readonly setting: string | null;
  constructor(message: string, setting: string | null = null) {
    super(message);
    this.setting = setting;
  }
}

export interface ResolveSettingsInput {
  /** The function folder, or null for a bare handler file (no stored test values). */
  functionDir: string | null;
  functionId: string;
  /** function.json's settings; null when there is none (then overrides pass through unchecked). */
  schema: readonly FunctionSetting[] | null;
  /** Values that win over stored ones, e.g. from `fnstudio run --settings file.json`. */
  overrides?: Record<string, unknown>;
  secretStore: SecretStore;
}

export interface ResolvedSettings {
  /** The `settings` object handed to the handler. */
  values: Record<string, unknown>;
  /** Plaintext of every encrypted setting's value, for redactOutcome. */
  secrets: string[];
}

export async function resolveSettings(input: ResolveSettingsInput): Promise<ResolvedSettings> {
  const overrides = input.overrides ?? {};
  if (input.schema === null) return { values: { ...overrides }, secrets: [] };
  let file = emptyTestValues();
  if (input.functionDir !== null) {
    try {
      file = await readTestValuesFile(input.functionDir);
    } catch (err) {
      throw new InvalidSettingsError(`cannot read the test values in ${TEST_VALUES_FILE}: ${(err as Error).message}`);
    }
  }
  const has = (obj: Record<string, unknown>, key: string) => Object.prototype.hasOwnProperty.call(obj, key);

  const values: Record<string, unknown> = {};
  const secrets: string[] = [];
  for (const setting of input.schema) {
    let value: unknown;
    if (has(overrides, setting.name)) {
      value = overrides[setting.name];
    } else if (setting.sensitive) {
      if (file.secretsSet.includes(setting.name) && input.functionDir !== null) {
        value = await readSecretForRun(input, setting);
      }
    } else if (has(file.values, setting.name)) {
      value = file.values[setting.name];
    }
    if (value === undefined || value === null) continue;
    values[setting.name] = value;
    if (setting.sensitive) secrets.push(...secretStrings(value));
  }
  // Keys the schema does not know still reach the code when given explicitly: the author
  // may be trying a setting before adding it to function.json.
  for (const [name, value] of Object.entries(overrides)) {
    if (!has(values, name) && !input.schema.some((s) => s.name === name) && value !== undefined) values[name] = value;
  }

  for (const setting of input.schema) {
    const value = values[setting.name];
    if (isEmptySettingValue(value)) {
      if (setting.required) {
        throw new InvalidSettingsError(
          `Missing required setting ${settingDisplay(setting)}${setting.sensitive ? ' (encrypted)' : ''}: give it a test value before running`,
          setting.name,
        );
      }
      continue;
    }
    const problem = settingValueProblem(setting.type, value);
    if (problem) throw new InvalidSettingsError(`Setting ${settingDisplay(setting)} ${problem}`, setting.name);
  }
  return { values, secrets };
}

async function readSecretForRun(input: ResolveSettingsInput, setting: FunctionSetting): Promise<unknown> {
  let stored: string;
  try {
    stored = await readKnownSecret(
      { functionDir: input.functionDir as string, functionId: input.functionId, secretStore: input.secretStore },
      setting.name,
    );
  } catch (err) {
    throw new InvalidSettingsError(
      // The keychain's problem alone: this message already says which setting could not be read.
      `Encrypted setting ${settingDisplay(setting)} cannot be read: ${err instanceof KeychainUnavailableError ? err.problem : (err as Error).message}`,
      setting.name,
    );
  }
  try {
    return decodeSecret(setting, stored);
  } catch (err) {
    throw new InvalidSettingsError((err as Error).message, setting.name);
  }
}

/** The outcome of a run refused for its settings: the code did not run. */
export function invalidSettingsOutcome(err: InvalidSettingsError | Error): Outcome {
  return {
    outcome: 'Invalid Settings',
    retryable: false,
    error: { name: 'InvalidSettingsError', message: err.message, stack: `InvalidSettingsError: ${err.message}`, frames: [] },
    logs: [],
    logsTruncated: false,
    requests: [],
    result: null,
    durationMs: 0,
  };
}
