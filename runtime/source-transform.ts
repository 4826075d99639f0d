/**
 * SES refuses any source text that contains `<!--`, `-->`, `import(` or `eval(`, even
 * inside strings and comments, because it cannot tell them apart without a parser. Real
 * functions contain such text (HTML snippets, "evaluate(", comments), so this scanner
 * rewrites the occurrences that are NOT code into equivalent text SES accepts:
 * - comments: one character changes case or becomes '_' (same length, same lines);
 * - string and template literals: an identity escape (`imp\ort(`, `<!\--`), same value;
 * - regular expression literals: a one-character class (`imp[o]rt(`), same language;
 * - code: `a-->b` becomes `a-- >b`, direct `eval(` becomes indirect `(0,eval)(`, an
 *   HTML open comment becomes `//`.
 * A real dynamic `import(` in code is reported (functions cannot import dependencies).
 * Line numbers never change; columns shift only on lines holding a rewrite.
 */

export interface TransformedSource {
  code: string;
  /** Position (1-based) of the first dynamic `import(` in code, if any. */
  dynamicImport: { line: number; column: number } | null;
}

const NEEDS_SCAN = /<!--|-->|\bimport\s*(?:\(|\/[/*])|\beval\s*\(/;
const IMPORT_IN_TEXT = /\bimport(?=\s*(?:\(|\/[/*]))/g;
const EVAL_IN_TEXT = /\beval(?=\s*\()/g;

function fixComment(text: string): string {
  return text
    .replace(/<!--/g, '<!_-')
    .replace(/-->/g, '-_>')
    .replace(IMPORT_IN_TEXT, 'Import')
    .replace(EVAL_IN_TEXT, 'Eval');
}

function fixStringBody(text: string): string {
  return text
    .replace(/<!--/g, '<!\\--')
    .replace(/-->/g, '-\\->')
    .replace(IMPORT_IN_TEXT, 'imp\\ort')
    .replace(EVAL_IN_TEXT, 'ev\\al');
}

function fixRegexBody(text: string): string {
  return text
    .replace(/<!--/g, '<!-[-]')
    .replace(/-->/g, '-[-]>')
    .replace(IMPORT_IN_TEXT, 'imp[o]rt')
    .replace(EVAL_IN_TEXT, 'ev[a]l');
}

const REGEX_AFTER_WORDS = new Set([
  'return', 'typeof', 'instanceof', 'in', 'of', 'new', 'delete', 'void', 'throw', 'case', 'do', 'else', 'yield', 'await',
]);

function isIdentChar(ch: string): boolean {
  return /[\w$\u0080-\uffff]/.test(ch);
}

export function transformSource(src: string): TransformedSource {
  if (!NEEDS_SCAN.test(src)) return { code: src, dynamicImport: null };

  let out = '';
  let dynamicImport: TransformedSource['dynamicImport'] = null;
  let i = 0;
  const n = src.length;
  // Brace depth per open template `${`: when it returns to 0 we are back in the template.
  const templateDepths: number[] = [];
  // Last significant code token, to tell a regex literal from a division.
  let lastToken = '';

  const positionOf = (index: number) => {
    const before = src.slice(0, index);
    const line = before.split('\n').length;
    return { line, column: index - before.lastIndexOf('\n') };
  };

  const readTemplate = (start: number): number => {
    // src[start] is just after '`' or '}' closing an expression; copy up to '`' or '${'.
    let j = start;
    while (j < n) {
      const ch = src[j];
      if (ch === '\\') { j += 2; continue; }
      if (ch === '`') {
        out += fixStringBody(src.slice(start, j)) + '`';
        lastToken = '`';
        return j + 1;
      }
      if (ch === '$' && src[j + 1] === '{') {
        out += fixStringBody(src.slice(start, j)) + '${';
        templateDepths.push(1);
        lastToken = '{';
        return j + 2;
      }
      j++;
    }
    out += fixStringBody(src.slice(start));
    return n;
  };

  while (i < n) {
    const ch = src[i];
    const next = src[i + 1];
    if (ch === '/' && next === '/') {
      const end = src.indexOf('\n', i);
      const stop = end === -1 ? n : end;
      out += fixComment(src.slice(i, stop));
      i = stop;
      continue;
    }
    if (ch === '/' && next === '*') {
      const end = src.indexOf('*/', i + 2);
      const stop = end === -1 ? n : end + 2;
      out += fixComment(src.slice(i, stop));
      i = stop;
      continue;
    }
    if (ch === '<' && src.startsWith('<!--', i)) {
      // An HTML-like comment in script code runs to the end of the line.
      const end = src.indexOf('\n', i);
      const stop = end === -1 ? n : end;
      out += '//' + fixComment(src.slice(i + 2, stop));
      i = stop;
      continue;
    }
    if (ch === '"' || ch === "'") {
      let j = i + 1;
      while (j < n && src[j] !== ch && src[j] !== '\n') j += src[j] === '\\' ? 2 : 1;
      out += ch + fixStringBody(src.slice(i + 1, j)) + (j < n ? src[j] : '');
      i = j + 1;
      lastToken = '"';
      continue;
    }
    if (ch === '`') {
      out += '`';
      i = readTemplate(i + 1);
      continue;
    }
    if (ch === '/') {
      const regexAllowed = lastToken === '' || (!isIdentChar(lastToken.slice(-1)) && !/[)\]}"`]$/.test(lastToken)) || REGEX_AFTER_WORDS.has(lastToken);
      if (regexAllowed) {
        let j = i + 1;
        let inClass = false;
        while (j < n && src[j] !== '\n') {
          const c = src[j];
          if (c === '\\') { j += 2; continue; }
          if (c === '[') inClass = true;
          else if (c === ']') inClass = false;
          else if (c === '/' && !inClass) break;
          j++;
        }
        out += '/' + fixRegexBody(src.slice(i + 1, j)) + '/';
        i = j + 1;
        while (i < n && isIdentChar(src[i])) out += src[i++];
        lastToken = '/re/';
        continue;
      }
      out += ch;
      lastToken = ch;
      i++;
      continue;
    }
    if (ch === '{') {
      if (templateDepths.length) templateDepths[templateDepths.length - 1]++;
      out += ch;
      lastToken = ch;
      i++;
      continue;
    }
    if (ch === '}') {
      if (templateDepths.length) {
        const depth = --templateDepths[templateDepths.length - 1];
        if (depth === 0) {
          templateDepths.pop();
          out += '}';
          i = readTemplate(i + 1);
          continue;
        }
      }
      out += ch;
      lastToken = ch;
      i++;
      continue;
    }
    if (ch === '-' && src.startsWith('-->', i)) {
      out += '-- >';
      i += 3;
      lastToken = '>';
      continue;
    }
    if (isIdentChar(ch)) {
      let j = i;
      while (j < n && isIdentChar(src[j])) j++;
      const word = src.slice(i, j);
      const precededByDot = src[i - 1] === '.' && src[i - 2] !== '.';
      const rest = src.slice(j, j + 40);
      if (word === 'import' && !precededByDot && /^\s*(?:\(|\/[/*])/.test(rest)) {
        if (!dynamicImport) dynamicImport = positionOf(i);
        out += word;
      } else if (word === 'eval' && !precededByDot && /^\s*\(/.test(rest)) {
        out += '(0,eval)';
      } else {
        out += word;
      }
      lastToken = word;
      i = j;
      continue;
    }
    if (!/\s/.test(ch)) lastToken = ch;
    out += ch;
    i++;
  }
  return { code: out, dynamicImport };
}

export interface Replacement {
  /** [start, end) offsets in the code. */
  start: number;
  end: number;
  /** Single-line text to put there. */
  text: string;
}

const LINE_BREAK = /(\r\n|[\n\r\u2028\u2029])/;

/**
 * Replaces ranges of `code` without moving any line, so stack traces keep pointing at
 * the user's lines. A replacement no longer than its range is padded with spaces, so
 * nothing else on the line moves either; a longer one pushes the rest of its line to
 * the right. A range spanning lines keeps its line breaks after the replacement, with
 * its last line blanked to the same width.
 */
export function replaceKeepingLines(code: string, replacements: readonly Replacement[]): string {
  const sorted = [...replacements].sort((a, b) => a.start - b.start);
  let out = '';
  let at = 0;
  for (const { start, end, text } of sorted) {
    if (start < at || end < start || end > code.length) throw new RangeError(`replacement ${start}-${end} overlaps another or lies outside the code`);
    if (LINE_BREAK.test(text)) throw new RangeError('a replacement must be a single line');
    out += code.slice(at, start);
    // Split with the capture group: even indices are line contents, odd ones the breaks.
    const parts = code.slice(start, end).split(LINE_BREAK);
    out += text.padEnd(parts[0].length);
    if (parts.length > 1) {
      for (let i = 1; i < parts.length; i += 2) out += parts[i];
      out += ' '.repeat(parts[parts.length - 1].length);
    }
    at = end;
  }
  return out + code.slice(at);
}
