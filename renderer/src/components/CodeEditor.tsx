import { useEffect, useRef } from 'react';
import { monaco } from '../editor/monaco-setup';
import { attachCodeEditor } from '../editor/editor-registry';
import { save } from '../state/open-function';
import { runNow } from '../state/run';
import { resolvedTheme, useStudio } from '../state/store';

/** The function's handler.js or handler.ts in Monaco (JavaScript or TypeScript, with the Segment typings). */
export function CodeEditor() {
  const host = useRef<HTMLDivElement>(null);
  const theme = useStudio(resolvedTheme);

  useEffect(() => {
    if (!host.current) return;
    const editor = monaco.editor.create(host.current, {
      model: null,
      automaticLayout: true,
      fontSize: 13,
      fontFamily: "'JetBrains Mono', 'Cascadia Code', 'Fira Code', Menlo, Consolas, 'DejaVu Sans Mono', monospace",
      minimap: { enabled: false },
      scrollBeyondLastLine: false,
      tabSize: 2,
      renderLineHighlight: 'all',
      fixedOverflowWidgets: true,
      padding: { top: 8 },
      ariaLabel: 'Function code',
    });
    editor.addCommand(monaco.KeyMod.CtrlCmd | monaco.KeyCode.KeyS, () => void save());
    editor.addCommand(monaco.KeyMod.CtrlCmd | monaco.KeyCode.Enter, () => void runNow());
    editor.onDidChangeCursorPosition((e) => useStudio.setState({ cursor: { line: e.position.lineNumber, column: e.position.column } }));
    attachCodeEditor(editor);
    return () => {
      attachCodeEditor(null);
      editor.dispose();
    };
  }, []);

  useEffect(() => {
    monaco.editor.setTheme(theme === 'dark' ? 'fnstudio-dark' : 'fnstudio-light');
  }, [theme]);

  return <div className="code-editor" ref={host} data-testid="code-editor" />;
}
