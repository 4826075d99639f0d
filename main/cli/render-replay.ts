/**
 * How `fnstudio replay` shows a run: a progress bar on a terminal (plain periodic lines
 * otherwise) and the summary table at the end.
 */
import type { ReplayProgress, ReplaySummary } from '../contract/replay';
import type { Palette } from './render-outcome';

const BAR_WIDTH = 24;

export function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}

export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(1)} s`;
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = Math.floor(s % 60);
  return h > 0 ? `${h} h ${String(m).padStart(2, '0')} min` : `${m} min ${String(sec).padStart(2, '0')} s`;
}

function rate(p: ReplayProgress): number {
  return p.elapsedMs > 0 ? (p.finished / p.elapsedMs) * 1000 : 0;
}

/**
 * Share of the work done when the input size is known: the share of bytes read, times the
 * share of the events read so far that are finished (reading runs ahead of delivery).
 */
export function progressFraction(p: ReplayProgress): number | null {
  if (p.bytesTotal === null || p.bytesTotal <= 0) return null;
  return Math.min(1, p.bytesRead / p.bytesTotal) * (p.eventsRead > 0 ? Math.min(1, p.finished / p.eventsRead) : 0);
}

const fraction = progressFraction;

/** One line for a terminal, redrawn in place: bar, percent, counts, rate, ETA. */
export function progressBar(p: ReplayProgress): string {
  const f = fraction(p);
  const counts = `${formatCount(p.finished)} events · ${formatCount(Math.round(rate(p)))}/s · ${formatCount(p.failed)} failed`;
  if (f === null) return `replaying… ${counts}`;
  const filled = Math.round(f * BAR_WIDTH);
  const eta = f > 0.01 ? formatDuration(((1 - f) / f) * p.elapsedMs) : '…';
  return `[${'#'.repeat(filled)}${'-'.repeat(BAR_WIDTH - filled)}] ${(f * 100).toFixed(0).padStart(3)}% ${counts} · ETA ${eta}`;
}

/** A plain line for logs (CI), printed every few seconds. */
export function progressLine(p: ReplayProgress): string {
  const f = fraction(p);
  return `replay: ${formatCount(p.finished)} events done${f === null ? '' : ` (${(f * 100).toFixed(0)}%)`}, ${formatCount(Math.round(rate(p)))}/s, ${formatCount(p.delivered)} delivered, ${formatCount(p.filtered)} filtered, ${formatCount(p.failed)} failed, ${formatCount(p.skipped)} lines skipped`;
}

export function renderReplaySummary(s: ReplaySummary, recordDir: string | null, c: Palette): string {
  const out: string[] = [];
  const inputs = s.inputs.map((i) => `${i.file} (${i.format}${i.gzip ? ', gzip' : ''})`).join(', ');
  out.push(`${c.bold('Replay')} ${s.cancelled ? c.red('(cancelled) ') : ''}of ${formatCount(s.total)} events from ${inputs || 'no input'}`);
  out.push('');
  const rows: Array<[string, number, string, (t: string) => string]> = [];
  rows.push(['Delivered', s.delivered, s.retried.delivered > 0 ? `${formatCount(s.retried.delivered)} after retry` : '', c.green]);
  rows.push(['Filtered', s.filtered, '', c.dim]);
  for (const [category, n] of Object.entries(s.byOutcome)) {
    if (category === 'Success' || category === 'Filtered' || !n) continue;
    const gaveUp = (category === 'Retry' || category === 'Timeout') && s.retried.gaveUp > 0 ? 'given up after retries (see attempts)' : '';
    rows.push([category, n, gaveUp, c.red]);
  }
  const reasons = Object.entries(s.skipped.byReason).map(([r, n]) => `${r} ${formatCount(n ?? 0)}`).join(', ');
  rows.push(['Skipped lines', s.skipped.count, reasons, s.skipped.count > 0 ? c.yellow : c.dim]);
  const width = Math.max(...rows.map((r) => r[0].length)) + 2;
  for (const [label, n, note, colour] of rows) {
    out.push(`  ${colour(label.padEnd(width))}${formatCount(n).padStart(10)}${note ? `   ${c.dim(note)}` : ''}`);
  }
  out.push('');
  out.push(
    `  ${formatCount(s.attempts)} attempts in ${formatCount(s.invocations)} invocations${s.options.batchSize ? ` (batches of up to ${s.options.batchSize})` : ''} · ${formatDuration(s.durationMs)} · ${formatCount(Math.round(s.eventsPerSecond))} events/s`,
  );
  out.push(`  latency p50 ${s.latencyMs.p50} ms · p95 ${s.latencyMs.p95} ms · p99 ${s.latencyMs.p99} ms`);
  if (s.simulatedDeliveryMs > 0) out.push(`  simulated delivery time ${formatDuration(s.simulatedDeliveryMs)} (retries with backoff on a virtual clock)`);
  out.push(`  requests ${s.options.live ? c.yellow('live') : 'mocked (offline)'}, ${s.options.mockRules} mock rules · ${s.options.filters} destination filters · integrations name ${JSON.stringify(s.options.destinationName)} · retries ${s.options.retries ? 'on' : 'off'} · seed ${s.options.seed}`);
  if (s.topErrors.length > 0) {
    out.push('');
    out.push(c.bold('Top errors'));
    for (const e of s.topErrors.slice(0, 10)) out.push(`  ${formatCount(e.count).padStart(8)} × ${e.category}: ${e.count === 1 ? e.example : e.message}${e.count > 1 && e.example !== e.message ? c.dim(`  (e.g. ${e.example})`) : ''}`);
  }
  const hosts = Object.entries(s.offlineHosts);
  if (hosts.length > 0) {
    out.push('');
    out.push(`${c.bold('Requests no mock rule answered')} (failed offline; add mock rules or use --live)`);
    for (const [host, n] of hosts.slice(0, 10)) out.push(`  ${formatCount(n).padStart(8)} × ${host}`);
  }
  if (s.skipped.count > 0) {
    out.push('');
    out.push(c.bold(`Skipped lines${s.skipped.count > s.skipped.lines.length ? ` (first ${s.skipped.lines.length} of ${formatCount(s.skipped.count)})` : ''}`));
    for (const l of s.skipped.lines) out.push(`  ${l.file}:${l.line}  ${l.reason}: ${l.detail}`);
  }
  if (recordDir) {
    out.push('');
    out.push(c.dim(`Run record: ${recordDir}`));
  }
  return out.join('\n') + '\n';
}
