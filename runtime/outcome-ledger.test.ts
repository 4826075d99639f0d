import { describe, expect, it } from 'vitest';
import { createLedgerBuffer, LEDGER_BYTES, LedgerReader, LedgerWriter } from './outcome-ledger';

describe('outcome ledger (what a worker finished and has not reported)', () => {
  it('hands the reader every complete record, in order, with its text intact', () => {
    const buffer = createLedgerBuffer();
    const writer = new LedgerWriter(buffer);
    const reader = new LedgerReader(buffer);
    expect(reader.read()).toEqual([]);
    expect(writer.record(7, 'Success', '{"a":"ü €"}')).toBe(true);
    expect(writer.record(8, 'Timeout', '{"b":1}')).toBe(true);
    expect(reader.read()).toEqual([
      { id: 7, category: 'Success', json: '{"a":"ü €"}' },
      { id: 8, category: 'Timeout', json: '{"b":1}' },
    ]);
    // Reported in a message: nothing is left to read, and new records start afresh.
    writer.clear();
    expect(reader.read()).toEqual([]);
    writer.record(9, 'Bad Request', '{}');
    expect(reader.read()).toEqual([{ id: 9, category: 'Bad Request', json: '{}' }]);
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
