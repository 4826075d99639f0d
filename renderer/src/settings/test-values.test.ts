import { describe, expect, it } from 'vitest';
import { isEmptyValue, itemsFromValue, listFromItems, mapFromRows, revealedText, rowsFromValue, storedValueProblem, stringValue } from './test-values';

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
  it('flags stored values that no longer fit the type', () => {
    expect(storedValueProblem('STRING', undefined)).toBeNull();
    expect(storedValueProblem('STRING', 'x')).toBeNull();
    expect(storedValueProblem('BOOLEAN', false)).toBeNull();
    expect(storedValueProblem('ARRAY', ['a'])).toBeNull();
    expect(storedValueProblem('TEXT_MAP', { a: '1' })).toBeNull();
    expect(storedValueProblem('ARRAY', 'eu-west')).toBe('The stored test value ("eu-west") is not a list of text values; enter a new one, or runs are refused with Invalid Settings.');
    expect(storedValueProblem('TEXT_MAP', ['a'])).toMatch(/is not a map of text values/);
    expect(storedValueProblem('TEXT_MAP', { a: 1 })).toMatch(/is not a map/);
    expect(storedValueProblem('BOOLEAN', 'true')).toMatch(/is not true or false/);
  });

  it('shows revealed secrets of non-string types as compact JSON', () => {
    expect(revealedText('STRING', 'sk_live_1234')).toBe('sk_live_1234');
    expect(revealedText('TEXT_MAP', '{"a":"1","b":"2"}')).toBe('{ "a": "1", "b": "2" }');
    expect(revealedText('ARRAY', 'not json')).toBe('not json');
  });
});

describe('isEmptyValue', () => {
  it('treats missing, empty text, empty lists and empty maps as not given', () => {
    for (const v of [undefined, null, '', [], {}]) expect(isEmptyValue(v)).toBe(true);
    for (const v of [' ', false, ['a'], { a: '' }]) expect(isEmptyValue(v)).toBe(false);
  });
});
