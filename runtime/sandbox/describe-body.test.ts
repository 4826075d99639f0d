import { describe, expect, it } from 'vitest';
import { describeBody } from './network';

describe('describeBody: what a request trace shows of a body', () => {
  // A text body is described without being encoded when that changes nothing: the
  // description must be exactly what its UTF-8 bytes would give.
  const texts: Array<[string, string]> = [
    ['JSON', JSON.stringify({ event: 'Order Completed', total: 12.5, note: 'Zoë paid 5 €' })],
    ['empty', ''],
    ['tabs and newlines', 'a\tb\r\nc\u000bd\u000ce'],
    ['a control character (binary)', 'abc\u0001def'],
    ['a NUL (binary)', 'abc\u0000'],
    ['a backspace (binary)', 'abc\u0008'],
    ['a shift-out (binary)', '\u000eabc'],
    ['a unit separator (binary)', 'a\u001fbc'],
    ['a space, a DEL and a C1 control (text)', 'a b\u007fc\u0085d'],
    ['a lone surrogate', 'before \ud800 after'],
    ['a pair', 'emoji 😀 ok'],
    ['a leading BOM', '\ufeff{"a":1}'],
    ['over the capture limit', 'x'.repeat(70 * 1024)],
    ['multi-byte near the limit', 'é'.repeat(32 * 1024 + 5)],
  ];
  for (const [what, text] of texts) {
    it(`a text body with ${what} reads as its bytes would`, () => {
      expect(describeBody(text)).toBe(describeBody(Buffer.from(text, 'utf8')));
    });
  }

  it('keeps the very string when nothing would change it', () => {
    const text = JSON.stringify({ a: 'b' });
    expect(describeBody(text)).toBe(text);
    expect(describeBody(null)).toBeNull();
  });
});
