import { describe, expect, it } from 'vitest';
import type { Outcome } from '../contract/outcome';
import { MASK, createRedactor, maskSecret, redactOutcome, redactText, secretStrings } from './redact';

const SECRET = 'sk_live_51HqZ9xYzAbCdEf';

function outcomeWith(secret: string): Outcome {
  const basic = Buffer.from(`api:${secret}`).toString('base64');
  return {
    outcome: 'Bad Request',
    retryable: false,
    error: {
      name: 'Error',
      message: `request with ${secret} failed`,
      stack: `Error: request with ${secret} failed\n    at onTrack (handler.js:3:9)`,
      frames: [{ functionName: 'onTrack', line: 3, column: 9 }],
    },
    logs: [
      { level: 'log', message: `key is ${secret}` },
      { level: 'info', message: `{ apiKey: '${secret}' }` },
    ],
    logsTruncated: false,
    requests: [
      {
        method: 'POST',
        url: `https://api.example.com/v1?key=${encodeURIComponent(secret)}&x=1`,
        headers: { authorization: `Bearer ${secret}`, 'x-basic': `Basic ${basic}` },
        body: JSON.stringify({ token: secret }),
        response: {
          status: 401,
          statusText: 'Unauthorized',
          headers: { 'x-echo': secret },
          body: `invalid key ${secret}`,
        },
        error: `socket hang up for ${secret}`,
        mocked: true,
        durationMs: 3,
      },
    ],
    result: { nested: [{ deep: { value: `${secret}!` } }], [secret]: 'as a key' },
    durationMs: 12,
    items: [{ index: 0, status: 400, errormessage: `bad ${secret}`, category: 'Message Rejected' }],
  };
}

describe('maskSecret', () => {
  it('shows at most the last 4 characters of a long secret', () => {
    expect(maskSecret(SECRET)).toBe(`${MASK}CdEf`);
  });

  it('reveals at most a quarter of a short secret', () => {
    expect(maskSecret('abc')).toBe(MASK);
    expect(maskSecret('abcdef')).toBe(`${MASK}f`);
    expect(maskSecret('abcdefgh')).toBe(`${MASK}gh`);
    expect(maskSecret('abcdefghijkl')).toBe(`${MASK}jkl`);
  });
});

