/** Two past runs side by side: Monaco's diff editor over one JSON document per run. */
import { useEffect, useRef } from 'react';
import { monaco } from '../editor/monaco-setup';
import { resolvedTheme, useStudio } from '../state/store';
import { closeCompare } from './history-actions';
import { useHistory } from './history-store';
import { runDocument, runTitle } from './run-view';

export function CompareDialog() {
  const compare = useHistory((s) => s.compare);
  if (!compare) return null;
  return <CompareView key={`${compare[0].id}/${compare[1].id}`} />;
}

function CompareView() {
  const compare = useHistory((s) => s.compare);
  const theme = useStudio(resolvedTheme);
  const host = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (!host.current || !compare) return;
    const [left, right] = compare;
    const original = monaco.editor.createModel(runDocument(left), 'json');
    const modified = monaco.editor.createModel(runDocument(right), 'json');
    const editor = monaco.editor.createDiffEditor(host.current, {
      automaticLayout: true,
      readOnly: true,
      originalEditable: false,
      renderSideBySide: true,
      minimap: { enabled: false },
      scrollBeyondLastLine: false,
      fontSize: 12,
      useInlineViewWhenSpaceIsLimited: false,
    });
    editor.setModel({ original, modified });
    return () => {
      editor.dispose();
      original.dispose();
      modified.dispose();
    };
  }, [compare]);

  useEffect(() => {
    monaco.editor.setTheme(theme === 'dark' ? 'fnstudio-dark' : 'fnstudio-light');
  }, [theme]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') closeCompare();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  if (!compare) return null;
  return (
    <div className="modal-backdrop" onClick={(e) => e.target === e.currentTarget && closeCompare()}>
      <div className="modal compare-modal" role="dialog" aria-modal="true" aria-label="Compare runs">
        <div className="compare-head">
          <h2>Compare runs</h2>
          <span className="spacer" />
          <button type="button" className="btn btn-small" onClick={closeCompare}>
            Close
          </button>
        </div>
        <div className="compare-titles">
          <span data-testid="compare-left">{runTitle(compare[0])}</span>
          <span data-testid="compare-right">{runTitle(compare[1])}</span>
        </div>
        <div className="compare-editor" ref={host} data-testid="compare-editor" />
      </div>
    </div>
  );
}
