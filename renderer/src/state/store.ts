import { create } from 'zustand';
import { DEFAULT_LAYOUT_SIZES } from '../domain/pane-layout';
import type {
  FunctionDetail,
  FunctionMeta,
  FunctionSummary,
  Outcome,
  Preferences,
  SampleEvent,
  SavedEvent,
  TemplateInfo,
  WorkspaceInfo,
} from '../../../main/contract';

export type SideTab = 'event' | 'settings' | 'tests' | 'mocks' | 'history' | 'segment' | 'capture';

export interface OpenFunction {
  id: string;
  meta: FunctionMeta;
  /** The file the code is: handler.js, or handler.ts (TypeScript, edited as such). */
  handlerFile: FunctionDetail['handlerFile'];
  /** Version of the handler file the buffer is based on (sent back on save to detect conflicts). */
  codeVersion: string;
  /** The text last loaded from or saved to disk: the buffer is dirty when it differs. */
  savedCode: string;
  /** The workspace folder it was opened from: saving into another folder would write a different function. */
  root: string | null;
}

export type RunState =
  | { state: 'idle' }
  | { state: 'running'; runId: string; startedAt: number };

export interface DialogButton {
  id: string;
  label: string;
  variant?: 'primary' | 'danger' | 'plain';
}

export interface DialogRequest {
  title: string;
  message?: string;
  input?: { label: string; value: string; placeholder?: string };
  choice?: { label: string; options: Array<{ value: string; label: string; description?: string }>; value: string };
  buttons: DialogButton[];
  /** Button pressed by Enter (when valid); Escape always cancels. */
  defaultButton: string;
}

export interface DialogResult {
  button: string | null;
  input: string;
  choice: string;
}

export interface Notice {
  kind: 'error' | 'info';
  text: string;
}

export interface StudioState {
  ready: boolean;
  /** Set when the host could not be reached at start. */
  loadError: string | null;
  functions: FunctionSummary[];
  templates: TemplateInfo[];
  samples: SampleEvent[];
  prefs: Preferences | null;
  /** The workspace folder in use and what decided it. */
  workspace: WorkspaceInfo | null;
  /** OS theme, as prefers-color-scheme reports it. */
  systemDark: boolean;
  current: OpenFunction | null;
  /** Shown instead of the editor when the selected function cannot be opened (e.g. corrupt function.json). */
  openError: { id: string; message: string } | null;
  dirty: boolean;
  /** The handler file changed on disk while the buffer was dirty: the banner offers reload/keep. */
  external: { code: string; codeVersion: string; handlerFile: FunctionDetail['handlerFile'] } | null;
  savedEvents: SavedEvent[];
  /** Where the event in the event editor came from, e.g. "Sample · Track". */
  eventSource: string;
  /** The text as loaded from eventSource: once the editor differs, the event counts as edited. */
  eventLoadedText: string;
  eventText: string;
  run: RunState;
  outcome: Outcome | null;
  /** Set when the outcome shown was reopened from the run history rather than just run. */
  outcomeOrigin: { runId: string; startedAt: string; eventLabel: string } | null;
  /** Toolbar toggle: requests no mock rule answers are blocked instead of reaching the network. */
  offline: boolean;
  /** The event (or batch) that produced `outcome`, for "Save as test". */
  outcomeInput: unknown;
  /** A run that could not produce an outcome (bad input, cancelled, host error). */
  runError: string | null;
  notice: Notice | null;
  /** The web host's connection dropped; the transport is reconnecting. */
  disconnected: boolean;
  dialog: DialogRequest | null;
  sideTab: SideTab;
  cursor: { line: number; column: number };
  paneSizes: Record<string, number>;
}

export const DEFAULT_PANE_SIZES: Record<string, number> = { ...DEFAULT_LAYOUT_SIZES };

export const useStudio = create<StudioState>(() => ({
  ready: false,
  loadError: null,
  functions: [],
  templates: [],
  samples: [],
  prefs: null,
  workspace: null,
  systemDark: typeof matchMedia === 'function' && matchMedia('(prefers-color-scheme: dark)').matches,
  current: null,
  openError: null,
  dirty: false,
  external: null,
  savedEvents: [],
  eventSource: '',
  eventLoadedText: '',
  eventText: '',
  run: { state: 'idle' },
  outcome: null,
  outcomeOrigin: null,
  offline: false,
  outcomeInput: null,
  runError: null,
  notice: null,
  disconnected: false,
  dialog: null,
  sideTab: 'event',
  cursor: { line: 1, column: 1 },
  paneSizes: { ...DEFAULT_PANE_SIZES },
}));

/**
 * The open function came from a workspace folder that is no longer the one in use (the
 * workspace moved while it had unsaved edits): its buffer is kept, but saving or running
 * it would reach a different function of the same name.
 */
export function isDetached(state: Pick<StudioState, 'current' | 'workspace'>): boolean {
  const { current, workspace } = state;
  return current !== null && current.root !== null && workspace !== null && current.root !== workspace.root;
}

export function resolvedTheme(state: Pick<StudioState, 'prefs' | 'systemDark'>): 'light' | 'dark' {
  const pref = state.prefs?.theme ?? 'system';
  if (pref === 'light' || pref === 'dark') return pref;
  return state.systemDark ? 'dark' : 'light';
}
