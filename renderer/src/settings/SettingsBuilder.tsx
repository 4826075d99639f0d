/** The schema editor: one card per setting, in the order the settings page shows them. */
import { useState } from 'react';
import { SETTING_TYPES, type SettingType } from '../../../main/contract';
import { TrashIcon, WarningIcon } from '../components/Icons';
import { deleteSetting, editSetting, moveSetting, moveSettingTo, toggleOpen } from './settings-actions';
import { draftProblems, type DraftProblems, type DraftSetting } from './settings-draft';
import { useSettings } from './settings-store';

const TYPE_LABELS: Record<SettingType, string> = {
  STRING: 'Text (STRING)',
  BOOLEAN: 'Toggle (BOOLEAN)',
  TEXT_MAP: 'Key/value map (TEXT_MAP)',
  ARRAY: 'List (ARRAY)',
};

const DRAG_TYPE = 'application/x-fnstudio-setting';

export function SettingsBuilder() {
  const drafts = useSettings((s) => s.drafts);
  const openKey = useSettings((s) => s.openKey);
  const problems = draftProblems(drafts);
  const [dragOver, setDragOver] = useState<string | null>(null);

  return (
    <section className="settings-builder" aria-label="Settings builder">
      {drafts.length === 0 ? (
        <p className="sb-empty muted">
          This function has no settings. Add one for each value a destination instance must provide (an API key, an endpoint…); your code reads them from the{' '}
          <code>settings</code> argument.
        </p>
      ) : (
        <ol className="sb-list">
          {drafts.map((d, i) => (
            <li
              key={d.key}
              className={`sb-card${openKey === d.key ? ' open' : ''}${problems[d.key] ? ' invalid' : ''}${dragOver === d.key ? ' drag-over' : ''}`}
              onDragOver={(e) => {
                if (!e.dataTransfer.types.includes(DRAG_TYPE)) return;
                e.preventDefault();
                setDragOver(d.key);
              }}
              onDragLeave={() => setDragOver((k) => (k === d.key ? null : k))}
              onDrop={(e) => {
                const from = e.dataTransfer.getData(DRAG_TYPE);
                setDragOver(null);
                if (from) {
                  e.preventDefault();
                  moveSettingTo(from, d.key);
                }
              }}
            >
              <CardHeader draft={d} index={i} count={drafts.length} open={openKey === d.key} problems={problems[d.key]} />
              {openKey === d.key ? <CardEditor draft={d} problems={problems[d.key] ?? {}} /> : null}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}

function CardHeader({ draft, index, count, open, problems }: { draft: DraftSetting; index: number; count: number; open: boolean; problems: DraftProblems | undefined }) {
  const title = draft.label.trim() || 'Untitled setting';
  return (
    <div className="sb-card-head">
      <span
        className="sb-grip"
        draggable
        title="Drag to reorder"
        aria-hidden="true"
        onDragStart={(e) => {
          e.dataTransfer.setData(DRAG_TYPE, draft.key);
          e.dataTransfer.effectAllowed = 'move';
        }}
      >
        ⋮⋮
      </span>
      <button type="button" className="sb-card-toggle" aria-expanded={open} aria-label={`Edit setting ${index + 1}: ${title}`} onClick={() => toggleOpen(draft.key)}>
        <span className="sb-card-label">{title}</span>
        <span className="sb-card-meta">
          <code className="sb-card-name">{draft.name || '—'}</code>
          <span className="sb-badge">{draft.type}</span>
          {draft.required ? <span className="sb-badge sb-badge-required">Required</span> : null}
          {draft.sensitive ? <span className="sb-badge sb-badge-secret">Encrypted</span> : null}
        </span>
      </button>
      {problems ? (
        <span className="sb-warn" title={Object.values(problems).join(' ')}>
          <WarningIcon />
          <span className="visually-hidden">has problems</span>
        </span>
      ) : null}
      <button type="button" className="icon-btn" aria-label={`Move ${title} up`} disabled={index === 0} onClick={() => moveSetting(draft.key, -1)}>
        ↑
      </button>
      <button type="button" className="icon-btn" aria-label={`Move ${title} down`} disabled={index === count - 1} onClick={() => moveSetting(draft.key, 1)}>
        ↓
      </button>
      <button type="button" className="icon-btn" aria-label={`Delete ${title}`} onClick={() => void deleteSetting(draft.key)}>
        <TrashIcon />
      </button>
    </div>
  );
}

function CardEditor({ draft, problems }: { draft: DraftSetting; problems: DraftProblems }) {
  const id = `sb-${draft.key}`;
  return (
    <div className="sb-card-body" data-testid="setting-editor">
      <div className="sb-field">
        <label htmlFor={`${id}-label`}>Label</label>
        <input
          id={`${id}-label`}
          type="text"
          value={draft.label}
          placeholder="e.g. API Key"
          autoFocus={draft.label === ''}
          aria-invalid={problems.label ? true : undefined}
          aria-describedby={problems.label ? `${id}-label-error` : undefined}
          onChange={(e) => editSetting(draft.key, { label: e.target.value })}
        />
        <FieldError id={`${id}-label-error`} message={problems.label} />
      </div>
      <div className="sb-field">
        <label htmlFor={`${id}-name`}>Name</label>
        <input
          id={`${id}-name`}
          type="text"
          className="mono"
          value={draft.name}
          spellCheck={false}
          autoComplete="off"
          aria-invalid={problems.name ? true : undefined}
          aria-describedby={`${id}-name-hint`}
          onChange={(e) => editSetting(draft.key, { name: e.target.value })}
        />
        {problems.name ? (
          <FieldError id={`${id}-name-hint`} message={problems.name} />
        ) : (
          <small id={`${id}-name-hint`} className="muted">
            {draft.nameEdited ? 'Edited by hand.' : 'Generated from the label.'} Your code reads <code>settings.{draft.name || '…'}</code>.
          </small>
        )}
      </div>
      <div className="sb-field">
        <label htmlFor={`${id}-type`}>Type</label>
        <select id={`${id}-type`} value={draft.type} onChange={(e) => editSetting(draft.key, { type: e.target.value as SettingType })}>
          {SETTING_TYPES.map((t) => (
            <option key={t} value={t}>
              {TYPE_LABELS[t]}
            </option>
          ))}
        </select>
      </div>
      <div className="sb-field">
        <label htmlFor={`${id}-description`}>Description</label>
        <textarea
          id={`${id}-description`}
          rows={2}
          value={draft.description}
          placeholder="Shown under the label on the settings page"
          aria-invalid={problems.description ? true : undefined}
          aria-describedby={problems.description ? `${id}-description-error` : undefined}
          onChange={(e) => editSetting(draft.key, { description: e.target.value })}
        />
        <FieldError id={`${id}-description-error`} message={problems.description} />
      </div>
      <div className="sb-checks">
        <label className="sb-check">
          <input type="checkbox" checked={draft.required} onChange={(e) => editSetting(draft.key, { required: e.target.checked })} />
          Required
        </label>
        <label className="sb-check">
          <input type="checkbox" checked={draft.sensitive} onChange={(e) => editSetting(draft.key, { sensitive: e.target.checked })} />
          Encrypted
        </label>
      </div>
      {draft.sensitive ? <small className="muted">Test values stay in the OS keychain and are masked in logs, request traces and results.</small> : null}
    </div>
  );
}

function FieldError({ id, message }: { id: string; message: string | undefined }) {
  if (!message) return null;
  return (
    <small id={id} className="sb-error">
      {message}
    </small>
  );
}
