/**
 * IntelliSense that knows the function, without touching the user's text.
 *
 * TypeScript types a JavaScript function's parameters only from JSDoc: a global
 * `declare function onTrack(…)` does not reach a script's own declaration (tested in the TS
 * worker: the parameters stay `any`). So the editor asks the TS worker about a *shadow* of
 * the handler instead: the same text with the handler parameters' types put in — for
 * handler.js a JSDoc comment in front of each handler declaration (on its own line), for
 * handler.ts a `: Type` after each unannotated parameter — so line numbers stay exact, and,
 * at the very end, an `export {}` that makes the shadow a module (its declarations then
 * never clash with the real handler's globals) and a declaration that makes
 * `FunctionSettings` mean this function's declared settings. Positions are mapped between
 * the two by line and column. (main/core/check/handler-shadow.ts does the same for
 * `fnstudio check`, with TypeScript's parser.)
 *
 * Pure functions only (no Monaco): the wiring is in handler-intellisense.ts.
 */
import type { FunctionSetting } from '../../../main/contract';
import { HANDLER_EVENT_TYPES, SETTING_TS_TYPES } from '../../../main/contract/handler-types';

/** The interface name of one function's settings (function ids are lower-case slugs). */
export function settingsTypeName(functionId: string): string {
  return `FnStudioSettings_${functionId.replace(/[^A-Za-z0-9_]/g, '_')}`;
}

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

