/**
 * Finds module syntax a Segment function cannot use: `require(…)`, `import …`, `import(…)`
 * and `export …`. Segment runs the code as a plain script ("Functions don't support
 * importing dependencies"), so these fail only at run time there; the editor marks them
 * while typing. A small scanner rather than a parser: it skips comments, strings and
 * template text so that `'require('` in a string is not flagged.
 */
export interface ForbiddenUse {
  /** 1-based, like Monaco positions. */
  line: number;
  column: number;
  endColumn: number;
  keyword: 'require' | 'import' | 'export';
  message: string;
}

const MESSAGES: Record<ForbiddenUse['keyword'], string> = {
  require:
    "`require` is not available: Segment functions can't import dependencies. Use the globals instead (fetch, _, AWS, crypto, …).",
  import:
    "`import` is not available: Segment functions run as plain scripts and can't import dependencies. Use the globals instead (fetch, _, AWS, crypto, …).",
  export: '`export` is not available: Segment functions run as plain scripts. Declare handlers as top-level functions (async function onTrack(event, settings) {…}).',
};

function isIdentChar(ch: string | undefined): boolean {
  return ch !== undefined && /[A-Za-z0-9_$]/.test(ch);
}

export function findForbiddenSyntax(code: string): ForbiddenUse[] {
  const found: ForbiddenUse[] = [];
  const lineStarts = [0];
  for (let i = 0; i < code.length; i++) if (code[i] === '\n') lineStarts.push(i + 1);
  const position = (offset: number): { line: number; column: number } => {
    let lo = 0;
    let hi = lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (lineStarts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - lineStarts[lo] + 1 };
  };
  const nextNonSpace = (from: number): string | undefined => {
    let j = from;
    while (j < code.length && /\s/.test(code[j])) j++;
    return code[j];
  };
  const prevNonSpace = (from: number): string | undefined => {
    let j = from;
    while (j >= 0 && /\s/.test(code[j])) j--;
    return code[j];
  };

  // Template literal nesting: each entry counts open braces inside a `${ … }`.
  const templateDepth: number[] = [];
  let i = 0;
  while (i < code.length) {
    const ch = code[i];
    const next = code[i + 1];
    if (ch === '/' && next === '/') {
      while (i < code.length && code[i] !== '\n') i++;
      continue;
    }
    if (ch === '/' && next === '*') {
      const end = code.indexOf('*/', i + 2);
      i = end === -1 ? code.length : end + 2;
      continue;
    }
    if (ch === '"' || ch === "'") {
      i++;
      while (i < code.length && code[i] !== ch && code[i] !== '\n') i += code[i] === '\\' ? 2 : 1;
      i++;
      continue;
    }
    if (ch === '`' || (ch === '}' && templateDepth.length > 0 && templateDepth[templateDepth.length - 1] === 0)) {
      if (ch === '}') templateDepth.pop();
      i++;
      // Inside template text until the closing backtick or a `${`.
      while (i < code.length && code[i] !== '`') {
        if (code[i] === '\\') {
          i += 2;
          continue;
        }
        if (code[i] === '$' && code[i + 1] === '{') {
          templateDepth.push(0);
          i += 2;
          break;
        }
        i++;
      }
      if (code[i] === '`') i++;
      continue;
    }
    if (ch === '{' && templateDepth.length > 0) templateDepth[templateDepth.length - 1]++;
    if (ch === '}' && templateDepth.length > 0) templateDepth[templateDepth.length - 1]--;

    if (/[A-Za-z_$]/.test(ch) && !isIdentChar(code[i - 1])) {
      let j = i;
      while (isIdentChar(code[j])) j++;
      const word = code.slice(i, j);
      const before = prevNonSpace(i - 1);
      const after = nextNonSpace(j);
      // A property access (`x.require(`) or key (`{ import: 1 }`) is not the keyword.
      const isMember = before === '.' || after === ':';
      let keyword: ForbiddenUse['keyword'] | null = null;
      if (!isMember) {
        if (word === 'require' && after === '(') keyword = 'require';
        else if (word === 'import' && after !== undefined && /[\s({*'"`A-Za-z_$]/.test(code[j] ?? '') && after !== '.') keyword = 'import';
        else if (word === 'export' && after !== undefined && /[\s{*]/.test(code[j] ?? '')) keyword = 'export';
      }
      if (keyword) {
        const start = position(i);
        found.push({ line: start.line, column: start.column, endColumn: start.column + word.length, keyword, message: MESSAGES[keyword] });
      }
      i = j;
      continue;
    }
    i++;
  }
  return found;
}
