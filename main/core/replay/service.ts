/**
 * The `replay.*` service behind the contract: starts replays of a workspace function
 * (progress as host events), cancels them, and lists, reads and deletes their records.
 */
import { existsSync, promises as fs } from 'node:fs';
import path from 'node:path';
import type { ReplayService } from '../../contract/api';
import { FnStudioError } from '../../contract/errors';
import type { FunctionDetail, FunctionMeta } from '../../contract/function';
import { METHODS } from '../../contract/methods';
import type { DestinationFilter, ReplayEventRecord, ReplayStartRequest } from '../../contract/replay';
import type { HostEvent } from '../../contract/transport';
import type { Runtime } from '../../../runtime/api';
import { writeFileAtomic } from '../atomic-write';
import { MOCKS_FILE, readMockRulesFile, MockRulesError } from '../mock-rules';
import type { RunSettings } from '../runner';
import { compileTypeScriptHandler, isTypeScriptHandler, TypeScriptCompileError, type CompiledHandler } from '../typescript-handler';
import { replay } from './engine';
import { FILTERS_FILE, FiltersError, readFiltersFile, validateFilters } from './filters';
import { ReplayInputError, resolveInputs } from './input';
import { sourceMappedRuntime } from './source-mapped-runtime';
import { ReplayUploads } from './uploads';
import { LOCAL_DIR } from '../run-history';
import { deleteRun, listRuns, readDetail, readOutcomes, readSummary, replaysDir, RunRecordError, RunRecordWriter } from './run-record';

const UPLOADS_DIR = 'uploads';

export interface ReplayServiceOptions {
  runtime: Runtime;
  /** The function's folder (validates the id). */
  functionDir(functionId: string): string;
  getFunction(functionId: string): Promise<FunctionDetail>;
  resolveSettings?(functionId: string, meta: FunctionMeta): Promise<RunSettings>;
  emit(event: HostEvent): void;
  /** Where files dropped in the browser are uploaded (one store for the whole host). */
  uploads?: ReplayUploads;
}

