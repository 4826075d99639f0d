/**
 * The contract's SettingsService over a workspace: finds a function's folder and schema
 * through the caller (the workspace service owns function.json) and keeps values in
 * settings.local.json and the keychain.
 */
import type { SettingsService } from '../../contract/api';
import type { FunctionSetting, SettingValue, SettingsTestValues } from '../../contract/function';
import type { SecretStore } from '../secrets/secret-store';
import { getTestValues, revealSecret, setTestValue, type FunctionSettingsContext } from './function-settings';

export interface SettingsServiceDeps {
  secretStore: SecretStore;
  /**
   * The function's folder and its current settings schema. Rejects NotFound for an
   * unknown id and CorruptFunction for an unreadable function.json.
   */
  locate(functionId: string): Promise<{ functionDir: string; schema: FunctionSetting[] }>;
}

export function createSettingsService(deps: SettingsServiceDeps): SettingsService {
  const open = async (functionId: string): Promise<{ ctx: FunctionSettingsContext; schema: FunctionSetting[] }> => {
    const { functionDir, schema } = await deps.locate(functionId);
    return { ctx: { functionDir, functionId, secretStore: deps.secretStore }, schema };
  };
  return {
    async getTestValues(functionId: string): Promise<SettingsTestValues> {
      const { ctx, schema } = await open(functionId);
      return getTestValues(ctx, schema);
    },
    async setTestValue(functionId: string, name: string, value: SettingValue): Promise<void> {
      const { ctx, schema } = await open(functionId);
      await setTestValue(ctx, schema, name, value);
    },
    async revealSecret(functionId: string, name: string): Promise<string | null> {
      const { ctx, schema } = await open(functionId);
      return revealSecret(ctx, schema, name);
    },
  };
}
