/**
 * State of the Settings tab: the draft schema being edited and the test values as the
 * host reports them. Plaintext secrets are never kept here (a revealed value lives only
 * in the field that shows it).
 */
import { create } from 'zustand';
import type { FunctionSetting, SettingsTestValues } from '../../../main/contract';
import type { DraftSetting } from './settings-draft';

export type FieldStatus = { state: 'saving' } | { state: 'saved'; cleared: boolean } | { state: 'error'; message: string };

export interface SettingsPanelState {
  functionId: string | null;
  /** The schema as function.json holds it (last loaded or saved). */
  saved: FunctionSetting[];
  drafts: DraftSetting[];
  /** The card open for editing in the builder. */
  openKey: string | null;
  saving: boolean;
  saveError: string | null;
  /** function.json's settings changed on disk while the draft had unsaved edits. */
  changedOnDisk: boolean;
  testValues: SettingsTestValues | null;
  testValuesError: string | null;
  /** Per setting name: the last test value write. */
  fieldStatus: Record<string, FieldStatus>;
}

export const INITIAL_SETTINGS_STATE: SettingsPanelState = {
  functionId: null,
  saved: [],
  drafts: [],
  openKey: null,
  saving: false,
  saveError: null,
  changedOnDisk: false,
  testValues: null,
  testValuesError: null,
  fieldStatus: {},
};

export const useSettings = create<SettingsPanelState>(() => ({ ...INITIAL_SETTINGS_STATE }));
