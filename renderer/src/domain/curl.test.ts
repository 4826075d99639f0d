import { describe, expect, it } from 'vitest';
import { shellQuote, toCurl } from './curl';

describe('toCurl', () => {
  it('writes a POST with headers and a JSON body, quoted for a shell', () => {
    const text = toCurl({
      method: 'POST',
      url: 'https://api.example.test/v1/track?x=1&y=2',
      headers: { 'content-type': 'application/json', authorization: 'Bearer ••••abcd', 'content-length': '17' },
      body: `{"name":"O'Brien"}`,
    });
    expect(text).toBe(
      [
        "curl 'https://api.example.test/v1/track?x=1&y=2'",
        "-H 'content-type: application/json'",
        "-H 'authorization: Bearer ••••abcd'",
        `--data-raw '{"name":"O'\\''Brien"}'`,
      ].join(' \\\n  '),
    );
  });

  it('names the method only where curl would not guess it', () => {
    expect(toCurl({ method: 'GET', url: 'https://a.test/', headers: {}, body: null })).toBe("curl 'https://a.test/'");
    expect(toCurl({ method: 'DELETE', url: 'https://a.test/1', headers: {}, body: null })).toBe("curl -X 'DELETE' 'https://a.test/1'");
    expect(toCurl({ method: 'put', url: 'https://a.test/1', headers: {}, body: 'x' })).toContain("-X 'PUT'");
  });

  it('quotes anything safely', () => {
    expect(shellQuote("a'b$(rm -rf /)\n")).toBe("'a'\\''b$(rm -rf /)\n'");
  });
});
