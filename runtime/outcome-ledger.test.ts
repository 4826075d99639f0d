import { describe, expect, it } from 'vitest';
import { createLedgerBuffer, encodeRecord, LEDGER_BYTES, LedgerReader, LedgerWriter, readRecords, type OutcomeRecord } from './outcome-ledger';

/** Records with their text decoded, to compare. */
const texts = (records: OutcomeRecord[]): Array<{ id: number; category: string; json: string }> =>
  records.map(({ id, category, utf8 }) => ({ id, category, json: new TextDecoder().decode(utf8) }));

describe('outcome ledger (what a worker finished and has not reported)', () => {
  it('hands the reader every complete record, in order, with its text intact', () => {
    const buffer = createLedgerBuffer();
    const writer = new LedgerWriter(buffer);
    const reader = new LedgerReader(buffer);
    expect(reader.read()).toEqual([]);
    expect(writer.copy()).toBeNull();
    expect(writer.record(7, 'Success', '{"a":"ü €"}')).toBe(true);
    expect(writer.record(8, 'Timeout', '{"b":1}')).toBe(true);
    expect(texts(reader.read())).toEqual([
      { id: 7, category: 'Success', json: '{"a":"ü €"}' },
      { id: 8, category: 'Timeout', json: '{"b":1}' },
    ]);
    // Reported in a message: nothing is left to read, and new records start afresh.
    // A report carries a copy of the records, readable after the ledger is cleared and reused.
    const report = writer.copy()!;
    expect(report.buffer).not.toBeInstanceOf(SharedArrayBuffer);
    writer.clear();
    expect(reader.read()).toEqual([]);
    writer.record(9, 'Bad Request', '{}');
    expect(texts(reader.read())).toEqual([{ id: 9, category: 'Bad Request', json: '{}' }]);
    expect(texts(readRecords(report)).map((r) => r.id)).toEqual([7, 8]);
  });

  it('encodes a record on its own in the same layout, and stops reading at a torn record', () => {
    const alone = encodeRecord(3, 'Retry', '{"z":"ß"}');
    expect(texts(readRecords(alone))).toEqual([{ id: 3, category: 'Retry', json: '{"z":"ß"}' }]);
    // Cut short, or with a category that does not exist: nothing past the last whole record.
    expect(readRecords(alone.subarray(0, alone.length - 4))).toEqual([]);
    const bad = alone.slice();
    new DataView(bad.buffer).setInt32(4, 99, true);
    expect(readRecords(bad)).toEqual([]);
  });

  it('refuses a record that does not fit, so the worker reports it at once instead', () => {
    const writer = new LedgerWriter(createLedgerBuffer());
    expect(writer.record(1, 'Success', 'x'.repeat(LEDGER_BYTES))).toBe(false);
    expect(writer.record(2, 'Success', 'x'.repeat(1000))).toBe(true);
  });

  it('tells which invocation runs and since when, on the reader\'s clock', () => {
    const buffer = createLedgerBuffer();
    const writer = new LedgerWriter(buffer);
    const reader = new LedgerReader(buffer);
    expect(reader.running()).toBeNull();
    const before = performance.now();
    writer.running(42);
    const running = reader.running();
    expect(running?.id).toBe(42);
    expect(running!.since).toBeGreaterThanOrEqual(before - 1);
    expect(running!.since).toBeLessThanOrEqual(performance.now() + 1);
    writer.idle();
    expect(reader.running()).toBeNull();
  });
});
