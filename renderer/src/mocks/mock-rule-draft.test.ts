import { describe, expect, it } from 'vitest';
import type { RequestTrace } from '../../../main/contract';
import { bodyText, bodyValue, ruleFromTrace, rulesOfText, withRuleAdded, withRuleField, withRuleRemoved } from './mock-rule-draft';

const trace = (over: Partial<RequestTrace>): RequestTrace => ({
  method: 'post',
  url: 'https://api.example.test/v1/events',
  headers: { authorization: 'Bearer ••••abcd' },
  body: '{"a":1}',
  response: { status: 201, statusText: 'Created', headers: { 'content-type': 'application/json', 'content-length': '12', date: 'x' }, body: '{"id":"evt_1"}' },
  mocked: false,
  durationMs: 12,
  ...over,
});

describe('mock rule drafts', () => {
  it('edits one field of one rule and keeps the others', () => {
    const text = '[{"url": "https://a.test/*"}, {"url": "https://b.test/*", "status": 500}]';
    const edited = withRuleField(text, 1, 'status', 503);
    expect(rulesOfText(edited)).toEqual([{ url: 'https://a.test/*' }, { url: 'https://b.test/*', status: 503 }]);
    expect(rulesOfText(withRuleField(edited, 1, 'status', undefined))).toEqual([{ url: 'https://a.test/*' }, { url: 'https://b.test/*' }]);
    expect(rulesOfText(withRuleRemoved(edited, 0))).toEqual([{ url: 'https://b.test/*', status: 503 }]);
    expect(rulesOfText(withRuleAdded(edited, { url: 'https://c.test/*' }, true) ?? '')?.[0]).toEqual({ url: 'https://c.test/*' });
  });

  it('leaves text the form cannot show alone', () => {
    expect(rulesOfText('{"url": 1}')).toBeNull();
    expect(rulesOfText('[{')).toBeNull();
    expect(withRuleField('[{', 0, 'status', 200)).toBe('[{');
    expect(withRuleAdded('[{', { url: 'https://a.test/' }, true)).toBeNull();
  });

  it('shows and reads bodies: JSON when it is JSON, text otherwise', () => {
    expect(bodyText({ ok: true })).toBe('{\n  "ok": true\n}');
    expect(bodyText('plain')).toBe('plain');
    expect(bodyValue('{"ok": true}')).toEqual({ ok: true });
    expect(bodyValue('{"ok": ')).toBe('{"ok": ');
    expect(bodyValue('')).toBeUndefined();
  });

  it('turns a captured response into a rule for that exact request', () => {
    expect(ruleFromTrace(trace({}))).toEqual({
      method: 'POST',
      url: 'https://api.example.test/v1/events',
      status: 201,
      headers: { 'content-type': 'application/json' },
      body: { id: 'evt_1' },
    });
    expect(ruleFromTrace(trace({ response: null, error: 'getaddrinfo ENOTFOUND' }))).toEqual({ method: 'POST', url: 'https://api.example.test/v1/events', status: 200, body: {} });
    expect(ruleFromTrace(trace({ url: 'https://a.test/x*y' })).url).toBe('/^https:\\/\\/a\\.test\\/x\\*y$/');
  });
});
