/**
 * How the Settings tab follows the studio's open function: switching functions keeps
 * unsaved drafts aside (restored on return unless function.json changed meanwhile), and a
 * new function.json (our save, an edit on disk) is adopted unless it would overwrite edits.
 */
import type { FunctionSetting } from '../../../main/contract';
import { draftsFromSchema, redraft, sameSchema, schemaFromDrafts, type DraftSetting } from './settings-draft';

export interface PanelSnapshot {
  functionId: string | null;
  saved: FunctionSetting[];
  drafts: DraftSetting[];
  openKey: string | null;
}

/** Unsaved drafts per function id. */
export type DraftStash = Map<string, Pick<PanelSnapshot, 'saved' | 'drafts' | 'openKey'>>;

export type SyncPlan =
  | { kind: 'close' }
  | { kind: 'open'; functionId: string; saved: FunctionSetting[]; drafts: DraftSetting[]; openKey: string | null }
  | { kind: 'unchanged' }
  | { kind: 'adopt'; saved: FunctionSetting[]; drafts: DraftSetting[] }
  /** function.json changed under unsaved edits: keep the edits, tell the user. */
  | { kind: 'conflict'; saved: FunctionSetting[] };

export function isDraftDirty(state: Pick<PanelSnapshot, 'saved' | 'drafts'>): boolean {
  return !sameSchema(schemaFromDrafts(state.drafts), state.saved);
}

/** Decides the next state; moves drafts in and out of `stash` as functions are left and reopened. */
export function planSync(state: PanelSnapshot, functionId: string | null, settings: FunctionSetting[] | null, stash: DraftStash): SyncPlan {
  if (state.functionId !== null && state.functionId !== functionId && isDraftDirty(state)) {
    stash.set(state.functionId, { saved: state.saved, drafts: state.drafts, openKey: state.openKey });
  }
  if (functionId === null || settings === null) return { kind: 'close' };
  if (state.functionId !== functionId) {
    const kept = stash.get(functionId);
    stash.delete(functionId);
    if (kept && sameSchema(kept.saved, settings)) return { kind: 'open', functionId, saved: settings, drafts: kept.drafts, openKey: kept.openKey };
    return { kind: 'open', functionId, saved: settings, drafts: draftsFromSchema(settings), openKey: null };
  }
  if (sameSchema(settings, state.saved)) return { kind: 'unchanged' };
  if (isDraftDirty(state) && !sameSchema(settings, schemaFromDrafts(state.drafts))) return { kind: 'conflict', saved: settings };
  return { kind: 'adopt', saved: settings, drafts: redraft(settings, state.drafts) };
}
