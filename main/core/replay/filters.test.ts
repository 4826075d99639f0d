import { describe, expect, it } from 'vitest';
import { compileFilters, FiltersError, validateFilters } from './filters';
import { compileFql, FqlError } from './fql';
import { errorPattern } from './stats';

describe('FQL → tsub IR', () => {
  it('compiles comparisons, and/or/!, parentheses, functions and lists', () => {
    expect(compileFql('type = "track"')).toEqual(['=', 'type', { value: 'track' }]);
    expect(compileFql('!(a.b >= 2 and c != null) or match(event, "Order*")')).toEqual([
      'or',
      ['!', ['and', ['>=', 'a.b', { value: 2 }], ['!=', 'c', { value: null }]]],
      ['match', 'event', { value: 'Order*' }],
    ]);
    expect(compileFql('lowercase(event) in ["a", "b"]')).toEqual(['in', ['lowercase', 'event'], [{ value: 'a' }, { value: 'b' }]]);
    expect(compileFql('properties.flag = true')).toEqual(['=', 'properties.flag', { value: true }]);
  });

  it('names the problem in bad FQL', () => {
    expect(() => compileFql('type = ')).toThrow(FqlError);
    expect(() => compileFql('type = ')).toThrow(/expected a field, a value or a function but found the end/);
    expect(() => compileFql('(type = "a"')).toThrow(/expected "\)"/);
    expect(() => compileFql('upper(event) = "A"')).toThrow(/unknown function upper\(\)/);
    expect(() => compileFql('contains(event)')).toThrow(/contains\(\) takes 2 arguments, got 1/);
    expect(() => compileFql('a = 1.2.3')).toThrow(/multiple decimal points/);
  });
});

describe('destination filter files', () => {
  it('accepts an array, {filters}, and the Public API list answer; Config API fields too', () => {
    const one = { if: 'all', actions: [{ type: 'DROP_PROPERTIES', fields: { properties: { fields: ['email'] } } }], enabled: true, title: 'no email' };
    for (const shape of [[one], { filters: [one] }, { data: { filters: [one] } }]) {
      expect(validateFilters(shape)).toEqual([{ if: 'all', actions: [{ type: 'DROP_PROPERTIES', fields: { properties: ['email'] } }], enabled: true, title: 'no email' }]);
    }
  });

  it('rejects bad filters naming index, title and problem', () => {
    const bad = (value: unknown) => () => validateFilters(value);
    expect(bad({})).toThrow(FiltersError);
    expect(bad([{ title: 'x', if: 'type = ', actions: [{ type: 'DROP' }], enabled: true }])).toThrow(/filter \[0\] \("x"\): "if" is not valid FQL/);
    expect(bad([{ if: 'all', actions: [{ type: 'DELETE' }] }])).toThrow(/filter \[0\]: actions\[0\]: "type" must be one of DROP, SAMPLE/);
    expect(bad([{ if: 'all', actions: [{ type: 'SAMPLE', percent: 50 }] }])).toThrow(/from 0 to 1/);
    expect(bad([{ if: 'all', actions: [{ type: 'ALLOW_PROPERTIES' }] }])).toThrow(/"fields" must map object paths/);
    expect(bad([{ if: 'all', actions: [] }])).toThrow(/non-empty array/);
    expect(bad([{ if: 'all', actions: [{ type: 'DROP' }], enabled: 'yes' }])).toThrow(/"enabled" must be true or false/);
  });

  it('applies Sample, then Drop, then Drop Properties, then Allow Properties', () => {
    const set = compileFilters(
      validateFilters([
        { if: 'all', actions: [{ type: 'ALLOW_PROPERTIES', fields: { properties: ['a', 'b'] } }], enabled: true },
        { if: 'properties.a = 1', actions: [{ type: 'DROP_PROPERTIES', fields: { properties: ['b'] } }], enabled: true },
      ]),
      () => 0,
    );
    const event = { type: 'track', properties: { a: 1, b: 2, c: 3 } };
    expect(set.apply(event)).toEqual({ deliver: true, event: { type: 'track', properties: { a: 1 } } });
  });
});

describe('error grouping', () => {
  it('groups messages that differ only in numbers and ids', () => {
    expect(errorPattern('order m13 has no email')).toBe(errorPattern('order m3 has no email'));
    expect(errorPattern('user 5f2b7c0e9d8a7b6c5d4e not found')).toBe('user … not found');
    expect(errorPattern('timeout after 5000 ms')).toBe('timeout after # ms');
  });
});
