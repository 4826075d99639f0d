/**
 * Monaco, bundled locally (no CDN: the CSP forbids it and there may be no network), with
 * the Segment runtime's globals as the only globals JavaScript and TypeScript IntelliSense
 * know about.
 */
import * as monaco from './monaco-modules';
import EditorWorker from 'monaco-editor/editor/editor.worker?worker';
import TsWorker from 'monaco-editor/languages/features/typescript/ts.worker?worker';
import JsonWorker from 'monaco-editor/languages/features/json/json.worker?worker';
import segmentTypings from '../../../resources/types/segment-functions.d.ts?raw';
import { findForbiddenSyntax } from '../domain/forbidden-syntax';
import { SEGMENT_EVENT_SCHEMA } from './event-schema';

self.MonacoEnvironment = {
  getWorker(_workerId: string, label: string): Worker {
    if (label === 'json') return new JsonWorker();
    if (label === 'javascript' || label === 'typescript') return new TsWorker();
    return new EditorWorker();
  },
};

const js = monaco.typescript.javascriptDefaults;
// ES only (no DOM, no Node): what Segment's runtime offers beyond the language comes from
// the typings, so IntelliSense never suggests `document` or `process`.
js.setCompilerOptions({
  target: monaco.typescript.ScriptTarget.ES2020,
  lib: ['es2022'],
  allowJs: true,
  allowNonTsExtensions: true,
  checkJs: false,
  noEmit: true,
});
js.setDiagnosticsOptions({ noSemanticValidation: false, noSyntaxValidation: false });
js.setEagerModelSync(true);
js.addExtraLib(segmentTypings, 'file:///types/segment-functions.d.ts');

// handler.ts: the same globals, checked as `fnstudio check` checks it (strict). Its type
// errors come from the shadow model, where the handlers' parameters are typed
// (handler-intellisense.ts): checked as written, every unannotated parameter would be an
// implicit `any` error and `settings.x` never a typed read.
const ts = monaco.typescript.typescriptDefaults;
ts.setCompilerOptions({
  target: monaco.typescript.ScriptTarget.ES2020,
  lib: ['es2022'],
  strict: true,
  allowNonTsExtensions: true,
  noEmit: true,
});
ts.setDiagnosticsOptions({ noSemanticValidation: true, noSyntaxValidation: false, noSuggestionDiagnostics: true });
ts.setEagerModelSync(true);
ts.addExtraLib(segmentTypings, 'file:///types/segment-functions.d.ts');

export const EVENT_MODEL_URI = 'inmemory://fnstudio/event.json';

// Never fetch a schema named by the JSON itself ("$schema": "https://…"): nothing may leave the machine.
monaco.json.jsonDefaults.setDiagnosticsOptions({
  validate: true,
  allowComments: false,
  enableSchemaRequest: false,
  schemaValidation: 'warning',
  schemas: [{ uri: 'inmemory://fnstudio/segment-event.schema.json', fileMatch: [EVENT_MODEL_URI], schema: SEGMENT_EVENT_SCHEMA }],
});

monaco.editor.defineTheme('fnstudio-light', {
  base: 'vs',
  inherit: true,
  rules: [],
  colors: { 'editor.background': '#ffffff', 'editorGutter.background': '#ffffff' },
});
monaco.editor.defineTheme('fnstudio-dark', {
  base: 'vs-dark',
  inherit: true,
  rules: [],
  colors: { 'editor.background': '#1b1e24', 'editorGutter.background': '#1b1e24' },
});

const FORBIDDEN_OWNER = 'fnstudio.forbidden-syntax';

/** Marks require/import/export as errors while the user types. */
export function watchForbiddenSyntax(model: monaco.editor.ITextModel): monaco.IDisposable {
  const update = (): void => {
    const markers = findForbiddenSyntax(model.getValue()).map((use) => ({
      severity: monaco.MarkerSeverity.Error,
      message: use.message,
      startLineNumber: use.line,
      startColumn: use.column,
      endLineNumber: use.line,
      endColumn: use.endColumn,
      source: 'fnstudio',
    }));
    monaco.editor.setModelMarkers(model, FORBIDDEN_OWNER, markers);
  };
  update();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const sub = model.onDidChangeContent(() => {
    clearTimeout(timer);
    timer = setTimeout(update, 150);
  });
  return {
    dispose() {
      clearTimeout(timer);
      sub.dispose();
    },
  };
}

export { monaco };
