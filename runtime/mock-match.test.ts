import { describe, expect, it } from 'vitest';
import { compileUrlPattern, matchMockRule } from './mock-match';
import type { MockRule } from '../common/mock';

describe('matchMockRule', () => {
  const rules: MockRule[] = [
    { method: 'POST', url: 'https://api.example.com/v1/*', status: 201 },
    { url: '/^https:\\/\\/HOOKS\\.example\\.com\\/\\d+$/i', status: 202 },
    { method: '*', url: 'https://api.example.com/*', status: 200 },
  ];

  it('matches globs, methods and regexes, first match wins', () => {
    expect(matchMockRule(rules, 'POST', 'https://api.example.com/v1/users')?.index).toBe(0);
    expect(matchMockRule(rules, 'post', 'https://api.example.com/v1/users')?.index).toBe(0);
    expect(matchMockRule(rules, 'GET', 'https://api.example.com/v1/users')?.index).toBe(2);
    expect(matchMockRule(rules, 'GET', 'https://hooks.example.com/42')?.index).toBe(1);
    expect(matchMockRule(rules, 'GET', 'https://hooks.example.com/abc')).toBeNull();
    expect(matchMockRule(rules, 'GET', 'https://other.example.com/')).toBeNull();
  });

  it('treats glob text literally apart from *', () => {
    expect(matchMockRule([{ url: 'https://a.com/x?y=1' }], 'GET', 'https://a.com/x?y=1')).not.toBeNull();
    expect(matchMockRule([{ url: 'https://a.com/x?y=1' }], 'GET', 'https://a.com/xay=1')).toBeNull();
    expect(matchMockRule([{ url: 'https://a.com/x' }], 'GET', 'https://a.com/x/more')).toBeNull();
    expect(matchMockRule([{ url: '*' }], 'DELETE', 'http://anything/')).not.toBeNull();
  });

  it('names a bad regex', () => {
    expect(() => compileUrlPattern('/(/')).toThrow(/mock rule url "\/\(\/" is not a valid regular expression/);
  });
});