function docText(text: string): string {
  return text.replace(/\*\//g, '*\\/').replace(/\s*\n\s*/g, ' ').trim();
}

/** A global declaration file with this function's settings as an interface, documented. */
export function settingsLib(functionId: string, displayName: string, settings: readonly Pick<FunctionSetting, 'name' | 'label' | 'description' | 'type' | 'required' | 'sensitive'>[]): string {
  const lines = [`/** The settings of “${docText(displayName)}”, as its Settings tab declares them. */`, `interface ${settingsTypeName(functionId)} {`];
  for (const s of settings) {
    // A draft with a half-typed name cannot be a property yet.
    if (!IDENTIFIER.test(s.name)) continue;
    const facts = [s.type, s.required ? 'required' : 'optional', ...(s.sensitive ? ['encrypted'] : [])].join(', ');
    const description = s.description.trim() === '' ? '' : ` — ${docText(s.description)}`;
    lines.push(`  /** **${docText(s.label || s.name)}** (${facts})${description} */`);
    lines.push(`  ${s.name}${s.required ? '' : '?'}: ${SETTING_TS_TYPES[s.type]};`);
  }
  lines.push('}', '');
  return lines.join('\n');
}

/** One inserted text: on `line` (1-based), at `column` (1-based), `length` characters. */
export interface Insertion {
  line: number;
  column: number;
  length: number;
}

export interface Shadow {
  text: string;
  insertions: Insertion[];
}

/**
 * Replaces comments and string contents by spaces (newlines kept), so that scanning for
 * declarations and `settings.x` never matches inside them. Template literal text is blanked
 * too; its `${…}` expressions are kept.
 */
export function codeOnly(code: string): string {
  const out = code.split('');
  const blank = (from: number, to: number) => {
    for (let k = from; k < to && k < out.length; k++) if (out[k] !== '\n') out[k] = ' ';
  };
  const templateDepth: number[] = [];
  let i = 0;
  while (i < code.length) {
    const ch = code[i];
    const next = code[i + 1];
    if (ch === '/' && next === '/') {
      const end = code.indexOf('\n', i);
      const stop = end === -1 ? code.length : end;
      blank(i, stop);
      i = stop;
      continue;
    }
    if (ch === '/' && next === '*') {
      const end = code.indexOf('*/', i + 2);
      const stop = end === -1 ? code.length : end + 2;
      blank(i, stop);
      i = stop;
      continue;
    }
    if (ch === '"' || ch === "'") {
      const start = i;
      i++;
      while (i < code.length && code[i] !== ch && code[i] !== '\n') i += code[i] === '\\' ? 2 : 1;
      blank(start + 1, i);
      i++;
      continue;
    }
    if (ch === '`' || (ch === '}' && templateDepth.length > 0 && templateDepth[templateDepth.length - 1] === 0)) {
      if (ch === '}') templateDepth.pop();
      i++;
      const start = i;
      while (i < code.length && code[i] !== '`') {
        if (code[i] === '\\') {
          i += 2;
          continue;
        }
        if (code[i] === '$' && code[i + 1] === '{') {
          templateDepth.push(0);
          break;
        }
        i++;
      }
      blank(start, i);
      if (code[i] === '$') i += 2;
      else if (code[i] === '`') i++;
      continue;
    }
    if (ch === '{' && templateDepth.length > 0) templateDepth[templateDepth.length - 1]++;
    if (ch === '}' && templateDepth.length > 0) templateDepth[templateDepth.length - 1]--;
    i++;
  }
  return out.join('');
}

const HANDLER_DECLARATION = /^([ \t]*)((?:async[ \t]+)?function[ \t]*\*?[ \t]*(on(?:Track|Identify|Page|Screen|Group|Alias|Delete|Batch))[ \t]*\(\s*([A-Za-z_$][\w$]*)?\s*(?:,\s*([A-Za-z_$][\w$]*))?)/gm;

/** A TypeScript handler's head, up to and including the `(` of its parameter list. */
const TS_HANDLER_HEAD = /^[ \t]*(?:async[ \t]+)?function[ \t]*\*?[ \t]*(on(?:Track|Identify|Page|Screen|Group|Alias|Delete|Batch))[ \t]*(?:<[^>()]*>[ \t]*)?\(/gm;

const IDENTIFIER_AT = /[A-Za-z_$][\w$]*/y;

/**
 * Where `: Type` goes for each of the first two parameters of the list opening at `from`
 * (just after its `(`) in `scan` (code only): after the name (and its `?`) of a plain
 * parameter without a type; null for one that has a type, is destructured or is missing.
 */
function untypedParameters(scan: string, from: number): Array<number | null> {
  const result: Array<number | null> = [];
  let i = from;
  for (let k = 0; k < 2; k++) {
    while (i < scan.length && /\s/.test(scan[i])) i++;
    IDENTIFIER_AT.lastIndex = i;
    const name = IDENTIFIER_AT.exec(scan);
    if (!name) {
      result.push(null);
    } else {
      let j = i + name[0].length;
      let insertAt = j;
      while (j < scan.length && /[ \t]/.test(scan[j])) j++;
      if (scan[j] === '?') insertAt = ++j;
      while (j < scan.length && /\s/.test(scan[j])) j++;
      result.push(scan[j] === ':' ? null : insertAt);
    }
    // On to the next parameter: the next comma outside brackets, or the end of the list.
    let depth = 0;
    while (i < scan.length) {
      const ch = scan[i];
      if (ch === '(' || ch === '[' || ch === '{' || ch === '<') depth++;
      else if ((ch === ')' || ch === ']' || ch === '}' || (ch === '>' && scan[i - 1] !== '=')) && depth > 0) depth--;
      else if (ch === ')') return result;
      else if (ch === ',' && depth === 0) break;
      i++;
    }
    i++;
  }
  return result;
}

export type HandlerLanguage = 'javascript' | 'typescript';

/** The shadow of the handler that the TS worker answers about (see the file comment). */
export function shadowOf(code: string, functionId: string, language: HandlerLanguage = 'javascript'): Shadow {
  const scan = codeOnly(code);
  const lineStarts = [0];
  for (let k = 0; k < code.length; k++) if (code[k] === '\n') lineStarts.push(k + 1);
  const found: Array<{ offset: number; text: string }> = [];
  if (language === 'typescript') {
    for (const m of scan.matchAll(TS_HANDLER_HEAD)) {
      const types = [HANDLER_EVENT_TYPES[m[1]], settingsTypeName(functionId)];
      untypedParameters(scan, (m.index ?? 0) + m[0].length).forEach((at, k) => {
        if (at !== null) found.push({ offset: at, text: `: ${types[k]}` });
      });
    }
  } else {
    for (const m of scan.matchAll(HANDLER_DECLARATION)) {
      const [, indent, , name, eventParam, settingsParam] = m;
      const tags = [
        ...(eventParam ? [`@param {${HANDLER_EVENT_TYPES[name]}} ${eventParam}`] : []),
        ...(settingsParam ? [`@param {${settingsTypeName(functionId)}} ${settingsParam}`] : []),
      ];
      if (tags.length === 0) continue;
      found.push({ offset: (m.index ?? 0) + indent.length, text: `/** ${tags.join(' ')} */ ` });
    }
  }
  found.sort((a, b) => a.offset - b.offset);
  let text = '';
  let from = 0;
  const insertions: Insertion[] = [];
  for (const f of found) {
    text += code.slice(from, f.offset) + f.text;
    from = f.offset;
    const line = upperBound(lineStarts, f.offset);
    insertions.push({ line, column: f.offset - lineStarts[line - 1] + 1, length: f.text.length });
  }
  text += code.slice(from);
  // After the last line: nothing before it moves. A module (export {}) keeps the shadow's
  // declarations out of the global scope the real handler lives in.
  text +=
    language === 'typescript'
      ? `\nexport {};\ntype FunctionSettings = ${settingsTypeName(functionId)};\n`
      : `\nexport {};\n/** @typedef {${settingsTypeName(functionId)}} FunctionSettings */\n`;
  return { text, insertions };
}

/** 1-based line of `offset`. */
function upperBound(lineStarts: number[], offset: number): number {
  let lo = 0;
  let hi = lineStarts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (lineStarts[mid] <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo + 1;
}

export interface Position {
  lineNumber: number;
  column: number;
}

/** Insertions are in text order; several may share a line (a TypeScript handler's two parameters). */
export function toShadow(insertions: readonly Insertion[], p: Position): Position {
  let shift = 0;
  for (const ins of insertions) if (ins.line === p.lineNumber && p.column >= ins.column) shift += ins.length;
  return { lineNumber: p.lineNumber, column: p.column + shift };
}

export function fromShadow(insertions: readonly Insertion[], p: Position): Position {
  let shift = 0;
  for (const ins of insertions) {
    if (ins.line !== p.lineNumber) continue;
    const start = ins.column + shift;
    if (p.column < start) break;
    // Inside an inserted text: it has no place in the real text but where it was put.
    if (p.column < start + ins.length) return { lineNumber: p.lineNumber, column: ins.column };
    shift += ins.length;
  }
  return { lineNumber: p.lineNumber, column: p.column - shift };
}

export interface SettingUse {
  name: string;
  line: number;
  column: number;
  endColumn: number;
}

/** Every `settings.<name>` the code reads (comments and strings excluded). */
export function settingUses(code: string): SettingUse[] {
  const scan = codeOnly(code);
  const uses: SettingUse[] = [];
  const lines = scan.split('\n');
  lines.forEach((text, index) => {
    for (const m of text.matchAll(/(^|[^\w$.])settings\s*\??\.\s*([A-Za-z_$][\w$]*)/g)) {
      const name = m[2];
      const column = (m.index ?? 0) + m[0].length - name.length + 1;
      uses.push({ name, line: index + 1, column, endColumn: column + name.length });
    }
  });
  return uses;
}

/** The warning for a setting the code reads but the function does not declare; null when declared. */
export function undeclaredSettingMessage(name: string, declared: readonly string[]): string | null {
  if (declared.includes(name)) return null;
  if (declared.length === 0) return `“${name}” is not a setting of this function: it declares none. Add it in the Settings tab, or settings.${name} is undefined at run time.`;
  return `“${name}” is not a declared setting of this function (declared: ${declared.join(', ')}). Add it in the Settings tab, or settings.${name} is undefined at run time.`;
}
