/**
 * Ready-made connections between settings & secrets and the rest of core, so a host (or
 * createCoreServices) wires issue 4 in with a few lines:
 *
 *   const secretStore = new KeytarSecretStore();
 *   const functions = withSettingsLifecycle(workspace, workspace, secretStore);
 *   const settings = createWorkspaceSettingsService(workspace, secretStore);
 *   const resolveSettings = createRunSettingsResolver(workspace, secretStore);
 */
import type { FunctionMetaPatch, FunctionsService, SettingsService } from '../../contract/api';
import type { FunctionMeta, FunctionSetting } from '../../contract/function';
import type { SecretStore } from '../secrets/secret-store';
import { KeychainLockedError, KeychainUnavailableError } from '../secrets/secret-store';
import { deleteFunctionSecrets, diffSettings, reconcileSettingsChange } from './function-settings';
import { resolveSettings, type ResolvedSettings } from './resolve';
import { createSettingsService } from './service';

/** What settings need from the workspace (LocalWorkspace has all of it). */
export interface FunctionLocator {
  /** The function's folder; validates the id. */
  functionDir(id: string): string;
  /** The function's valid meta; rejects NotFound / CorruptFunction. */
  readMeta(id: string): Promise<FunctionMeta>;
}

export function createWorkspaceSettingsService(workspace: FunctionLocator, secretStore: SecretStore): SettingsService {
  return createSettingsService({
    secretStore,
    locate: async (functionId) => {
      const meta = await workspace.readMeta(functionId);
      return { functionDir: workspace.functionDir(functionId), schema: meta.settings };
    },
  });
}

/**
 * The runner's settings hook (core/runner.ts `resolveSettings` option). Rejects
 * InvalidSettingsError when the run must not happen; the runner turns that into
 * `invalidSettingsOutcome(err)` instead of running the code.
 */
export function createRunSettingsResolver(
  workspace: Pick<FunctionLocator, 'functionDir'>,
  secretStore: SecretStore,
): (functionId: string, meta: FunctionMeta) => Promise<ResolvedSettings> {
  return (functionId, meta) =>
    resolveSettings({ functionDir: workspace.functionDir(functionId), functionId, schema: meta.settings, secretStore });
}

/**
 * A FunctionsService whose `updateMeta` keeps stored test values in line with the new
 * settings (renamed settings keep their secret, removed ones lose it) and whose `delete`
 * removes the function's secrets from the keychain before its folder. When secrets would
 * be affected and the keychain is locked or unavailable, both refuse before changing
 * anything, with the keychain's problem as the message.
 */
export function withSettingsLifecycle(functions: FunctionsService, workspace: FunctionLocator, secretStore: SecretStore): FunctionsService {
  const ctxOf = (id: string) => ({ functionDir: workspace.functionDir(id), functionId: id, secretStore });
  const ensureKeychain = async (what: string) => {
    const status = await secretStore.available();
    if (status.available) return;
    const problem = `${status.problem ?? 'keychain unavailable'} (${what})`;
    throw /^keychain locked/.test(problem) ? new KeychainLockedError(problem) : new KeychainUnavailableError(problem);
  };
  const sensitiveOf = (settings: readonly FunctionSetting[]) => settings.filter((s) => s.sensitive).map((s) => s.name);

  return {
    list: () => functions.list(),
    get: (id) => functions.get(id),
    create: (input) => functions.create(input),
    saveCode: (id, code, expectedVersion) => functions.saveCode(id, code, expectedVersion),
    listEvents: (id) => functions.listEvents(id),
    saveEvent: (id, name, json) => functions.saveEvent(id, name, json),
    deleteEvent: (id, name) => functions.deleteEvent(id, name),

    async updateMeta(id: string, patch: FunctionMetaPatch): Promise<FunctionMeta> {
      if (patch.settings === undefined) return functions.updateMeta(id, patch);
      const before = (await workspace.readMeta(id)).settings;
      const change = diffSettings(before, patch.settings);
      const touchesSecrets =
        change.renamed.some((r) => sensitiveOf(before).includes(r.from)) ||
        change.deleted.some((n) => sensitiveOf(before).includes(n)) ||
        change.unencrypted.length > 0 ||
        change.encrypted.length > 0;
      if (touchesSecrets) await ensureKeychain('the settings change moves or deletes encrypted test values; nothing was changed');
      const updated = await functions.updateMeta(id, patch);
      await reconcileSettingsChange(ctxOf(id), before, updated.settings);
      return updated;
    },

    async delete(id: string): Promise<void> {
      let schema: FunctionSetting[] = [];
      try {
        schema = (await workspace.readMeta(id)).settings;
      } catch (err) {
        // A corrupt function.json must stay deletable; the recorded secret names still count.
        if ((err as Error).name !== 'CorruptFunction') throw err;
      }
      await deleteFunctionSecrets(ctxOf(id), schema);
      await functions.delete(id);
    },
  };
}
