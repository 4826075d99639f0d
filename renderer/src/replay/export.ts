/**
 * Exports of a replay run: per-event CSV, and the recorded requests as HAR 1.2 (for
 * browser devtools and HTTP tools). Pure functions: the view only downloads their text.
 */
import type { ReplayEventDetail, ReplayEventRecord } from '../../../main/contract';

const CSV_COLUMNS = ['seq', 'file', 'line', 'type', 'event', 'messageId', 'category', 'end', 'attempts', 'latencyMs', 'virtualMs', 'error', 'filteredBy'] as const;

function csvCell(value: unknown): string {
  if (value === undefined || value === null) return '';
  const text = typeof value === 'string' ? value : typeof value === 'number' || typeof value === 'boolean' ? String(value) : JSON.stringify(value);
  // Quote when needed; a leading =,+,-,@ would be a formula in a spreadsheet.
  const safe = /^[=+\-@]/.test(text) ? `'${text}` : text;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function eventsCsv(records: readonly ReplayEventRecord[]): string {
  const lines = [CSV_COLUMNS.join(',')];
  for (const r of records) lines.push(CSV_COLUMNS.map((c) => csvCell(r[c])).join(','));
  return lines.join('\r\n') + '\r\n';
}

interface HarEntry {
  startedDateTime: string;
  time: number;
  request: { method: string; url: string; httpVersion: string; headers: Array<{ name: string; value: string }>; queryString: Array<{ name: string; value: string }>; cookies: []; headersSize: -1; bodySize: number; postData?: { mimeType: string; text: string } };
  response: { status: number; statusText: string; httpVersion: string; headers: Array<{ name: string; value: string }>; cookies: []; content: { size: number; mimeType: string; text: string }; redirectURL: ''; headersSize: -1; bodySize: number; _error?: string };
  cache: Record<string, never>;
  timings: { send: 0; wait: number; receive: 0 };
  comment: string;
}

const pairs = (headers: Record<string, string>) => Object.entries(headers).map(([name, value]) => ({ name, value }));

/** HAR of every request in the given details; `startedAt` dates the entries (the run's start). */
export function requestsHar(details: readonly ReplayEventDetail[], startedAt: string): string {
  const entries: HarEntry[] = [];
  for (const d of details) {
    for (const r of d.outcome.requests) {
      let query: Array<{ name: string; value: string }> = [];
      try {
        query = [...new URL(r.url).searchParams.entries()].map(([name, value]) => ({ name, value }));
      } catch {
        // not a parsable URL: no query string
      }
      const reqType = Object.entries(r.headers).find(([k]) => k.toLowerCase() === 'content-type')?.[1] ?? 'text/plain';
      const res = r.response;
      const resType = res ? (Object.entries(res.headers).find(([k]) => k.toLowerCase() === 'content-type')?.[1] ?? '') : '';
      entries.push({
        startedDateTime: startedAt,
        time: r.durationMs,
        request: {
          method: r.method,
          url: r.url,
          httpVersion: 'HTTP/1.1',
          headers: pairs(r.headers),
          queryString: query,
          cookies: [],
          headersSize: -1,
          bodySize: r.body === null ? 0 : r.body.length,
          ...(r.body === null ? {} : { postData: { mimeType: reqType, text: r.body } }),
        },
        response: {
          status: res?.status ?? 0,
          statusText: res?.statusText ?? '',
          httpVersion: 'HTTP/1.1',
          headers: res ? pairs(res.headers) : [],
          cookies: [],
          content: { size: res?.body?.length ?? 0, mimeType: resType, text: res?.body ?? '' },
          redirectURL: '',
          headersSize: -1,
          bodySize: res?.body?.length ?? -1,
          ...(r.error ? { _error: r.error } : {}),
        },
        cache: {},
        timings: { send: 0, wait: r.durationMs, receive: 0 },
        comment: `event ${d.seq} · ${d.outcome.outcome}${r.mocked ? ' · mocked' : ''}`,
      });
    }
  }
  return JSON.stringify({ log: { version: '1.2', creator: { name: 'fnstudio replay', version: '1' }, entries } }, null, 2);
}

/** Offers text as a file download. */
export function download(name: string, text: string, type: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
