/**
 * The app's live capture (contract `capture.*`): one capture endpoint at a time, its
 * events streamed to the renderer as host events and run through the open function by
 * the same runner as the Run button (settings resolved, secrets masked), with the
 * function's mocks.json answering requests and everything else offline. Events are
 * recorded in the function folder's machine-local `.fnstudio/captures/`, ready for replay.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { CaptureService, RunnerService } from '../../contract/api';
import type { CaptureStartRequest, CaptureStatus } from '../../contract/capture';
import { FnStudioError } from '../../contract/errors';
import { METHODS } from '../../contract/methods';
import type { MockRule } from '../../contract/mock';
import type { HostEvent } from '../../contract/transport';
import { JsonFileError, readJsonFile } from '../json-file';
import { MOCKS_FILE, MockRulesError, validateMockRules } from '../mock-rules';
import { PortInUseError } from './capture-server';
import { startCaptureSession, type CaptureSession } from './capture-session';
import type { JsonObject } from './delivered-event';
import { describeEvent } from './event-summary';

const CAPTURES_DIR = path.join('.fnstudio', 'captures');

export interface CaptureServiceDeps {
  runner: RunnerService;
  /** The folder of a function in the workspace in use (validates the id). */
  functionDir(id: string): string;
  workspaceRoot(): string;
  emit(event: HostEvent): void;
  now?: () => Date;
}

export interface CaptureServiceHandle extends CaptureService {
  /** Stops a running capture (host shutdown). */
  close(): Promise<void>;
}

interface Running {
  session: CaptureSession;
  functionId: string | null;
  recording: string | null;
}

export function createCaptureService(deps: CaptureServiceDeps): CaptureServiceHandle {
  let running: Running | null = null;
  let starting = false;
  /** A stop under way: a new start waits for its port to be free. */
  let stopping: Promise<unknown> = Promise.resolve();
  let last: CaptureStatus = idle(null);
  let captureNumber = 0;

  const status = (): CaptureStatus => {
    if (!running) return last;
    const stats = running.session.stats();
    return { running: true, url: running.session.url, functionId: running.functionId, recording: running.recording, captured: stats.captured, refused: stats.rejected };
  };

  async function start(req: CaptureStartRequest): Promise<CaptureStatus> {
    METHODS['capture.start']([req]);
    if (running || starting) throw new FnStudioError('Conflict', `A capture is already listening on ${running?.session.url ?? 'a port'}: stop it first`);
    starting = true;
    try {
      await stopping;
      const functionId = req.functionId;
      let mockRules: MockRule[] = [];
      let outFile: string | null = null;
      let recording: string | null = null;
      if (functionId !== null) {
        const dir = deps.functionDir(functionId);
        mockRules = await readMocks(dir);
        const stamp = (deps.now ?? (() => new Date()))().toISOString().replace(/[:.]/g, '-');
        outFile = path.join(dir, CAPTURES_DIR, `capture-${stamp}.ndjson`);
        recording = path.relative(deps.workspaceRoot(), outFile);
      }
      const capture = ++captureNumber;
      let seq = 0;
      const seqOf = new WeakMap<JsonObject, number>();
      const code = req.code;
      let session: CaptureSession;
      try {
        session = await startCaptureSession({
          port: req.port,
          outFile,
          run:
            functionId !== null && code !== undefined
              ? {
                  runEvent: (event) =>
                    deps.runner.run({ runId: `capture-${capture}-${seqOf.get(event) ?? 0}`, functionId, code, input: event, network: { mockRules, offline: true } }),
                }
              : undefined,
          listener: {
            captured(event) {
              seq += 1;
              seqOf.set(event, seq);
              deps.emit({ type: 'capture.event', item: { seq, summary: describeEvent(event), event } });
            },
            outcome(event, outcome) {
              deps.emit({ type: 'capture.outcome', seq: seqOf.get(event) ?? 0, outcome });
            },
            rejected(rejected, info) {
              for (const r of rejected) {
                deps.emit({ type: 'capture.refused', path: info.path, status: info.status, reason: r.index === null ? r.reason : `batch[${r.index}]: ${r.reason}` });
              }
            },
          },
        });
      } catch (err) {
        if (err instanceof PortInUseError) throw new FnStudioError('InvalidArgument', `${err.message}: choose another port`);
        throw err;
      }
      running = { session, functionId, recording };
      const now = status();
      deps.emit({ type: 'capture.status', status: now });
      return now;
    } finally {
      starting = false;
    }
  }

  async function stop(): Promise<CaptureStatus> {
    const current = running;
    if (!current) return last;
    running = null;
    const done = current.session.stop();
    stopping = done.catch(() => undefined);
    const stats = await done;
    last = { ...idle(current.functionId), recording: current.recording, captured: stats.captured, refused: stats.rejected };
    deps.emit({ type: 'capture.status', status: last });
    return last;
  }

  return {
    start,
    stop,
    status: async () => status(),
    async close() {
      await stop();
    },
  };
}

function idle(functionId: string | null): CaptureStatus {
  return { running: false, url: null, functionId, recording: null, captured: 0, refused: 0 };
}

/** The function's mock rules; none when it has no mocks.json. A bad file is named, not ignored. */
async function readMocks(dir: string): Promise<MockRule[]> {
  const file = path.join(dir, MOCKS_FILE);
  try {
    await fs.access(file);
  } catch {
    return [];
  }
  try {
    return validateMockRules(await readJsonFile(file));
  } catch (err) {
    if (err instanceof MockRulesError || err instanceof JsonFileError) {
      throw new FnStudioError('InvalidArgument', `${MOCKS_FILE}: ${err instanceof JsonFileError ? err.detail : err.message}`);
    }
    throw err;
  }
}
