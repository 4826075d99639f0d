import { useEffect, useRef } from 'react';
import type { TestMismatch } from '../../../main/contract';
import { sides } from './diff-sides';
import { monaco } from '../editor/monaco-setup';
import { resolvedTheme, useStudio } from '../state/store';

/** A failing case's expected-vs-actual in Monaco's diff editor (see diff-sides). */
export function TestDiff({ mismatches }: { mismatches: readonly TestMismatch[] }) {
  const host = useRef<HTMLDivElement>(null);
  const { expected, actual } = sides(mismatches);
  // Tall enough for the longer side (wrapped lines aside), at most a panel's worth.
  const lines = Math.max(expected.split('\n').length, actual.split('\n').length);
  const height = Math.min(320, lines * 18 + 12);
  const editor = useRef<monaco.editor.IStandaloneDiffEditor | null>(null);
  const theme = useStudio(resolvedTheme);

  useEffect(() => {
    if (!host.current) return;
    const diff = monaco.editor.createDiffEditor(host.current, {
      readOnly: true,
      originalEditable: false,
      // Side by side even in the narrow side panel, so the Expected/Actual legend holds.
      renderSideBySide: true,
      useInlineViewWhenSpaceIsLimited: false,
      enableSplitViewResizing: false,
      wordWrap: 'on',
      automaticLayout: true,
      minimap: { enabled: false },
      scrollBeyondLastLine: false,
      renderOverviewRuler: false,
      fontSize: 12,
      lineNumbers: 'off',
      ariaLabel: 'Expected versus actual',
    });
    editor.current = diff;
    return () => {
      const model = diff.getModel();
      diff.dispose();
      model?.original.dispose();
      model?.modified.dispose();
      editor.current = null;
    };
  }, []);

  useEffect(() => {
    const diff = editor.current;
    if (!diff) return;
    const previous = diff.getModel();
    diff.setModel({ original: monaco.editor.createModel(expected, 'json'), modified: monaco.editor.createModel(actual, 'json') });
    previous?.original.dispose();
    previous?.modified.dispose();
  }, [expected, actual]);

  useEffect(() => {
    monaco.editor.setTheme(theme === 'dark' ? 'fnstudio-dark' : 'fnstudio-light');
  }, [theme]);

  return (
    <div className="test-diff">
      <div className="test-diff-legend">
        <span>Expected</span>
        <span>Actual</span>
      </div>
      <div className="test-diff-editor" ref={host} data-testid="test-diff" style={{ height }} />
    </div>
  );
}
