/**
 * Wires handler-types.ts into Monaco: completion and hover for handler.js come from the TS
 * worker's answers about the shadow model (typed handler parameters, the function's own
 * settings), a generated declaration file follows the settings builder live, and reads of
 * undeclared settings are marked. Monaco's built-in JavaScript completion and hover are
 * replaced by these (the rest of its JavaScript support stays).
 */
import type { FunctionSetting } from '../../../main/contract';
import { useSettings } from '../settings/settings-store';
import { useStudio } from '../state/store';
import { fromShadow, settingsLib, settingUses, shadowOf, toShadow, undeclaredSettingMessage, type Insertion } from './handler-types';
import { monaco } from './monaco-setup';

const HANDLER_PATH = /^\/functions\/([^/]+)\/handler\.js$/;
const SETTINGS_OWNER = 'fnstudio.settings';

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

// ───────────────────────────── the shadow model ─────────────────────────────

const shadows = new Map<string, { model: monaco.editor.ITextModel; insertions: Insertion[] }>();

/** The shadow of a handler model, brought up to date with its text. */
function shadowFor(model: monaco.editor.ITextModel, functionId: string): { model: monaco.editor.ITextModel; insertions: Insertion[] } {
  const { text, insertions } = shadowOf(model.getValue(), functionId);
  let entry = shadows.get(functionId);
  if (!entry || entry.model.isDisposed()) {
    const uri = monaco.Uri.parse(`file:///fnstudio-shadow/${encodeURIComponent(functionId)}/handler.js`);
    entry = { model: monaco.editor.getModel(uri) ?? monaco.editor.createModel(text, 'javascript', uri), insertions };
    shadows.set(functionId, entry);
  }
  if (entry.model.getValue() !== text) entry.model.setValue(text);
  entry.insertions = insertions;
  return entry;
}

async function workerFor(uri: monaco.Uri) {
  const getWorker = await monaco.typescript.getJavaScriptWorker();
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
  fnstudio: { shadowUri: monaco.Uri; offset: number; name: string };
}

function registerProviders(): void {
  monaco.languages.registerCompletionItemProvider('javascript', {
    triggerCharacters: ['.'],
    async provideCompletionItems(model, position) {
      const functionId = functionIdOf(model);
      if (functionId === null) return { suggestions: [] };
      const shadow = shadowFor(model, functionId);
      const offset = shadow.model.getOffsetAt(toShadow(shadow.insertions, position));
      const worker = await workerFor(shadow.model.uri);
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
        fnstudio: { shadowUri: shadow.model.uri, offset, name: e.name },
      }));
      return { suggestions };
    },
    async resolveCompletionItem(item) {
      const { fnstudio } = item as FnCompletionItem;
      if (!fnstudio) return item;
      const worker = await workerFor(fnstudio.shadowUri);
      const details = (await worker.getCompletionEntryDetails(fnstudio.shadowUri.toString(), fnstudio.offset, fnstudio.name)) as
        | { displayParts: DisplayPart[]; documentation?: DisplayPart[]; tags?: JsDocTag[] }
        | undefined;
      if (!details) return item;
      const docs = [partsText(details.documentation), tagsText(details.tags)].filter((t) => t !== '').join('\n\n');
      return { ...item, detail: partsText(details.displayParts), documentation: docs === '' ? undefined : { value: docs } };
    },
  });

  monaco.languages.registerHoverProvider('javascript', {
    async provideHover(model, position) {
      const functionId = functionIdOf(model);
      if (functionId === null) return null;
      const shadow = shadowFor(model, functionId);
      const offset = shadow.model.getOffsetAt(toShadow(shadow.insertions, position));
      const worker = await workerFor(shadow.model.uri);
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

let settingsLibHandle: monaco.IDisposable | null = null;
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
  // Only the open function's shadow stays in the worker.
  for (const [id, entry] of shadows) {
    if (id !== now?.functionId) {
      entry.model.dispose();
      shadows.delete(id);
    }
  }
  const text = now ? settingsLib(now.functionId, now.displayName, now.settings) : '';
  if (text === libKey) return;
  libKey = text;
  settingsLibHandle?.dispose();
  settingsLibHandle = now ? monaco.typescript.javascriptDefaults.addExtraLib(text, `file:///types/fnstudio-settings-${encodeURIComponent(now.functionId)}.d.ts`) : null;
  declared = now ? now.settings.map((s) => s.name).filter((n) => n !== '') : [];
  for (const model of monaco.editor.getModels()) if (functionIdOf(model) !== null) markUndeclaredSettings(model);
}

function markUndeclaredSettings(model: monaco.editor.ITextModel): void {
  if (model.isDisposed()) return;
  const functionId = functionIdOf(model);
  const markers =
    functionId === null || functionId !== useStudio.getState().current?.id
      ? []
      : settingUses(model.getValue()).flatMap((use) => {
          const message = undeclaredSettingMessage(use.name, declared);
          return message
            ? [{ severity: monaco.MarkerSeverity.Warning, message, startLineNumber: use.line, startColumn: use.column, endLineNumber: use.line, endColumn: use.endColumn, source: 'fnstudio' }]
            : [];
        });
  monaco.editor.setModelMarkers(model, SETTINGS_OWNER, markers);
}

let started = false;

/** Installs the providers and follows the open function and the settings builder. Idempotent. */
export function initHandlerIntelliSense(): void {
  if (started) return;
  started = true;
  const js = monaco.typescript.javascriptDefaults;
  js.setModeConfiguration({ ...js.modeConfiguration, completionItems: false, hovers: false });
  registerProviders();
  const watch = (model: monaco.editor.ITextModel) => {
    if (functionIdOf(model) === null) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    markUndeclaredSettings(model);
    model.onDidChangeContent(() => {
      clearTimeout(timer);
      timer = setTimeout(() => markUndeclaredSettings(model), 150);
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
