/**
 * The text TypeScript checks in place of a handler: the user's code with `event` and
 * `settings` typed from the handler's name, and `FunctionSettings` meaning this function's
 * declared settings. The same idea as the editor's IntelliSense (renderer/src/editor/
 * handler-types.ts), done here with TypeScript's own parser.
 *
 * Only insertions are made (a JSDoc comment in front of a JavaScript handler, a `: Type`
 * after an unannotated TypeScript parameter, a few lines after the last line), so every
 * position in the shadow maps back to the exact line and column of the user's file.
 */
import ts from 'typescript';
import type { FunctionSetting } from '../../contract/function';
import { HANDLER_EVENT_TYPES, SETTING_TS_TYPES } from '../../contract/handler-types';

/** The interface the shadow's `FunctionSettings` stands for. */
export const SETTINGS_TYPE = 'DeclaredSettings';

/** A declaration file with the function's settings as a global interface. */
export function settingsDeclaration(settings: readonly Pick<FunctionSetting, 'name' | 'type' | 'required'>[]): string {
  const lines = [`/** The settings function.json declares. */`, `interface ${SETTINGS_TYPE} {`];
  for (const s of settings) lines.push(`  ${s.name}${s.required ? '' : '?'}: ${SETTING_TS_TYPES[s.type]};`);
  lines.push('}', '');
  return lines.join('\n');
}

interface Insertion {
  /** Offset in the user's text the insertion is made at. */
  at: number;
  text: string;
}

export interface Shadow {
  text: string;
  /** Maps an offset in `text` to the offset in the user's text it comes from. */
  toOriginal(offset: number): number;
}

export function shadowOf(code: string, fileName: string): Shadow {
  const typescript = /\.ts$/i.test(fileName);
  const source = ts.createSourceFile(fileName, code, ts.ScriptTarget.ES2022, true, typescript ? ts.ScriptKind.TS : ts.ScriptKind.JS);
  const insertions: Insertion[] = [];
  for (const statement of source.statements) {
    if (!ts.isFunctionDeclaration(statement) || !statement.name) continue;
    const eventType = HANDLER_EVENT_TYPES[statement.name.text];
    if (eventType === undefined) continue;
    const [eventParam, settingsParam] = statement.parameters;
    const wanted: Array<[ts.ParameterDeclaration | undefined, string]> = [
      [eventParam, eventType],
      [settingsParam, SETTINGS_TYPE],
    ];
    if (typescript) {
      for (const [param, type] of wanted) {
        if (param && !param.type && ts.isIdentifier(param.name)) insertions.push({ at: param.name.end + (param.questionToken ? 1 : 0), text: `: ${type}` });
      }
    } else {
      // Parameters the author typed in JSDoc keep the author's types.
      const documented = new Set(ts.getJSDocTags(statement).filter(ts.isJSDocParameterTag).map((t) => t.name.getText()));
      const tags = wanted
        .filter(([param]) => param && ts.isIdentifier(param.name) && !documented.has(param.name.text))
        .map(([param, type]) => `@param {${type}} ${(param as ts.ParameterDeclaration).name.getText()}`);
      if (tags.length > 0) insertions.push({ at: statement.getStart(source), text: `/** ${tags.join(' ')} */ ` });
    }
  }
  insertions.sort((a, b) => a.at - b.at);
  let text = '';
  let from = 0;
  for (const ins of insertions) {
    text += code.slice(from, ins.at) + ins.text;
    from = ins.at;
  }
  text += code.slice(from);
  // After the last line nothing moves. A module keeps the handler's declarations apart from
  // the typings' globals, and its own FunctionSettings hides the global, untyped one.
  text += typescript ? `\nexport {};\ntype FunctionSettings = ${SETTINGS_TYPE};\n` : `\nexport {};\n/** @typedef {${SETTINGS_TYPE}} FunctionSettings */\n`;
  return {
    text,
    toOriginal(offset: number): number {
      let shift = 0;
      for (const ins of insertions) {
        const start = ins.at + shift;
        if (offset < start) break;
        // Inside an inserted text: it has no place in the user's file but where it was put.
        if (offset < start + ins.text.length) return ins.at;
        shift += ins.text.length;
      }
      return Math.min(offset - shift, code.length);
    },
  };
}
