/** State of the History tab: the open function's last runs, and two chosen for a compare. */
import { create } from 'zustand';
import type { RunRecord, RunRecordSummary } from '../../../main/contract';

export interface HistoryPanelState {
  functionId: string | null;
  runs: RunRecordSummary[];
  /** Up to two run ids ticked for a compare, in the order ticked. */
  picked: string[];
  /** The two runs shown side by side (older first). */
  compare: [RunRecord, RunRecord] | null;
  error: string | null;
}

export const useHistory = create<HistoryPanelState>(() => ({ functionId: null, runs: [], picked: [], compare: null, error: null }));
