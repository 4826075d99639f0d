/**
 * Where JSON text first goes wrong, as line and column. JSON.parse's messages carry a
 * position only sometimes (and differently per engine), so a small scanner finds it.
 */
export interface JsonErrorPosition {
  /** 1-based. */
  line: number;
  column: number;
  reason: string;
}

class Stop extends Error {
  constructor(
    readonly offset: number,
    readonly reason: string,
  ) {
    super(reason);
  }
}

export function jsonErrorPosition(text: string): JsonErrorPosition | null {
  let i = 0;
  const fail = (reason: string): never => {
    throw new Stop(i, reason);
  };
  const found = () => (i >= text.length ? 'the end of the text' : JSON.stringify(text[i]));
  const space = () => {
    while (i < text.length && ' \t\n\r'.includes(text[i])) i++;
  };
  const literal = (word: string) => {
    for (const ch of word) {
      if (text[i] !== ch) fail(`expected ${word}`);
      i++;
    }
  };
  const string = () => {
    i++;
    while (i < text.length && text[i] !== '"') {
      if (text[i] === '\\') {
        i++;
        if (text[i] === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 1, i + 5))) fail('expected four hex digits after \\u');
          i += 4;
        } else if (!'"\\/bfnrt'.includes(text[i] ?? '')) fail('invalid escape in a string');
      } else if (text.charCodeAt(i) < 0x20) fail('line break or control character inside a string (escape it)');
      i++;
    }
    if (i >= text.length) fail('a string is not closed with "');
    i++;
  };
  const number = () => {
    const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i));
    if (!m || m[0] === '-' || m[0] === '') fail(`expected a value, found ${found()}`);
    i += (m as RegExpExecArray)[0].length;
  };
  const value = (): void => {
    space();
    const ch = text[i];
    if (ch === '{') {
      i++;
      space();
      if (text[i] === '}') {
        i++;
        return;
      }
      for (;;) {
        space();
        if (text[i] !== '"') fail(`expected a property name in double quotes, found ${found()}`);
        string();
        space();
        if (text[i] !== ':') fail(`expected ':' after a property name, found ${found()}`);
        i++;
        value();
        space();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === '}') {
          i++;
          return;
        }
        fail(`expected ',' or '}' after a property value, found ${found()}`);
      }
    }
    if (ch === '[') {
      i++;
      space();
      if (text[i] === ']') {
        i++;
        return;
      }
      for (;;) {
        value();
        space();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === ']') {
          i++;
          return;
        }
        fail(`expected ',' or ']' after an array item, found ${found()}`);
      }
    }
    if (ch === '"') return string();
    if (ch === 't') return literal('true');
    if (ch === 'f') return literal('false');
    if (ch === 'n') return literal('null');
    return number();
  };
  try {
    value();
    space();
    if (i < text.length) fail(`unexpected ${found()} after the JSON value`);
    return null;
  } catch (err) {
    if (!(err instanceof Stop)) return null;
    const before = text.slice(0, err.offset);
    const line = before.split('\n').length;
    const column = err.offset - (before.lastIndexOf('\n') + 1) + 1;
    return { line, column, reason: err.reason };
  }
}
