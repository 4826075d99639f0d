/**
 * The builder's working copy of a function's settings schema: what the author edits
 * before saving it to function.json with functions.updateMeta.
 */
import type { FunctionSetting, SettingType } from '../../../main/contract';
import { nameFromLabel, settingDescriptionProblem, settingLabelProblem, settingNameProblem } from './setting-name';

export interface DraftSetting extends FunctionSetting {
  /** Stable identity while label and name change (React keys, selection). */
  key: string;
  /** True once the author typed a name: from then on the label no longer renames it. */
  nameEdited: boolean;
}

export interface DraftProblems {
  label?: string;
  name?: string;
  description?: string;
}

export type DraftPatch = Partial<Pick<FunctionSetting, 'label' | 'name' | 'description' | 'type' | 'required' | 'sensitive'>>;

let keyCounter = 0;
function newKey(): string {
  keyCounter += 1;
  return `setting-${keyCounter}`;
}

export function draftsFromSchema(schema: readonly FunctionSetting[]): DraftSetting[] {
  return schema.map((s) => ({ ...s, key: newKey(), nameEdited: s.name !== nameFromLabel(s.label) }));
}

/** Re-reads a saved schema, keeping the keys of settings at the same positions (so the open card stays open). */
export function redraft(schema: readonly FunctionSetting[], previous: readonly DraftSetting[]): DraftSetting[] {
  return draftsFromSchema(schema).map((d, i) => (previous[i] ? { ...d, key: previous[i].key } : d));
}

export function newDraft(type: SettingType = 'STRING'): DraftSetting {
  return { key: newKey(), name: '', label: '', description: '', type, required: false, sensitive: false, nameEdited: false };
}

/** Applies an edit; a label change renames the setting until its name was edited by hand. */
export function applyPatch(draft: DraftSetting, patch: DraftPatch): DraftSetting {
  const next: DraftSetting = { ...draft, ...patch };
  if (patch.name !== undefined) {
    // Typing exactly the generated name hands the name back to the label.
    next.nameEdited = patch.name !== nameFromLabel(next.label);
  } else if (patch.label !== undefined && !draft.nameEdited) {
    next.name = nameFromLabel(patch.label);
  }
  return next;
}

export function updateDraft(list: readonly DraftSetting[], key: string, patch: DraftPatch): DraftSetting[] {
  return list.map((d) => (d.key === key ? applyPatch(d, patch) : d));
}

/** Moves the item at `from` to index `to` (clamped); other items keep their order. */
export function moveItem<T>(list: readonly T[], from: number, to: number): T[] {
  if (from < 0 || from >= list.length) return [...list];
  const target = Math.max(0, Math.min(list.length - 1, to));
  const copy = [...list];
  const [item] = copy.splice(from, 1);
  copy.splice(target, 0, item);
  return copy;
}

export function moveDraft(list: readonly DraftSetting[], key: string, delta: number): DraftSetting[] {
  const from = list.findIndex((d) => d.key === key);
  return moveItem(list, from, from + delta);
}

export function removeDraft(list: readonly DraftSetting[], key: string): DraftSetting[] {
  return list.filter((d) => d.key !== key);
}

/** Inline problems per draft key; a key is absent when its draft is fine. */
export function draftProblems(list: readonly DraftSetting[]): Record<string, DraftProblems> {
  const result: Record<string, DraftProblems> = {};
  list.forEach((d, i) => {
    const others = list.filter((_, j) => j !== i).map((o) => o.name);
    const problems: DraftProblems = {};
    const label = settingLabelProblem(d.label);
    const name = settingNameProblem(d.name, others);
    const description = settingDescriptionProblem(d.description);
    if (label) problems.label = label;
    if (name) problems.name = name;
    if (description) problems.description = description;
    if (label || name || description) result[d.key] = problems;
  });
  return result;
}

/** The FunctionSettingV1 list to store (labels trimmed). */
export function schemaFromDrafts(list: readonly DraftSetting[]): FunctionSetting[] {
  return list.map((d) => ({
    name: d.name,
    label: d.label.trim(),
    description: d.description,
    type: d.type,
    required: d.required,
    sensitive: d.sensitive,
  }));
}

export function sameSchema(a: readonly FunctionSetting[], b: readonly FunctionSetting[]): boolean {
  if (a.length !== b.length) return false;
  return a.every(
    (s, i) =>
      s.name === b[i].name &&
      s.label === b[i].label &&
      s.description === b[i].description &&
      s.type === b[i].type &&
      s.required === b[i].required &&
      s.sensitive === b[i].sensitive,
  );
}

/**
 * Test values can be entered only for settings as saved in function.json: the host
 * checks values against the stored schema (type, encrypted or not).
 */
export function isSavedAsIs(draft: FunctionSetting, saved: readonly FunctionSetting[]): boolean {
  const stored = saved.find((s) => s.name === draft.name);
  return stored !== undefined && stored.type === draft.type && stored.sensitive === draft.sensitive;
}