export function createReplayService(options: ReplayServiceOptions): ReplayService {
  const running = new Map<string, AbortController>();
  const uploads = options.uploads ?? new ReplayUploads();

  const recorded = async <T>(work: () => Promise<T>): Promise<T> => {
    try {
      return await work();
    } catch (err) {
      if (err instanceof RunRecordError) throw new FnStudioError('NotFound', err.message);
      throw err;
    }
  };

  return {
    async start(req: ReplayStartRequest) {
      METHODS['replay.start']([req]);
      if (running.has(req.runId)) throw new FnStudioError('Conflict', `A replay with id "${req.runId}" is already running`);
      const controller = new AbortController();
      running.set(req.runId, controller);
      const dir = options.functionDir(req.functionId);
      const inlineFiles = path.join(dir, LOCAL_DIR, UPLOADS_DIR, req.runId);
      try {
        const fn = await options.getFunction(req.functionId);
        const compiled = compiledIfTypeScript(fn);
        let settings: RunSettings = { values: {}, secrets: [] };
        if (options.resolveSettings) {
          try {
            settings = await options.resolveSettings(req.functionId, fn.meta);
          } catch (err) {
            if ((err as Error | undefined)?.name === 'InvalidSettingsError') {
              throw new FnStudioError('InvalidArgument', `Invalid Settings: ${(err as Error).message} (every event would end Invalid Settings; nothing was replayed)`);
            }
            throw err;
          }
        }
        const paths: string[] = [];
        const uploadNames = new Map<string, string>();
        for (const input of req.inputs) {
          if ('path' in input) {
            paths.push(input.path);
            continue;
          }
          if ('upload' in input) {
            const { file, name } = uploads.take(input.upload);
            uploadNames.set(file, name);
            paths.push(file);
            continue;
          }
          // A file dropped in the browser: kept next to the run only while it is replayed.
          await replaysDir(dir);
          await fs.mkdir(inlineFiles, { recursive: true });
          const file = path.join(inlineFiles, `${paths.length}-${path.basename(input.name).replace(/[^\w.-]/g, '_') || 'events'}`);
          await fs.writeFile(file, Buffer.from(input.contentBase64, 'base64'));
          uploadNames.set(file, input.name);
          paths.push(file);
        }
        // A dropped file is reported (formats, bad lines) by the name the user knows.
        const sources = (await resolveInputs(paths)).map((s) => ({ ...s, file: uploadNames.get(s.file) ?? s.file }));
        const mocksFile = path.join(dir, MOCKS_FILE);
        const mockRules = existsSync(mocksFile) ? await readMockRulesFile(mocksFile) : [];
        const filters = req.filters !== undefined ? validateFilters(req.filters) : await readStoredFilters(dir);
        return await replay({
          runtime: compiled ? sourceMappedRuntime(options.runtime, compiled, fn.handlerFile) : options.runtime,
          target: { functionId: req.functionId, code: compiled?.js ?? fn.code, filename: fn.handlerFile },
          sources,
          settings: settings.values,
          secrets: settings.secrets,
          mockRules,
          live: req.live === true,
          strictNetwork: fn.meta.strictNetwork === true,
          ratePerSecond: req.ratePerSecond ?? null,
          filters,
          destinationName: req.destinationName ?? fn.meta.displayName,
          retries: req.retries !== false,
          concurrency: req.concurrency,
          batchSize: req.batchSize,
          seed: req.seed,
          recordDir: await RunRecordWriter.pathFor(dir, req.runId),
          runId: req.runId,
          signal: controller.signal,
          onProgress: (progress) => options.emit({ type: 'replay.progress', progress }),
        });
      } catch (err) {
        if (err instanceof ReplayInputError || err instanceof FiltersError || err instanceof MockRulesError || err instanceof RunRecordError) {
          throw new FnStudioError('InvalidArgument', err.message);
        }
        throw err;
      } finally {
        running.delete(req.runId);
        await fs.rm(inlineFiles, { recursive: true, force: true });
        // Uploaded files serve one run (or none, when it could not start).
        for (const input of req.inputs) if ('upload' in input) await uploads.discard(input.upload);
      }
    },

    async cancel(runId) {
      running.get(runId)?.abort();
    },

    async list(functionId) {
      return listRuns(options.functionDir(functionId));
    },

    async summary(functionId, runId) {
      return recorded(() => readSummary(options.functionDir(functionId), runId));
    },

    async events(functionId, runId, query) {
      METHODS['replay.events']([functionId, runId, query]);
      const dir = options.functionDir(functionId);
      await recorded(() => readSummary(dir, runId));
      const needle = query.error?.toLowerCase();
      const keep = (r: ReplayEventRecord): boolean =>
        (query.category === undefined || r.category === query.category) &&
        (query.type === undefined || r.type === query.type) &&
        (needle === undefined || (r.error ?? '').toLowerCase().includes(needle));
      return readOutcomes(dir, runId, query.offset, query.limit, keep);
    },

    async detail(functionId, runId, seq) {
      const dir = options.functionDir(functionId);
      await recorded(() => readSummary(dir, runId));
      const { records } = await readOutcomes(dir, runId, 0, 1, (r) => r.seq === seq);
      const where = records[0]?.detail;
      if (!where) throw new FnStudioError('NotFound', `No details were kept for event ${seq} of replay "${runId}" (they are kept for every failure and a sample of successes)`);
      return readDetail(dir, runId, where);
    },

    async delete(functionId, runId) {
      await recorded(() => deleteRun(options.functionDir(functionId), runId));
    },

    uploadBegin: (name, size) => {
      METHODS['replay.uploadBegin']([name, size]);
      return uploads.begin(name, size);
    },

    uploadChunk: (uploadId, offset, dataBase64) => {
      METHODS['replay.uploadChunk']([uploadId, offset, dataBase64]);
      return uploads.chunk(uploadId, offset, dataBase64);
    },

    uploadDiscard: (uploadId) => uploads.discard(uploadId),

    async getFilters(functionId) {
      return readStoredFilters(options.functionDir(functionId));
    },

    async saveFilters(functionId, filters) {
      METHODS['replay.saveFilters']([functionId, filters]);
      let valid: DestinationFilter[];
      try {
        valid = validateFilters(filters);
      } catch (err) {
        if (err instanceof FiltersError) throw new FnStudioError('InvalidArgument', err.message);
        throw err;
      }
      const dir = options.functionDir(functionId);
      await options.getFunction(functionId);
      await writeFileAtomic(path.join(dir, FILTERS_FILE), JSON.stringify(valid, null, 2) + '\n');
      return valid;
    },
  };
}

async function readStoredFilters(dir: string): Promise<DestinationFilter[]> {
  const file = path.join(dir, FILTERS_FILE);
  if (!existsSync(file)) return [];
  try {
    return await readFiltersFile(file);
  } catch (err) {
    if (err instanceof FiltersError || (err as Error).name === 'JsonFileError') throw new FnStudioError('InvalidArgument', (err as Error).message);
    throw err;
  }
}

/**
 * A TypeScript handler replays as its compiled JavaScript (as `fnstudio replay` does); what
 * the replay records is mapped back to the TypeScript lines (sourceMappedRuntime).
 */
function compiledIfTypeScript(fn: FunctionDetail): CompiledHandler | null {
  if (!isTypeScriptHandler(fn.handlerFile)) return null;
  try {
    return compileTypeScriptHandler(fn.code, fn.handlerFile);
  } catch (err) {
    if (err instanceof TypeScriptCompileError) throw new FnStudioError('InvalidArgument', `${fn.handlerFile}: cannot compile the TypeScript: ${err.message}`);
    throw err;
  }
}
