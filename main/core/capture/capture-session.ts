/**
 * One capture: the endpoint, the NDJSON recording and (optionally) the function each
 * event runs through, started and stopped together. Hosts (the CLI, the app) only listen.
 */
import type { Outcome } from '../../contract/outcome';
import type { Runtime } from '../../../runtime/api';
import { startCaptureServer, type RequestInfo } from './capture-server';
import type { JsonObject } from './delivered-event';
import { createEventFeed, createFunctionFeed, type CaptureFunction, type FunctionFeed } from './function-feed';
import { NdjsonRecorder } from './ndjson-recorder';
import type { RejectedMessage } from './tracking-api';

export interface CaptureListener {
  /** Each accepted event, once it is recorded. */
  captured?(event: JsonObject, info: RequestInfo): void;
  /** Each event's outcome in the function, in arrival order. */
  outcome?(event: JsonObject, outcome: Outcome): void;
  /** Messages that were refused or dropped, with why. */
  rejected?(rejected: RejectedMessage[], info: RequestInfo): void;
}

export interface CaptureSessionOptions {
  /** 0 picks a free port. */
  port: number;
  writeKey?: string | null;
  /** NDJSON file to append to; null records nothing (a live view only). */
  outFile: string | null;
  /**
   * Run each event through a function: on a runtime directly (the CLI), or through a
   * host's own runner, one event at a time (the app: its runner resolves settings).
   */
  run?: { runtime: Runtime; fn: CaptureFunction } | { runEvent(event: JsonObject): Promise<Outcome> };
  listener?: CaptureListener;
}

export interface CaptureStats {
  captured: number;
  rejected: number;
  /** Outcomes by category, when a function runs. */
  outcomes: Record<string, number>;
}

export interface CaptureSession {
  readonly url: string;
  readonly port: number;
  readonly outFile: string | null;
  stats(): CaptureStats;
  /** Stops listening, waits for the function runs under way and closes the recording. */
  stop(): Promise<CaptureStats>;
}

export async function startCaptureSession(options: CaptureSessionOptions): Promise<CaptureSession> {
  const listener = options.listener ?? {};
  const stats: CaptureStats = { captured: 0, rejected: 0, outcomes: {} };
  const recorder = options.outFile === null ? null : await NdjsonRecorder.open(options.outFile);
  let feed: FunctionFeed | null = null;
  const onOutcome = (event: JsonObject, outcome: Outcome): void => {
    stats.outcomes[outcome.outcome] = (stats.outcomes[outcome.outcome] ?? 0) + 1;
    listener.outcome?.(event, outcome);
  };
  const run = options.run;
  if (run && 'runtime' in run) {
    feed = createFunctionFeed(run.runtime, run.fn, onOutcome);
  } else if (run) {
    feed = createEventFeed(async (events) => {
      const outcomes: Outcome[] = [];
      for (const event of events) outcomes.push(await run.runEvent(event));
      return outcomes;
    }, onOutcome);
  }
  let server;
  try {
    server = await startCaptureServer({
      port: options.port,
      writeKey: options.writeKey,
      async onEvents(events, info) {
        if (recorder) await recorder.append(events);
        stats.captured += events.length;
        for (const event of events) listener.captured?.(event, info);
        feed?.push(events);
      },
      onRejected(rejected, info) {
        stats.rejected += rejected.length;
        listener.rejected?.(rejected, info);
      },
    });
  } catch (err) {
    await recorder?.close();
    throw err;
  }
  const running = server;
  let stopping: Promise<CaptureStats> | null = null;
  return {
    url: running.url,
    port: running.port,
    outFile: options.outFile,
    stats: () => ({ ...stats, outcomes: { ...stats.outcomes } }),
    stop() {
      stopping ??= (async () => {
        await running.close();
        await feed?.drain();
        await recorder?.close();
        return { ...stats, outcomes: { ...stats.outcomes } };
      })();
      return stopping;
    },
  };
}
