/**
 * The contract's `remotes.*` and `sync.*` over RemoteStore and SyncEngine, for the app's
 * hosts. Failures cross the wire with contract names: a remote's refusal or failure is
 * RemoteFailed, bad local input is InvalidArgument. Waits (rate limits, retries) are
 * pushed to the UI as `remote.wait` host events.
 */
import * as path from 'node:path';
import type { RemotesService, SyncService } from '../../contract/api';
import { FnStudioError } from '../../contract/errors';
import type { HostEvent } from '../../contract/transport';
import type { Runtime } from '../../../runtime/api';
import { ApiUrlError } from '../remote/api-url';
import { FunctionsClient, type FunctionsClientOptions } from '../remote/functions-client';
import { RemoteError } from '../remote/remote-error';
import { RemoteConfigError, type RemoteStore } from '../remote/remotes';
import { runtimeCompileCheck } from './compile-check';
import { LocalFunctionError } from './local-function';
import { SyncEngine, SyncInputError } from './sync-engine';

export interface SyncServicesOptions {
  /** The workspace folder in use now (it can move). */
  root: () => string;
  /** Null when there is no keychain to keep tokens in: every call then says so. */
  remoteStore: RemoteStore | null;
  runtime: Runtime;
  emit: (event: HostEvent) => void;
  clientOptions?: Partial<FunctionsClientOptions>;
}

export function createSyncServices(options: SyncServicesOptions): { remotes: RemotesService; sync: SyncService } {
  const store = (): RemoteStore => {
    if (!options.remoteStore) throw new FnStudioError('KeychainUnavailable', 'Segment workspaces need the OS keychain to keep their tokens, and this host has none');
    return options.remoteStore;
  };
  const engine = new SyncEngine({
    connect: async (remoteName) => {
      const connection = await store().connect(remoteName, { env: {} });
      return new FunctionsClient({
        ...options.clientOptions,
        apiUrl: connection.apiUrl,
        token: connection.token,
        onWait: (notice) => options.emit({ type: 'remote.wait', remoteName, reason: notice.reason, waitMs: notice.waitMs, operation: notice.operation }),
      });
    },
    compileCheck: (code) => runtimeCompileCheck(options.runtime)(code),
  });
  const dir = (functionId: string): string => path.join(options.root(), functionId);

  const remotes: RemotesService = {
    list: () => wrap(async () => (await store().list()).map((r) => ({ ...r }))),
    add: (input) => wrap(async () => store().add(input)),
    remove: (name) => wrap(() => store().remove(name)),
  };
  const sync: SyncService = {
    listRemote: (remoteName) => wrap(() => engine.listRemote(remoteName, options.root())),
    pull: (remoteName, selection) => wrap(() => engine.pull(options.root(), remoteName, selection)),
    status: () => wrap(() => engine.statusAll(options.root())),
    statusOf: (functionId) => wrap(() => engine.status(dir(functionId))),
    previewPush: (functionId, remoteName) => wrap(() => engine.previewPush(dir(functionId), remoteName)),
    push: (functionId, pushOptions) => wrap(() => engine.push(dir(functionId), { deploy: pushOptions.deploy, remoteName: pushOptions.remoteName })),
    resolve: (functionId, choice) => wrap(() => engine.resolve(dir(functionId), choice)),
    unlink: (functionId) => wrap(() => engine.unlink(dir(functionId))),
    versions: (functionId) => wrap(() => engine.versions(dir(functionId))),
    versionCode: (functionId, versionId) => wrap(() => engine.versionCode(dir(functionId), versionId)),
    restore: (functionId, versionId) => wrap(() => engine.restore(dir(functionId), versionId)),
  };
  return { remotes, sync };
}

async function wrap<T>(task: () => Promise<T>): Promise<T> {
  try {
    return await task();
  } catch (err) {
    if (err instanceof RemoteError) throw new FnStudioError('RemoteFailed', err.message);
    if (err instanceof SyncInputError || err instanceof LocalFunctionError || err instanceof RemoteConfigError || err instanceof ApiUrlError) {
      throw new FnStudioError('InvalidArgument', err.message);
    }
    throw err;
  }
}
