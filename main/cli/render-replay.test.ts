import { describe, expect, it } from 'vitest';
import type { ReplayProgress } from '../contract/replay';
import { formatDuration, progressBar, progressFraction, progressLine } from './render-replay';

const progress = (over: Partial<ReplayProgress>): ReplayProgress => ({
  runId: 'r', bytesRead: 0, bytesTotal: 1000, eventsRead: 0, finished: 0, delivered: 0, filtered: 0, failed: 0, skipped: 0, elapsedMs: 1000, ...over,
});

describe('replay progress', () => {
  it('counts work done, not just bytes read: reading runs ahead of delivery', () => {
    expect(progressFraction(progress({ bytesRead: 1000, eventsRead: 400, finished: 100 }))).toBe(0.25);
    expect(progressFraction(progress({ bytesRead: 500, eventsRead: 100, finished: 100 }))).toBe(0.5);
    expect(progressFraction(progress({ bytesTotal: null }))).toBeNull();
  });

  it('draws a bar with percent, rate and ETA on a terminal, plain lines otherwise', () => {
    const p = progress({ bytesRead: 500, eventsRead: 2000, finished: 2000, delivered: 1990, failed: 10, elapsedMs: 2000 });
    expect(progressBar(p)).toBe('[############------------]  50% 2,000 events · 1,000/s · 10 failed · ETA 2.0 s');
    expect(progressLine(p)).toBe('replay: 2,000 events done (50%), 1,000/s, 1,990 delivered, 0 filtered, 10 failed, 0 lines skipped');
    expect(progressBar(progress({ bytesTotal: null, finished: 5 }))).toBe('replaying… 5 events · 5/s · 0 failed');
  });

  it('formats simulated times of hours', () => {
    expect(formatDuration(3 * 3600_000 + 25 * 60_000)).toBe('3 h 25 min');
    expect(formatDuration(95_000)).toBe('1 min 35 s');
    expect(formatDuration(950)).toBe('950 ms');
  });
});
