import { useState } from 'react';
import { createFunction, deleteFunction, renameFunction } from '../state/function-list';
import { openFunction } from '../state/open-function';
import { changeWorkspace } from '../state/workspace';
import { workspaceSourceText } from '../domain/workspace-source';
import { isDetached, useStudio } from '../state/store';
import { PencilIcon, TrashIcon, WarningIcon } from './Icons';
import { SyncBadge } from '../sync/SyncBadge';

export function FunctionList() {
  const functions = useStudio((s) => s.functions);
  // A function kept open from a previous folder is not the namesake listed in this one.
  const currentId = useStudio((s) => (isDetached(s) ? null : (s.current?.id ?? s.openError?.id ?? null)));
  const dirty = useStudio((s) => s.dirty);
  const ready = useStudio((s) => s.ready);
  // Until the templates have arrived (a slow host, a busy machine) there is nothing to create from.
  const canCreate = useStudio((s) => s.templates.length > 0);
  const [filter, setFilter] = useState('');
  const needle = filter.trim().toLowerCase();
  const shown = needle === '' ? functions : functions.filter((fn) => `${fn.displayName}\n${fn.id}\n${fn.description}`.toLowerCase().includes(needle));

  return (
    <nav className="function-list" aria-label="Functions">
      <div className="pane-header">
        <span className="pane-title">Functions</span>
        <button
          type="button"
          className="btn btn-small btn-primary"
          aria-label="New function"
          disabled={!canCreate}
          title={canCreate ? undefined : ready ? 'No templates are available' : 'Loading templates…'}
          onClick={() => void createFunction()}
        >
          + New
        </button>
      </div>
      {functions.length > 0 ? (
        <div className="function-filter">
          <input type="search" aria-label="Filter functions" placeholder="Filter functions" value={filter} onChange={(e) => setFilter(e.target.value)} />
        </div>
      ) : null}
      {functions.length === 0 ? (
        <p className="empty-hint">No functions yet. Pick a template on the right, or use “+ New”.</p>
      ) : shown.length === 0 ? (
        <p className="empty-hint">No function matches “{filter.trim()}”.</p>
      ) : (
        <ul role="list">
          {shown.map((fn) => {
            const selected = fn.id === currentId;
            return (
              <li key={fn.id} className={`function-item${selected ? ' selected' : ''}${fn.error ? ' broken' : ''}`}>
                <button
                  type="button"
                  className="function-open"
                  aria-current={selected ? 'true' : undefined}
                  aria-label={`Open ${fn.displayName}`}
                  title={fn.error ?? fn.description ?? fn.displayName}
                  onClick={() => void openFunction(fn.id)}
                >
                  <span className="function-icon" aria-hidden="true">
                    {fn.error ? <WarningIcon /> : 'ƒ'}
                  </span>
                  <span className="function-name">{fn.displayName}</span>
                  <SyncBadge functionId={fn.id} />
                  {selected && dirty ? (
                    <span className="dirty-dot" role="img" aria-label="unsaved changes" title="Unsaved changes" />
                  ) : null}
                </button>
                <span className="function-actions">
                  <button type="button" className="icon-btn" aria-label={`Rename ${fn.displayName}`} title="Rename" disabled={Boolean(fn.error)} onClick={() => void renameFunction(fn.id)}>
                    <PencilIcon />
                  </button>
                  <button type="button" className="icon-btn" aria-label={`Delete ${fn.displayName}`} title="Delete" onClick={() => void deleteFunction(fn.id)}>
                    <TrashIcon />
                  </button>
                </span>
              </li>
            );
          })}
        </ul>
      )}
      <WorkspaceBar />
    </nav>
  );
}

/** Which folder the list shows and what decided it; opens the dialog that changes it. */
function WorkspaceBar() {
  const workspace = useStudio((s) => s.workspace);
  if (!workspace) return null;
  const why = workspaceSourceText(workspace.source);
  return (
    <div className="workspace-bar">
      <button
        type="button"
        className="workspace-open"
        aria-label="Workspace folder"
        title={`${workspace.root} (${why})${workspace.followsPreference ? '' : ' — the saved preference does not change it now'}`}
        onClick={() => void changeWorkspace()}
      >
        {/* Marks keep the path's slashes in place inside the right-to-left box that cuts it at the start. */}
        <span className="workspace-path" data-testid="workspace-path">
          {`\u200e${workspace.root}\u200e`}
        </span>
        <span className="workspace-source" data-testid="workspace-source">
          {why}
        </span>
      </button>
    </div>
  );
}
