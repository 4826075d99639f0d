/** How a past run reads in a compare: one JSON document per run, in a stable key order. */
import type { RunRecord } from '../../../main/contract';

export function runDocument(record: RunRecord): string {
  const { outcome } = record;
  return JSON.stringify(
    {
      outcome: outcome.outcome,
      durationMs: Math.round(outcome.durationMs * 10) / 10,
      event: record.input,
      error: outcome.error ? { name: outcome.error.name, message: outcome.error.message, frames: outcome.error.frames } : null,
      logs: outcome.logs.map((l) => `${l.level}: ${l.message}`),
      requests: outcome.requests.map((r) => ({
        request: `${r.method} ${r.url}`,
        mocked: r.mocked,
        status: r.response?.status ?? null,
        error: r.error,
        body: parseMaybe(r.body),
        response: parseMaybe(r.response?.body ?? null),
      })),
      result: outcome.result === undefined ? null : outcome.result,
      ...(outcome.items ? { items: outcome.items } : {}),
    },
    null,
    2,
  );
}

function parseMaybe(text: string | null): unknown {
  if (text === null) return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

export function runTitle(record: Pick<RunRecord, 'startedAt' | 'eventLabel' | 'category'>): string {
  return `${formatTime(record.startedAt)} · ${record.category} · ${record.eventLabel}`;
}

export function formatTime(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' });
}
