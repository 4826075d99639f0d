/**
 * The inputs of the preview, one per setting type, as Segment's destination settings page
 * shows them. Each keeps what is typed locally and hands a finished value to `onCommit`
 * (blur, Enter, toggle, row removal); an empty input means "no value".
 */
import { useEffect, useRef, useState, type RefObject } from 'react';
import type { SettingValue } from '../../../main/contract';
import { TrashIcon } from '../components/Icons';
import { itemsFromValue, listFromItems, mapFromRows, rowsFromValue, stringValue, type MapRow } from './test-values';

/**
 * Adopts a new stored value (saved elsewhere, reloaded) unless the user is typing in the
 * input, or the input already means that value (our own commit coming back).
 */
function useAdoptStored(container: RefObject<HTMLElement | null>, storedKey: string, localKey: string, reset: () => void): void {
  useEffect(() => {
    const el = container.current;
    if (el && el.contains(document.activeElement)) return;
    if (storedKey !== localKey) reset();
    // Deliberately keyed on the stored value only: typing must not trigger a reset.
    // eslint-disable-next-line react-hooks/exhaustive-deps -- keyed on the stored value alone, as said above
  }, [storedKey]);
}

export interface ValueInputProps {
  id: string;
  /** Accessible name of the input (the setting's label). */
  label: string;
  value: unknown;
  disabled: boolean;
  onCommit: (value: SettingValue) => void;
  /** A value the UI cannot send (e.g. duplicate keys); null clears the problem. */
  onProblem?: (message: string | null) => void;
  describedBy?: string;
  autoFocus?: boolean;
}

export function StringInput({ id, label, value, disabled, onCommit, describedBy, autoFocus }: ValueInputProps) {
  const stored = typeof value === 'string' ? value : '';
  const [text, setText] = useState(stored);
  const ref = useRef<HTMLInputElement>(null);
  useAdoptStored(ref, stored, text, () => setText(stored));
  const commit = () => {
    if (text !== stored) onCommit(stringValue(text));
  };
  return (
    <input
      ref={ref}
      id={id}
      type="text"
      className="pv-input"
      aria-label={label}
      aria-describedby={describedBy}
      value={text}
      disabled={disabled}
      autoFocus={autoFocus}
      spellCheck={false}
      autoComplete="off"
      onChange={(e) => setText(e.target.value)}
      onBlur={commit}
      onKeyDown={(e) => {
        if (e.key === 'Enter') commit();
      }}
    />
  );
}

export function BooleanToggle({ id, label, value, disabled, onCommit, describedBy }: ValueInputProps) {
  const on = value === true;
  return (
    <button
      id={id}
      type="button"
      role="switch"
      className={`pv-toggle${on ? ' on' : ''}`}
      aria-checked={on}
      aria-label={label}
      aria-describedby={describedBy}
      disabled={disabled}
      onClick={() => onCommit(!on)}
    >
      <span className="pv-toggle-knob" aria-hidden="true" />
    </button>
  );
}

export function TextMapInput({ id, label, value, disabled, onCommit, onProblem, describedBy }: ValueInputProps) {
  const initial = rowsFromValue(value);
  const [rows, setRows] = useState<MapRow[]>(initial.length > 0 ? initial : [{ key: '', value: '' }]);
  const storedJson = JSON.stringify(mapFromRows(initial));
  const ref = useRef<HTMLDivElement>(null);
  useAdoptStored(ref, storedJson, JSON.stringify(mapFromRows(rows)), () => setRows(initial.length > 0 ? initial : [{ key: '', value: '' }]));
  const commit = (next: MapRow[]) => {
    const parsed = mapFromRows(next);
    if (!parsed.ok) {
      onProblem?.(parsed.error);
      return;
    }
    onProblem?.(null);
    if (JSON.stringify(parsed) !== storedJson) onCommit(parsed.value);
  };
  const edit = (i: number, patch: Partial<MapRow>) => setRows(rows.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  return (
    <div ref={ref} id={id} role="group" aria-label={label} aria-describedby={describedBy} className="pv-rows">
      <div className="pv-row pv-row-head" aria-hidden="true">
        <span>Key</span>
        <span>Value</span>
        <span />
      </div>
      {rows.map((row, i) => (
        <div className="pv-row" key={i}>
          <input
            type="text"
            aria-label={`${label}: key ${i + 1}`}
            value={row.key}
            disabled={disabled}
            spellCheck={false}
            onChange={(e) => edit(i, { key: e.target.value })}
            onBlur={() => commit(rows)}
          />
          <input
            type="text"
            aria-label={`${label}: value ${i + 1}`}
            value={row.value}
            disabled={disabled}
            spellCheck={false}
            onChange={(e) => edit(i, { value: e.target.value })}
            onBlur={() => commit(rows)}
          />
          <button
            type="button"
            className="icon-btn"
            aria-label={`${label}: remove row ${i + 1}`}
            disabled={disabled}
            onClick={() => {
              const next = rows.filter((_, j) => j !== i);
              setRows(next.length > 0 ? next : [{ key: '', value: '' }]);
              commit(next);
            }}
          >
            <TrashIcon />
          </button>
        </div>
      ))}
      <button type="button" className="btn btn-small pv-add" disabled={disabled} onClick={() => setRows([...rows, { key: '', value: '' }])}>
        + Add row
      </button>
    </div>
  );
}

export function ArrayInput({ id, label, value, disabled, onCommit, describedBy }: ValueInputProps) {
  const initial = itemsFromValue(value);
  const [items, setItems] = useState<string[]>(initial.length > 0 ? initial : ['']);
  const storedJson = JSON.stringify(listFromItems(initial));
  const ref = useRef<HTMLDivElement>(null);
  useAdoptStored(ref, storedJson, JSON.stringify(listFromItems(items)), () => setItems(initial.length > 0 ? initial : ['']));
  const commit = (next: string[]) => {
    const list = listFromItems(next);
    if (JSON.stringify(list) !== storedJson) onCommit(list);
  };
  return (
    <div ref={ref} id={id} role="group" aria-label={label} aria-describedby={describedBy} className="pv-list">
      {items.map((item, i) => (
        <div className="pv-list-item" key={i}>
          <input
            type="text"
            aria-label={`${label}: item ${i + 1}`}
            value={item}
            disabled={disabled}
            spellCheck={false}
            onChange={(e) => setItems(items.map((v, j) => (j === i ? e.target.value : v)))}
            onBlur={() => commit(items)}
            onKeyDown={(e) => {
              if (e.key === 'Enter') commit(items);
            }}
          />
          <button
            type="button"
            className="icon-btn"
            aria-label={`${label}: remove item ${i + 1}`}
            disabled={disabled}
            onClick={() => {
              const next = items.filter((_, j) => j !== i);
              setItems(next.length > 0 ? next : ['']);
              commit(next);
            }}
          >
            <TrashIcon />
          </button>
        </div>
      ))}
      <button type="button" className="btn btn-small pv-add" disabled={disabled} onClick={() => setItems([...items, ''])}>
        + Add item
      </button>
    </div>
  );
}
