/**
 * Wires handler-types.ts into Monaco: completion and hover for handler.js and handler.ts
 * come from the TS worker's answers about the shadow model (typed handler parameters, the
 * function's own settings), a generated declaration file follows the settings builder live,
 * and reads of undeclared settings are marked. Monaco's built-in JavaScript and TypeScript
 * completion and hover are replaced by these (the rest of their support stays). handler.ts's
 * type errors are the shadow's, marked at the user's lines: what `fnstudio check` reports.
 */
import type { FunctionSetting } from '../../../main/contract';
import { useSettings } from '../settings/settings-store';
import { useStudio } from '../state/store';
import { fromShadow, settingsLib, settingsTypeName, settingUses, shadowOf, toShadow, undeclaredSettingMessage, type HandlerLanguage, type Insertion } from './handler-types';
import { monaco } from './monaco-setup';

const HANDLER_PATH = /^\/functions\/([^/]+)\/handler\.(?:js|ts)$/;
const SETTINGS_OWNER = 'fnstudio.settings';
const TYPES_OWNER = 'fnstudio.typescript';
const LANGUAGES: readonly HandlerLanguage[] = ['javascript', 'typescript'];

interface DisplayPart {
  text: string;
}
interface JsDocTag {
  name: string;
  text?: DisplayPart[] | string;
}

function partsText(parts: DisplayPart[] | string | undefined): string {
  if (parts === undefined) return '';
  return typeof parts === 'string' ? parts : parts.map((p) => p.text).join('');
}

function tagsText(tags: JsDocTag[] | undefined): string {
  return (tags ?? []).map((t) => `*@${t.name}*${t.text ? ` — ${partsText(t.text)}` : ''}`).join('  \n');
}

function functionIdOf(model: monaco.editor.ITextModel): string | null {
  if (model.uri.scheme !== 'file') return null;
  const m = HANDLER_PATH.exec(model.uri.path);
  return m ? decodeURIComponent(m[1]) : null;
}

function languageOf(model: monaco.editor.ITextModel): HandlerLanguage {
  return model.getLanguageId() === 'typescript' ? 'typescript' : 'javascript';
}

// ───────────────────────────── the shadow model ─────────────────────────────

interface ShadowEntry {
  functionId: string;
  model: monaco.editor.ITextModel;
  insertions: Insertion[];
}

/** Keyed by the shadow's URI: one per function and language. */
const shadows = new Map<string, ShadowEntry>();

/** The shadow of a handler model, brought up to date with its text. */
function shadowFor(model: monaco.editor.ITextModel, functionId: string): ShadowEntry {
  const language = languageOf(model);
  const { text, insertions } = shadowOf(model.getValue(), functionId, language);
  const uri = monaco.Uri.parse(`file:///fnstudio-shadow/${encodeURIComponent(functionId)}/handler.${language === 'typescript' ? 'ts' : 'js'}`);
  let entry = shadows.get(uri.toString());
  if (!entry || entry.model.isDisposed()) {
    entry = { functionId, model: monaco.editor.getModel(uri) ?? monaco.editor.createModel(text, language, uri), insertions };
    shadows.set(uri.toString(), entry);
  }
  if (entry.model.getValue() !== text) entry.model.setValue(text);
  entry.insertions = insertions;
  return entry;
}

async function workerFor(uri: monaco.Uri, language: HandlerLanguage) {
  const getWorker = await (language === 'typescript' ? monaco.typescript.getTypeScriptWorker() : monaco.typescript.getJavaScriptWorker());
  return getWorker(uri);
}

const KINDS: Record<string, monaco.languages.CompletionItemKind> = {
  property: monaco.languages.CompletionItemKind.Property,
  method: monaco.languages.CompletionItemKind.Method,
  function: monaco.languages.CompletionItemKind.Function,
  'local function': monaco.languages.CompletionItemKind.Function,
  var: monaco.languages.CompletionItemKind.Variable,
  'local var': monaco.languages.CompletionItemKind.Variable,
  let: monaco.languages.CompletionItemKind.Variable,
  const: monaco.languages.CompletionItemKind.Constant,
  parameter: monaco.languages.CompletionItemKind.Variable,
  class: monaco.languages.CompletionItemKind.Class,
  interface: monaco.languages.CompletionItemKind.Interface,
  type: monaco.languages.CompletionItemKind.Interface,
  alias: monaco.languages.CompletionItemKind.Reference,
  enum: monaco.languages.CompletionItemKind.Enum,
  module: monaco.languages.CompletionItemKind.Module,
  keyword: monaco.languages.CompletionItemKind.Keyword,
  string: monaco.languages.CompletionItemKind.Value,
};

interface FnCompletionItem extends monaco.languages.CompletionItem {
  fnstudio: { shadowUri: monaco.Uri; language: HandlerLanguage; offset: number; name: string };
}

