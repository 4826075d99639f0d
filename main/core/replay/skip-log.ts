/**
 * Accounting of input that was not replayed: every skipped line is counted by reason,
 * and the first ones are kept with file and line so the report can point at them.
 */
import type { SkippedLine, SkipReason } from '../../contract/replay';

const LISTED_SKIPS = 100;

export class SkipLog {
  count = 0;
  readonly byReason: Partial<Record<SkipReason, number>> = {};
  readonly lines: SkippedLine[] = [];

  constructor(private readonly listed = LISTED_SKIPS) {}

  add(skip: SkippedLine): void {
    this.count++;
    this.byReason[skip.reason] = (this.byReason[skip.reason] ?? 0) + 1;
    if (this.lines.length < this.listed) this.lines.push(skip);
  }

  summary(): { count: number; byReason: Partial<Record<SkipReason, number>>; lines: SkippedLine[] } {
    return { count: this.count, byReason: { ...this.byReason }, lines: [...this.lines] };
  }
}
