import { useEffect, useRef } from 'react';
import { monaco } from '../editor/monaco-setup';
import { resolvedTheme, useStudio } from '../state/store';

/**
 * Monaco's diff editor: `original` on the left (read-only), `modified` on the right,
 * editable when `onEditorReady` wants its text (the conflict view's merge).
 */
export function DiffView(props: {
  original: string;
  modified: string;
  editable?: boolean;
  label: string;
  onEditorReady?: (getText: () => string) => void;
}) {
  const host = useRef<HTMLDivElement>(null);
  const theme = useStudio(resolvedTheme);
  const { original, modified, editable = false, label, onEditorReady } = props;

  useEffect(() => {
    if (!host.current) return;
    const editor = monaco.editor.createDiffEditor(host.current, {
      automaticLayout: true,
      readOnly: !editable,
      originalEditable: false,
      renderSideBySide: true,
      minimap: { enabled: false },
      scrollBeyondLastLine: false,
      fontSize: 12,
      ariaLabel: label,
    });
    const left = monaco.editor.createModel(original, 'javascript');
    const right = monaco.editor.createModel(modified, 'javascript');
    editor.setModel({ original: left, modified: right });
    onEditorReady?.(() => right.getValue());
    return () => {
      editor.dispose();
      left.dispose();
      right.dispose();
    };
    // The texts are fixed for one overlay; a new overlay mounts a new view.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [original, modified, editable]);

  useEffect(() => {
    monaco.editor.setTheme(theme === 'dark' ? 'fnstudio-dark' : 'fnstudio-light');
  }, [theme]);

  return <div className="diff-view" ref={host} data-testid="diff-view" aria-label={label} />;
}