describe('redactOutcome', () => {
  it('leaves no plaintext, URL-encoded, base64 or JSON-escaped form anywhere', () => {
    const secret = 'p@ss w/ "quotes" & more+1';
    const redacted = redactOutcome(outcomeWith(secret), [secret]);
    const text = JSON.stringify(redacted);
    expect(text).not.toContain(secret);
    expect(text).not.toContain(encodeURIComponent(secret));
    expect(text).not.toContain(JSON.stringify(secret).slice(1, -1));
    expect(text).not.toContain(Buffer.from(`api:${secret}`).toString('base64').slice(8, 24));
    expect(text).toContain(maskSecret(secret));
  });

  it('masks every field of an outcome and keeps its shape', () => {
    const redacted = redactOutcome(outcomeWith(SECRET), [SECRET]);
    const m = maskSecret(SECRET);
    expect(redacted.logs[0].message).toBe(`key is ${m}`);
    expect(redacted.error?.message).toBe(`request with ${m} failed`);
    expect(redacted.error?.stack).toContain(`request with ${m} failed`);
    expect(redacted.error?.frames).toEqual([{ functionName: 'onTrack', line: 3, column: 9 }]);
    const req = redacted.requests[0];
    expect(req.url).toBe(`https://api.example.com/v1?key=${m}&x=1`);
    expect(req.headers.authorization).toBe(`Bearer ${m}`);
    expect(req.headers['x-basic']).not.toContain(Buffer.from(SECRET).toString('base64').slice(0, 12));
    expect(req.body).toBe(JSON.stringify({ token: m }));
    expect(req.response?.body).toBe(`invalid key ${m}`);
    expect(req.response?.headers['x-echo']).toBe(m);
    expect(req.error).toBe(`socket hang up for ${m}`);
    expect(req.mocked).toBe(true);
    expect(redacted.result).toEqual({ nested: [{ deep: { value: `${m}!` } }], [m]: 'as a key' });
    expect(redacted.items?.[0].errormessage).toBe(`bad ${m}`);
    expect(redacted.durationMs).toBe(12);
  });

  it('does not modify the original outcome', () => {
    const original = outcomeWith(SECRET);
    redactOutcome(original, [SECRET]);
    expect(original.logs[0].message).toBe(`key is ${SECRET}`);
  });

  it('masks the base64 of the secret alone and inside Basic credentials', () => {
    for (const prefix of ['', 'a:', 'ab:', 'abc:']) {
      const encoded = Buffer.from(prefix + SECRET).toString('base64');
      const out = redactText(`Authorization: Basic ${encoded}`, [SECRET]);
      expect(Buffer.from(out.split('Basic ')[1], 'base64').toString('latin1')).not.toContain(SECRET.slice(2, -2));
      expect(out).toContain(MASK);
    }
  });

  it('masks the longer of two overlapping secrets as a whole', () => {
    const out = redactText('token=abcdefghijkl', ['abcdefghijkl', 'abcdef']);
    expect(out).toBe(`token=${maskSecret('abcdefghijkl')}`);
  });

  it('handles several secrets, repeated occurrences and regex metacharacters', () => {
    const a = 'a.b*c(d)e[f]';
    const b = '$up^er|secret?';
    const out = redactText(`${a} ${b} ${a}${b}`, [a, b]);
    expect(out).not.toContain(a);
    expect(out).not.toContain(b);
    expect(out.split(MASK)).toHaveLength(5);
  });

  it('is a no-op without secrets, and ignores empty ones', () => {
    const outcome = outcomeWith(SECRET);
    expect(redactOutcome(outcome, [])).toEqual(outcome);
    expect(redactOutcome(outcome, [''])).toEqual(outcome);
    expect(createRedactor(['']).empty).toBe(true);
  });

  it('copes with shared references in return values', () => {
    const shared = { key: SECRET };
    const value = createRedactor([SECRET]).value({ a: shared, b: shared, list: [shared] });
    expect(JSON.stringify(value)).not.toContain(SECRET);
  });
});

describe('secretStrings', () => {
  it('collects the strings of string, array and map values but not booleans', () => {
    expect(secretStrings('abc')).toEqual(['abc']);
    expect(secretStrings(['x1', 'y2'])).toEqual(['x1', 'y2']);
    expect(secretStrings({ a: 'k1', b: 'k2' })).toEqual(['k1', 'k2']);
    expect(secretStrings(true)).toEqual([]);
    expect(secretStrings('')).toEqual([]);
  });
});

describe('redactOutcome keeps the outcome well-formed', () => {
  it('does not mask field names or categories even when a secret equals one', () => {
    const outcome = outcomeWith('message');
    outcome.result = { message: 'message', nested: { log: 'the message' } };
    const redacted = redactOutcome(outcome, ['message', 'Bad Request', 'log']);
    expect(redacted.outcome).toBe('Bad Request');
    expect(redacted.logs[0].level).toBe('log');
    expect(Object.keys(redacted.error ?? {})).toEqual(['name', 'message', 'stack', 'frames']);
    expect(redacted.items?.[0].category).toBe('Message Rejected');
    // Inside user data (the return value, headers) keys are data and are masked too.
    expect(JSON.stringify(redacted.result)).not.toContain('message');
    expect(redacted.logs[0].message).not.toContain('message');
  });

  it('masks fields it does not know about yet', () => {
    const outcome = { ...outcomeWith(SECRET), futureField: { note: `has ${SECRET}` } } as Outcome;
    expect(JSON.stringify(redactOutcome(outcome, [SECRET]))).not.toContain(SECRET);
  });
});
