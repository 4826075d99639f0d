import { describe, expect, it } from 'vitest';
import { describeStoredValue, itemsFromValue, listFromItems, mapFromRows, revealedText, rowsFromValue, stringValue } from './test-values';

describe('string values', () => {
  it('clears on an empty input and keeps whitespace otherwise', () => {
    expect(stringValue('')).toBeNull();
    expect(stringValue(' x ')).toBe(' x ');
  });
});

describe('TEXT_MAP rows', () => {
  it('round-trips an object of strings', () => {
    const rows = rowsFromValue({ region: 'eu', plan: 'pro' });
    expect(rows).toEqual([
      { key: 'region', value: 'eu' },
      { key: 'plan', value: 'pro' },
    ]);
    expect(mapFromRows(rows)).toEqual({ ok: true, value: { region: 'eu', plan: 'pro' } });
  });

  it('ignores blank rows and clears when nothing is left', () => {
    expect(mapFromRows([{ key: '', value: '' }])).toEqual({ ok: true, value: null });
    expect(mapFromRows([])).toEqual({ ok: true, value: null });
    expect(mapFromRows([{ key: 'a', value: '' }, { key: '', value: '' }])).toEqual({ ok: true, value: { a: '' } });
  });

  it('refuses a value without a key and a duplicate key', () => {
    expect(mapFromRows([{ key: 'a', value: '1' }, { key: ' ', value: '2' }])).toEqual({ ok: false, error: 'Row 2 has a value but no key.' });
    expect(mapFromRows([{ key: 'a', value: '1' }, { key: 'a', value: '2' }])).toEqual({ ok: false, error: 'Key “a” appears twice; keys must be unique.' });
  });

  it('shows no rows for a value that is not an object', () => {
    expect(rowsFromValue(undefined)).toEqual([]);
    expect(rowsFromValue(['a'])).toEqual([]);
    expect(rowsFromValue('x')).toEqual([]);
  });
});

describe('ARRAY items', () => {
  it('drops empty items and clears an empty list', () => {
    expect(listFromItems(['a', '', 'b'])).toEqual(['a', 'b']);
    expect(listFromItems(['', ''])).toBeNull();
    expect(itemsFromValue(['x', 'y'])).toEqual(['x', 'y']);
    expect(itemsFromValue(null)).toEqual([]);
  });
});

describe('display', () => {
  it('describes stored values per type', () => {
    expect(describeStoredValue('STRING', undefined)).toBe('not set');
    expect(describeStoredValue('BOOLEAN', false)).toBe('off');
    expect(describeStoredValue('ARRAY', ['a'])).toBe('1 item');
    expect(describeStoredValue('TEXT_MAP', { a: '1', b: '2' })).toBe('2 keys');
  });

  it('shows revealed secrets of non-string types as compact JSON', () => {
    expect(revealedText('STRING', 'sk_live_1234')).toBe('sk_live_1234');
    expect(revealedText('TEXT_MAP', '{"a":"1","b":"2"}')).toBe('{ "a": "1", "b": "2" }');
    expect(revealedText('ARRAY', 'not json')).toBe('not json');
  });
});
