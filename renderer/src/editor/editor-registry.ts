/**
 * The live Monaco editors. They are not React state (too big, mutable), so actions reach
 * them here: read the buffer to save/run, swap models when switching functions, jump to a
 * stack frame's line.
 */
import type { FunctionDetail } from '../../../main/contract';
import { EVENT_MODEL_URI, monaco, watchForbiddenSyntax } from './monaco-setup';

let codeEditor: monaco.editor.IStandaloneCodeEditor | null = null;
let codeModel: monaco.editor.ITextModel | null = null;
/** The function and file the code model holds. */
let codeFile: { functionId: string; handlerFile: FunctionDetail['handlerFile'] } | null = null;
let codeModelWatch: monaco.IDisposable | null = null;
let eventEditor: monaco.editor.IStandaloneCodeEditor | null = null;
const changeListeners = new Set<() => void>();

export const eventModel = monaco.editor.createModel('', 'json', monaco.Uri.parse(EVENT_MODEL_URI));

export function attachCodeEditor(editor: monaco.editor.IStandaloneCodeEditor | null): void {
  codeEditor = editor;
  if (editor && codeModel) editor.setModel(codeModel);
}

export function attachEventEditor(editor: monaco.editor.IStandaloneCodeEditor | null): void {
  eventEditor = editor;
}

/** The Monaco language a handler file is edited in. */
function handlerLanguage(handlerFile: FunctionDetail['handlerFile']): 'javascript' | 'typescript' {
  return handlerFile === 'handler.ts' ? 'typescript' : 'javascript';
}

/**
 * Replaces the open function's buffer with a fresh model (new undo history). The model's
 * path ends in the handler's own file name: Monaco's TypeScript service tells a .ts
 * model from a .js one by it.
 */
export function openCode(functionId: string, code: string, handlerFile: FunctionDetail['handlerFile']): void {
  codeModelWatch?.dispose();
  codeModel?.dispose();
  const uri = monaco.Uri.parse(`file:///functions/${encodeURIComponent(functionId)}/${handlerFile}`);
  codeModel = monaco.editor.createModel(code, handlerLanguage(handlerFile), uri);
  codeFile = { functionId, handlerFile };
  codeModelWatch = watchForbiddenSyntax(codeModel);
  codeModel.onDidChangeContent(() => changeListeners.forEach((l) => l()));
  codeEditor?.setModel(codeModel);
}

export function closeCode(): void {
  codeModelWatch?.dispose();
  codeModel?.dispose();
  codeModel = null;
  codeFile = null;
  codeModelWatch = null;
  codeEditor?.setModel(null);
}

export function getCode(): string {
  return codeModel?.getValue() ?? '';
}

/**
 * Replaces the buffer's text as one undoable edit (an external reload can be undone). When
 * the handler is now another file (handler.js renamed to handler.ts, or back), the buffer
 * becomes a fresh model of that file and language instead.
 */
export function replaceCode(code: string, handlerFile: FunctionDetail['handlerFile']): void {
  if (!codeModel || !codeFile) return;
  if (codeFile.handlerFile !== handlerFile) {
    openCode(codeFile.functionId, code, handlerFile);
    return;
  }
  codeModel.pushEditOperations([], [{ range: codeModel.getFullModelRange(), text: code }], () => null);
  codeModel.pushStackElement();
}

export function onCodeChange(listener: () => void): () => void {
  changeListeners.add(listener);
  return () => changeListeners.delete(listener);
}

export function revealInCode(line: number, column: number): void {
  if (!codeEditor || !codeModel) return;
  const safeLine = Math.min(Math.max(1, line), codeModel.getLineCount());
  const safeColumn = Math.min(Math.max(1, column), codeModel.getLineMaxColumn(safeLine));
  codeEditor.setPosition({ lineNumber: safeLine, column: safeColumn });
  codeEditor.revealLineInCenter(safeLine);
  codeEditor.focus();
}

export function getEventText(): string {
  return eventModel.getValue();
}

export function setEventText(text: string): void {
  eventModel.setValue(text);
  eventEditor?.setScrollTop(0);
}
