/**
 * The per-folder services as the contract exposes them: every call goes to the folder in
 * use when it is made; a call already under way finishes in its own folder.
 */
import type { FunctionsService, HistoryService, MocksService, ReplayService, RunnerService, SettingsService } from '../contract/api';
import type { WorkspaceInUse } from './workspace-in-use';

export interface RoutedServices {
  functions: FunctionsService;
  mocks: MocksService;
  history: HistoryService;
  settings: SettingsService;
  runner: RunnerService;
  replay: ReplayService;
}

export function routeToWorkspaceInUse(inUse: WorkspaceInUse): RoutedServices {
  const current = () => inUse.current;
  return {
    functions: {
      list: () => current().functions.list(),
      get: (id) => current().functions.get(id),
      create: (input) => current().functions.create(input),
      saveCode: (id, code, expectedVersion) => current().functions.saveCode(id, code, expectedVersion),
      updateMeta: (id, patch) => current().functions.updateMeta(id, patch),
      delete: (id) => current().functions.delete(id),
      listEvents: (id) => current().functions.listEvents(id),
      saveEvent: (id, name, json) => current().functions.saveEvent(id, name, json),
      deleteEvent: (id, name) => current().functions.deleteEvent(id, name),
    },
    mocks: {
      get: (functionId) => current().mocks.get(functionId),
      check: (json) => current().mocks.check(json),
      set: (functionId, json) => current().mocks.set(functionId, json),
    },
    history: {
      list: (functionId) => current().history.list(functionId),
      get: (functionId, runId) => current().history.get(functionId, runId),
    },
    settings: {
      getTestValues: (functionId) => current().settings.getTestValues(functionId),
      setTestValue: (functionId, name, value) => current().settings.setTestValue(functionId, name, value),
      revealSecret: (functionId, name) => current().settings.revealSecret(functionId, name),
    },
    runner: {
      // A run is pinned to the folder it started in.
      run: (req) =>
        inUse.pinned(async (bundle) => {
          const startedAt = new Date();
          const outcome = await bundle.runner.run(req);
          // The history is a convenience: failing to keep a run must not fail the run.
          await bundle.history.record(req, outcome, startedAt).catch((err: Error) => console.warn(`fnstudio: could not keep run in history: ${err.message}`));
          return outcome;
        }),
      async cancel(runId) {
        await Promise.all(inUse.live().map((b) => b.runner.cancel(runId)));
      },
    },
    // Replays run in the folder in use when they start; records are read from the current one.
    replay: {
      start: (req) => current().replay.start(req),
      cancel: async (runId) => {
        await Promise.all(inUse.live().map((b) => b.replay.cancel(runId)));
      },
      list: (functionId) => current().replay.list(functionId),
      summary: (functionId, runId) => current().replay.summary(functionId, runId),
      events: (functionId, runId, query) => current().replay.events(functionId, runId, query),
      detail: (functionId, runId, seq) => current().replay.detail(functionId, runId, seq),
      delete: (functionId, runId) => current().replay.delete(functionId, runId),
      getFilters: (functionId) => current().replay.getFilters(functionId),
      saveFilters: (functionId, filters) => current().replay.saveFilters(functionId, filters),
      uploadBegin: (name, size) => current().replay.uploadBegin(name, size),
      uploadChunk: (uploadId, offset, dataBase64) => current().replay.uploadChunk(uploadId, offset, dataBase64),
      uploadDiscard: (uploadId) => current().replay.uploadDiscard(uploadId),
    },
  };
}
