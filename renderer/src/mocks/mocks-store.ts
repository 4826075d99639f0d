/** State of the Mocks tab: the open function's mocks.json as on disk and the draft text. */
import { create } from 'zustand';
import type { FunctionMocks, MockRuleProblem } from '../../../main/contract';

export interface MocksPanelState {
  functionId: string | null;
  /** The file as last read or saved; null until loaded. */
  loaded: FunctionMocks | null;
  /** The draft: the text of mocks.json being edited (the form edits it too). */
  text: string;
  /** The host's verdict on `text` (mocks.check), one entry per bad rule. */
  problems: MockRuleProblem[];
  mode: 'form' | 'json';
  saving: boolean;
  error: string | null;
  /** mocks.json changed on disk while the draft had unsaved edits. */
  changedOnDisk: boolean;
}

export const useMocks = create<MocksPanelState>(() => ({
  functionId: null,
  loaded: null,
  text: '',
  problems: [],
  mode: 'form',
  saving: false,
  error: null,
  changedOnDisk: false,
}));
