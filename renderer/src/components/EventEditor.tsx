import { useEffect, useRef } from 'react';
import { monaco } from '../editor/monaco-setup';
import { attachEventEditor, eventModel } from '../editor/editor-registry';
import { save } from '../state/open-function';
import { runNow } from '../state/run';

/** The event to run, as JSON (Monaco's JSON mode marks syntax errors). */
export function EventEditor() {
  const host = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (!host.current) return;
    const editor = monaco.editor.create(host.current, {
      model: eventModel,
      automaticLayout: true,
      fontSize: 12,
      fontFamily: "'JetBrains Mono', 'Cascadia Code', 'Fira Code', Menlo, Consolas, 'DejaVu Sans Mono', monospace",
      minimap: { enabled: false },
      scrollBeyondLastLine: false,
      tabSize: 2,
      lineNumbers: 'off',
      wordWrap: 'on',
      renderLineHighlight: 'none',
      folding: true,
      glyphMargin: false,
      lineDecorationsWidth: 6,
      fixedOverflowWidgets: true,
      ariaLabel: 'Event JSON',
    });
    editor.addCommand(monaco.KeyMod.CtrlCmd | monaco.KeyCode.Enter, () => void runNow());
    editor.addCommand(monaco.KeyMod.CtrlCmd | monaco.KeyCode.KeyS, () => void save());
    attachEventEditor(editor);
    return () => {
      attachEventEditor(null);
      editor.dispose();
    };
  }, []);

  return <div className="event-editor" ref={host} data-testid="event-editor" />;
}