function registerProviders(language: HandlerLanguage): void {
  monaco.languages.registerCompletionItemProvider(language, {
    triggerCharacters: ['.'],
    async provideCompletionItems(model, position) {
      const functionId = functionIdOf(model);
      if (functionId === null) return { suggestions: [] };
      const shadow = shadowFor(model, functionId);
      const offset = shadow.model.getOffsetAt(toShadow(shadow.insertions, position));
      const worker = await workerFor(shadow.model.uri, language);
      if (model.isDisposed()) return { suggestions: [] };
      const info = (await worker.getCompletionsAtPosition(shadow.model.uri.toString(), offset)) as
        | { entries: Array<{ name: string; kind: string; sortText: string; insertText?: string }> }
        | undefined;
      if (!info) return { suggestions: [] };
      const word = model.getWordUntilPosition(position);
      const range = new monaco.Range(position.lineNumber, word.startColumn, position.lineNumber, word.endColumn);
      const suggestions: FnCompletionItem[] = info.entries.map((e) => ({
        label: e.name,
        insertText: e.insertText ?? e.name,
        sortText: e.sortText,
        kind: KINDS[e.kind] ?? monaco.languages.CompletionItemKind.Property,
        range,
        fnstudio: { shadowUri: shadow.model.uri, language, offset, name: e.name },
      }));
      return { suggestions };
    },
    async resolveCompletionItem(item) {
      const { fnstudio } = item as FnCompletionItem;
      if (!fnstudio) return item;
      const worker = await workerFor(fnstudio.shadowUri, fnstudio.language);
      const details = (await worker.getCompletionEntryDetails(fnstudio.shadowUri.toString(), fnstudio.offset, fnstudio.name)) as
        | { displayParts: DisplayPart[]; documentation?: DisplayPart[]; tags?: JsDocTag[] }
        | undefined;
      if (!details) return item;
      const docs = [partsText(details.documentation), tagsText(details.tags)].filter((t) => t !== '').join('\n\n');
      return { ...item, detail: partsText(details.displayParts), documentation: docs === '' ? undefined : { value: docs } };
    },
  });

  monaco.languages.registerHoverProvider(language, {
    async provideHover(model, position) {
      const functionId = functionIdOf(model);
      if (functionId === null) return null;
      const shadow = shadowFor(model, functionId);
      const offset = shadow.model.getOffsetAt(toShadow(shadow.insertions, position));
      const worker = await workerFor(shadow.model.uri, language);
      if (model.isDisposed()) return null;
      const info = (await worker.getQuickInfoAtPosition(shadow.model.uri.toString(), offset)) as
        | { displayParts: DisplayPart[]; documentation?: DisplayPart[]; tags?: JsDocTag[]; textSpan: { start: number; length: number } }
        | undefined;
      if (!info) return null;
      const start = fromShadow(shadow.insertions, shadow.model.getPositionAt(info.textSpan.start));
      const end = fromShadow(shadow.insertions, shadow.model.getPositionAt(info.textSpan.start + info.textSpan.length));
      const docs = [partsText(info.documentation), tagsText(info.tags)].filter((t) => t !== '').join('\n\n');
      return {
        range: new monaco.Range(start.lineNumber, start.column, end.lineNumber, end.column),
        contents: [{ value: '```typescript\n' + partsText(info.displayParts) + '\n```' }, ...(docs === '' ? [] : [{ value: docs }])],
      };
    },
  });
}

// ───────────────────────────── the function's settings ─────────────────────────────

let settingsLibHandles: monaco.IDisposable[] = [];
let libKey = '';
let declared: string[] = [];

/** The settings the editor should know: the builder's drafts (live) for the open function, else function.json's. */
function currentSettings(): { functionId: string; displayName: string; settings: readonly FunctionSetting[] } | null {
  const current = useStudio.getState().current;
  if (!current) return null;
  const panel = useSettings.getState();
  const settings = panel.functionId === current.id ? panel.drafts : current.meta.settings;
  return { functionId: current.id, displayName: current.meta.displayName, settings };
}

function updateSettingsLib(): void {
  const now = currentSettings();
  // Only the open function's shadows stay in the workers.
  for (const [key, entry] of shadows) {
    if (entry.functionId !== now?.functionId) {
      entry.model.dispose();
      shadows.delete(key);
    }
  }
  const text = now ? settingsLib(now.functionId, now.displayName, now.settings) : '';
  if (text === libKey) return;
  libKey = text;
  settingsLibHandles.forEach((h) => h.dispose());
  const libPath = now ? `file:///types/fnstudio-settings-${encodeURIComponent(now.functionId)}.d.ts` : '';
  settingsLibHandles = now ? [monaco.typescript.javascriptDefaults.addExtraLib(text, libPath), monaco.typescript.typescriptDefaults.addExtraLib(text, libPath)] : [];
  declared = now ? now.settings.map((s) => s.name).filter((n) => n !== '') : [];
  for (const model of monaco.editor.getModels()) {
    if (functionIdOf(model) === null) continue;
    markUndeclaredSettings(model);
    void markTypeErrors(model);
  }
}

