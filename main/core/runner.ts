/**
 * Runs the editor's code against an event through the shared runtime. The runner owns
 * cancellation (one AbortController per runId) and the defaults from preferences.
 */
import type { PreferencesService, RunnerService } from '../contract/api';
import { FnStudioError } from '../contract/errors';
import type { FunctionMeta, RunRequest } from '../contract/function';
import type { MockRule, NetworkOptions } from '../contract/mock';
import { METHODS } from '../contract/methods';
import type { Outcome } from '../contract/outcome';
import type { Runtime } from '../../runtime/api';
import { redactOutcome } from './redact';
import { invalidSettingsOutcome } from './settings/resolve';
import { HANDLER_FILE } from './workspace';
import type { HandlerFileName } from './handler-file';
import { compileFailureOutcome, compileTypeScriptHandler, isTypeScriptHandler, mapOutcomeToSource, TypeScriptCompileError, type CompiledHandler } from './typescript-handler';

export interface RunSettings {
  values: Record<string, unknown>;
  /** Secret values to mask in the outcome before it leaves core. */
  secrets: string[];
}

/**
 * THE hook for settings when no keychain-backed resolver is wired: runs get `{}`.
 * createCoreServices replaces it with settings/wiring's createRunSettingsResolver when
 * it is given a SecretStore (test values + keychain secrets, checked against the schema).
 */
async function resolveRunSettings(functionId: string, meta: FunctionMeta): Promise<RunSettings> {
  void functionId;
  void meta;
  return { values: {}, secrets: [] };
}

export interface RunnerOptions {
  runtime: Runtime;
  preferences: PreferencesService;
  /** The function's meta (settings schema); rejects NotFound/CorruptFunction. */
  readMeta: (functionId: string) => Promise<FunctionMeta>;
  /** The function's handler file; handler.ts code is compiled and its outcome mapped back. Default handler.js. */
  handlerFileOf?: (functionId: string) => Promise<HandlerFileName>;
  /** Replaces resolveRunSettings; may reject an error named InvalidSettingsError (→ Invalid Settings outcome). */
  resolveSettings?: (functionId: string, meta: FunctionMeta) => Promise<RunSettings>;
  /**
   * The function's own mock rules (its mocks.json), used when a request brings no
   * `network`; may reject (a broken file) so that the run does not start.
   */
  readMocks?: (functionId: string) => Promise<MockRule[]>;
}

export function createRunner(options: RunnerOptions): RunnerService {
  const running = new Map<string, AbortController>();
  const resolveSettings = options.resolveSettings ?? resolveRunSettings;

  return {
    async run(req: RunRequest): Promise<Outcome> {
      METHODS['runner.run']([req]);
      if (running.has(req.runId)) throw new FnStudioError('Conflict', `A run with id "${req.runId}" is already in progress`);
      const controller = new AbortController();
      running.set(req.runId, controller);
      try {
        const meta = await options.readMeta(req.functionId);
        let settings: RunSettings;
        try {
          settings = await resolveSettings(req.functionId, meta);
        } catch (err) {
          // Segment refuses to run a destination whose settings are wrong: so do we.
          if ((err as Error | undefined)?.name === 'InvalidSettingsError') return invalidSettingsOutcome(err as Error);
          throw err;
        }
        const network = await networkFor(req, meta, options.readMocks);
        const timeoutMs = req.timeoutMs ?? (await options.preferences.get()).defaultTimeoutMs;
        if (controller.signal.aborted) throw cancelled(req.runId);
        const filename = options.handlerFileOf ? await options.handlerFileOf(req.functionId) : HANDLER_FILE;
        let compiled: CompiledHandler | null = null;
        if (isTypeScriptHandler(filename)) {
          try {
            compiled = compileTypeScriptHandler(req.code, filename);
          } catch (err) {
            if (err instanceof TypeScriptCompileError) return compileFailureOutcome(err, filename);
            throw err;
          }
        }
        let outcome: Outcome;
        try {
          outcome = await options.runtime.invoke(
            {
              functionId: req.functionId,
              code: compiled ? compiled.js : req.code,
              filename,
              input: req.input,
              settings: settings.values,
              network,
              timeoutMs,
              memoryMb: req.memoryMb,
            },
            controller.signal,
          );
        } catch (err) {
          if (controller.signal.aborted || (err as Error | undefined)?.name === 'RunCancelled') throw cancelled(req.runId);
          throw err;
        }
        if (compiled) outcome = mapOutcomeToSource(outcome, compiled, filename);
        return settings.secrets.length > 0 ? redactOutcome(outcome, settings.secrets) : outcome;
      } finally {
        running.delete(req.runId);
      }
    },
    async cancel(runId: string): Promise<void> {
      running.get(runId)?.abort();
    },
  };
}

/**
 * An explicit `network` wins; otherwise the function's mocks.json and the offline flag.
 * The function's strict-network setting (function.json) applies either way: it is read here,
 * at run time, so every run of the function honours it whoever sends the request.
 */
async function networkFor(req: RunRequest, meta: FunctionMeta, readMocks: RunnerOptions['readMocks']): Promise<NetworkOptions | undefined> {
  const strict = meta.strictNetwork === true;
  if (req.network) return strict ? { ...req.network, strict } : req.network;
  const mockRules = readMocks ? await readMocks(req.functionId) : [];
  if (mockRules.length === 0 && !req.offline && !strict) return undefined;
  return { mockRules, offline: req.offline ?? false, ...(strict ? { strict } : {}) };
}

function cancelled(runId: string): FnStudioError {
  return new FnStudioError('RunCancelled', `Run "${runId}" was cancelled`);
}
