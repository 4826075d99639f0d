/**
 * A handler.ts folder as Segment sees it. Segment runs JavaScript, so what is pushed,
 * diffed and compared is the compiled handler.ts (the same compilation runs use), with
 * a first line saying where it came from: someone reading or editing it in Segment's
 * editor learns that their edit cannot flow back into the TypeScript. No source map is
 * attached: the deployed code stays plain, readable JavaScript, and Segment would not
 * map its stacks with one anyway.
 *
 * The TypeScript itself never leaves the folder and is never overwritten: when the
 * remote's JavaScript changed, pull writes it beside the source (REMOTE_JS_FILE) for the
 * user to carry over by hand.
 */
import path from 'node:path';
import type { FunctionSetting } from '../../contract/function';
import { compileTypeScriptHandler, TypeScriptCompileError } from '../typescript-handler';

export const TS_HANDLER_FILE = 'handler.ts';
/** Where pull puts the remote's JavaScript for a handler.ts folder (never over handler.ts). */
export const REMOTE_JS_FILE = 'handler.remote.js';

export const COMPILED_BANNER = `// Compiled by fnstudio from ${TS_HANDLER_FILE} (TypeScript). Edit ${TS_HANDLER_FILE} and push again: changes made here do not reach it.\n`;

export type DeployableCode = { ok: true; js: string } | { ok: false; problem: string };

/** The JavaScript a push sends for this TypeScript, or the syntax error that stops it (`file:line:col message`). */
export function deployableJavaScript(source: string, shownAs: string): DeployableCode {
  try {
    // Compiled under its own name, so the output never depends on where the folder is.
    return { ok: true, js: COMPILED_BANNER + compileTypeScriptHandler(source, TS_HANDLER_FILE).js };
  } catch (err) {
    if (err instanceof TypeScriptCompileError) {
      const at = err.line === null || err.column === null ? shownAs : `${shownAs}:${err.line}:${err.column}`;
      return { ok: false, problem: `${at} ${err.problem}` };
    }
    throw err;
  }
}

/**
 * The type errors that refuse a push, each `file:line:col error TSnnnn: message` as
 * `fnstudio check` prints them. Warnings do not stop a push.
 */
export async function typeErrors(source: string, dir: string, settings: readonly FunctionSetting[]): Promise<string[]> {
  const file = path.join(dir, TS_HANDLER_FILE);
  // The checker loads TypeScript's compiler (~45 MB): only a push of a handler.ts needs it,
  // not every CLI command that links the sync code (a replay must stay in its memory budget).
  const { checkHandler } = await import('../check/type-check.js');
  return checkHandler({ file, code: source, settings })
    .filter((d) => d.severity === 'error')
    .map((d) => `${file}:${d.line}:${d.column} ${d.message}`);
}