function markUndeclaredSettings(model: monaco.editor.ITextModel): void {
  if (model.isDisposed()) return;
  const functionId = functionIdOf(model);
  // In handler.ts an undeclared setting is a type error (as `fnstudio check` says), not a hint.
  const severity = languageOf(model) === 'typescript' ? monaco.MarkerSeverity.Error : monaco.MarkerSeverity.Warning;
  const markers =
    functionId === null || functionId !== useStudio.getState().current?.id
      ? []
      : settingUses(model.getValue()).flatMap((use) => {
          const message = undeclaredSettingMessage(use.name, declared);
          return message ? [{ severity, message, startLineNumber: use.line, startColumn: use.column, endLineNumber: use.line, endColumn: use.endColumn, source: 'fnstudio' }] : [];
        });
  monaco.editor.setModelMarkers(model, SETTINGS_OWNER, markers);
}

interface DiagnosticChain {
  messageText: string;
  next?: DiagnosticChain[];
}

function messageOf(text: string | DiagnosticChain, indent = ''): string {
  if (typeof text === 'string') return text;
  return [indent + text.messageText, ...(text.next ?? []).map((n) => messageOf(n, `${indent}  `))].join('\n');
}

/** Each model's latest check: an older one finishing later must not overwrite its markers. */
const checks = new WeakMap<monaco.editor.ITextModel, number>();

/**
 * handler.ts's type errors: the shadow's semantic diagnostics (the real model's would call
 * every handler parameter an implicit `any`), at the user's own lines and columns. Syntax
 * errors are Monaco's own markers on the real model. An undeclared setting is left to
 * markUndeclaredSettings, which says it in the function's terms.
 */
async function markTypeErrors(model: monaco.editor.ITextModel): Promise<void> {
  const functionId = functionIdOf(model);
  if (functionId === null || model.isDisposed() || languageOf(model) !== 'typescript') return;
  const check = (checks.get(model) ?? 0) + 1;
  checks.set(model, check);
  if (functionId !== useStudio.getState().current?.id) {
    monaco.editor.setModelMarkers(model, TYPES_OWNER, []);
    return;
  }
  const shadow = shadowFor(model, functionId);
  const shadowModel = shadow.model;
  const insertions = shadow.insertions;
  let diagnostics: Awaited<ReturnType<monaco.typescript.TypeScriptWorker['getSemanticDiagnostics']>>;
  try {
    const worker = await workerFor(shadowModel.uri, 'typescript');
    diagnostics = await worker.getSemanticDiagnostics(shadowModel.uri.toString());
  } catch {
    // The worker restarts when its libraries change (the settings builder): a later check follows.
    return;
  }
  if (model.isDisposed() || shadowModel.isDisposed() || checks.get(model) !== check) return;
  const settingsType = `'${settingsTypeName(functionId)}'`;
  const lastLine = model.getLineCount();
  const markers = diagnostics.flatMap((d) => {
    const message = messageOf(d.messageText);
    if ((d.code === 2339 || d.code === 2551) && message.includes(settingsType)) return [];
    const start = fromShadow(insertions, shadowModel.getPositionAt(d.start ?? 0));
    const end = fromShadow(insertions, shadowModel.getPositionAt((d.start ?? 0) + (d.length ?? 0)));
    // Nothing the user wrote is past their last line (the shadow's trailer is ours).
    if (start.lineNumber > lastLine) return [];
    const severity = d.category === 1 ? monaco.MarkerSeverity.Error : d.category === 0 ? monaco.MarkerSeverity.Warning : monaco.MarkerSeverity.Info;
    return [{ severity, message, code: String(d.code), startLineNumber: start.lineNumber, startColumn: start.column, endLineNumber: Math.min(end.lineNumber, lastLine), endColumn: end.column, source: 'ts' }];
  });
  monaco.editor.setModelMarkers(model, TYPES_OWNER, markers);
}

let started = false;

/** Installs the providers and follows the open function and the settings builder. Idempotent. */
export function initHandlerIntelliSense(): void {
  if (started) return;
  started = true;
  for (const defaults of [monaco.typescript.javascriptDefaults, monaco.typescript.typescriptDefaults]) {
    defaults.setModeConfiguration({ ...defaults.modeConfiguration, completionItems: false, hovers: false });
  }
  LANGUAGES.forEach(registerProviders);
  const watch = (model: monaco.editor.ITextModel) => {
    if (functionIdOf(model) === null) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    markUndeclaredSettings(model);
    void markTypeErrors(model);
    model.onDidChangeContent(() => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        markUndeclaredSettings(model);
        void markTypeErrors(model);
      }, 150);
    });
    model.onWillDispose(() => clearTimeout(timer));
  };
  monaco.editor.getModels().forEach(watch);
  monaco.editor.onDidCreateModel(watch);
  useStudio.subscribe((s, prev) => {
    if (s.current?.id !== prev.current?.id || s.current?.meta !== prev.current?.meta) updateSettingsLib();
  });
  useSettings.subscribe((s, prev) => {
    if (s.drafts !== prev.drafts || s.functionId !== prev.functionId) updateSettingsLib();
  });
  updateSettingsLib();
}
