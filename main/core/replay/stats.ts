/**
 * Aggregates of a replay that stay small however many events pass: counts, a log-scale
 * latency histogram (percentiles within 3 %), events finished per time slice (slices
 * widen as the run grows), the most frequent error messages, offline hosts.
 */
import type { LatencySummary, ReplayCategory, ReplayEventRecord } from '../../contract/replay';

const LATENCY_MIN_MS = 0.001;
const LATENCY_STEP = 1.03;
const LATENCY_BUCKETS = Math.ceil(Math.log(600_000 / LATENCY_MIN_MS) / Math.log(LATENCY_STEP)) + 1;
const MAX_SLICES = 300;
const MAX_DISTINCT_ERRORS = 1000;
const TOP_ERRORS = 20;
const MAX_HOSTS = 200;

class LatencyHistogram {
  private readonly counts = new Float64Array(LATENCY_BUCKETS);
  private total = 0;
  private max = 0;

  add(ms: number): void {
    const index = ms <= LATENCY_MIN_MS ? 0 : Math.min(LATENCY_BUCKETS - 1, Math.ceil(Math.log(ms / LATENCY_MIN_MS) / Math.log(LATENCY_STEP)));
    this.counts[index]++;
    this.total++;
    if (ms > this.max) this.max = ms;
  }

  /** Upper bound of the bucket holding the q-quantile (0 for an empty histogram). */
  quantile(q: number): number {
    if (this.total === 0) return 0;
    const rank = Math.ceil(q * this.total);
    let seen = 0;
    for (let i = 0; i < LATENCY_BUCKETS; i++) {
      seen += this.counts[i];
      if (seen >= rank) return Math.min(this.max, round(upperBound(i)));
    }
    return round(this.max);
  }

  summary(): LatencySummary {
    const histogram: LatencySummary['histogram'] = [];
    for (let i = 0; i < LATENCY_BUCKETS; i++) if (this.counts[i] > 0) histogram.push({ le: round(upperBound(i)), count: this.counts[i] });
    return { p50: this.quantile(0.5), p95: this.quantile(0.95), p99: this.quantile(0.99), max: round(this.max), histogram };
  }
}

function upperBound(index: number): number {
  return LATENCY_MIN_MS * LATENCY_STEP ** index;
}

function round(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}

/** Events finished per slice of time; when the run outgrows MAX_SLICES, slices double. */
class Throughput {
  private intervalMs: number;
  private counts: number[] = [];

  constructor(initialIntervalMs = 250) {
    this.intervalMs = initialIntervalMs;
  }

  add(elapsedMs: number, n = 1): void {
    let index = Math.floor(elapsedMs / this.intervalMs);
    while (index >= MAX_SLICES) {
      const merged: number[] = [];
      for (let i = 0; i < this.counts.length; i += 2) merged.push((this.counts[i] ?? 0) + (this.counts[i + 1] ?? 0));
      this.counts = merged;
      this.intervalMs *= 2;
      index = Math.floor(elapsedMs / this.intervalMs);
    }
    while (this.counts.length <= index) this.counts.push(0);
    this.counts[index] += n;
  }

  summary(): { intervalMs: number; counts: number[] } {
    return { intervalMs: this.intervalMs, counts: [...this.counts] };
  }
}

export class ReplayStats {
  total = 0;
  delivered = 0;
  filtered = 0;
  attempts = 0;
  invocations = 0;
  retriedDelivered = 0;
  gaveUp = 0;
  simulatedDeliveryMs = 0;
  readonly byOutcome: Partial<Record<ReplayCategory, number>> = {};
  readonly latency = new LatencyHistogram();
  readonly throughput = new Throughput();
  private readonly errors = new Map<string, { message: string; example: string; category: ReplayCategory; count: number }>();
  private otherErrors = 0;
  private readonly hosts = new Map<string, number>();

  /** Counts one finished event. */
  add(record: ReplayEventRecord, elapsedMs: number): void {
    this.byOutcome[record.category] = (this.byOutcome[record.category] ?? 0) + 1;
    this.attempts += record.attempts;
    if (record.end === 'delivered') {
      this.delivered++;
      if (record.attempts > 1) this.retriedDelivered++;
    } else if (record.end === 'filtered') {
      this.filtered++;
    } else if (record.end === 'gave-up') {
      this.gaveUp++;
    }
    if (record.attempts > 0) this.latency.add(record.latencyMs);
    if (record.virtualMs > this.simulatedDeliveryMs) this.simulatedDeliveryMs = record.virtualMs;
    if (record.error !== undefined && record.end !== 'delivered') this.addError(record.error, record.category);
    this.throughput.add(elapsedMs);
  }

  /** A request that failed because no mock rule answered it while offline. */
  addOfflineHost(host: string): void {
    if (this.hosts.size >= MAX_HOSTS && !this.hosts.has(host)) host = '(other hosts)';
    this.hosts.set(host, (this.hosts.get(host) ?? 0) + 1);
  }

  topErrors(): Array<{ message: string; example: string; category: ReplayCategory; count: number }> {
    const top = [...this.errors.values()]
      .map((e) => ({ message: e.message, example: e.example, category: e.category, count: e.count }))
      .sort((a, b) => b.count - a.count)
      .slice(0, TOP_ERRORS);
    if (this.otherErrors > 0) top.push({ message: '(other messages)', example: '', category: 'Bad Request', count: this.otherErrors });
    return top;
  }

  offlineHosts(): Record<string, number> {
    return Object.fromEntries([...this.hosts.entries()].sort((a, b) => b[1] - a[1]));
  }

  private addError(message: string, category: ReplayCategory): void {
    const pattern = errorPattern(message);
    const key = `${category}\u0000${pattern}`;
    const entry = this.errors.get(key);
    if (entry) entry.count++;
    else if (this.errors.size < MAX_DISTINCT_ERRORS) this.errors.set(key, { message: pattern, example: clip(message), category, count: 1 });
    else this.otherErrors++;
  }
}

/**
 * Messages that differ only in ids and numbers ("order m3 has no email", "order m13 …")
 * are one error: digits become #, long hex or base64-ish ids become ….
 */
export function errorPattern(message: string): string {
  return clip(message.replace(/\b(?=[A-Za-z0-9_-]*\d)[A-Za-z0-9_-]{16,}\b/g, '…').replace(/\d+(\.\d+)?/g, '#'));
}

function clip(text: string): string {
  return text.length > 300 ? text.slice(0, 300) + '…' : text;
}
