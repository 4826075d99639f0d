/** What the Mocks tab does: load, edit (form or JSON), check, save, and rules from captured responses. */
import type { RequestTrace } from '../../../main/contract';
import { api } from '../platform/api';
import { errorMessage } from '../platform/rpc-error';
import { showInfo } from '../state/notices';
import { useStudio } from '../state/store';
import { EMPTY_MOCKS_TEXT, ruleFromTrace, withRuleAdded } from './mock-rule-draft';
import { useMocks } from './mocks-store';

const get = useMocks.getState;
const set = useMocks.setState;

function diskText(): string {
  const loaded = get().loaded;
  return loaded && loaded.exists ? loaded.json : EMPTY_MOCKS_TEXT;
}

export function isMocksDirty(): boolean {
  const { loaded, text } = get();
  return loaded !== null && text !== diskText();
}

/** Loads the function's mocks.json; a draft with unsaved edits is kept and the change flagged. */
export async function loadMocks(functionId: string | null): Promise<void> {
  if (functionId === null) {
    set({ functionId: null, loaded: null, text: '', problems: [], error: null, changedOnDisk: false });
    return;
  }
  const switching = get().functionId !== functionId;
  try {
    const loaded = await api.mocks.get(functionId);
    if (useStudio.getState().current?.id !== functionId) return;
    if (!switching && isMocksDirty()) {
      if (loaded.json !== get().loaded?.json) set({ changedOnDisk: true });
      return;
    }
    set({ functionId, loaded, text: loaded.exists ? loaded.json : EMPTY_MOCKS_TEXT, problems: loaded.problems, error: null, changedOnDisk: false });
  } catch (err) {
    set({ functionId, loaded: null, text: '', problems: [], error: `Could not read mocks.json: ${errorMessage(err)}` });
  }
}

let checkTimer: ReturnType<typeof setTimeout> | undefined;
let checkSeq = 0;

/** The draft changed (form or JSON editor): the host checks it shortly after typing stops. */
export function setMocksText(text: string): void {
  set({ text });
  clearTimeout(checkTimer);
  checkTimer = setTimeout(() => void checkNow(), 250);
}

async function checkNow(): Promise<void> {
  const seq = ++checkSeq;
  const text = get().text;
  try {
    const problems = await api.mocks.check(text);
    if (seq === checkSeq) set({ problems });
  } catch (err) {
    if (seq === checkSeq) set({ error: `Could not check the rules: ${errorMessage(err)}` });
  }
}

export function setMocksMode(mode: 'form' | 'json'): void {
  set({ mode });
}

export async function saveMocks(): Promise<boolean> {
  const { functionId, text } = get();
  if (!functionId) return false;
  set({ saving: true, error: null });
  try {
    const loaded = await api.mocks.set(functionId, text);
    set({ loaded, text: loaded.json, problems: loaded.problems, saving: false, changedOnDisk: false });
    showInfo('Saved mocks.json');
    return true;
  } catch (err) {
    set({ saving: false, error: errorMessage(err) });
    await checkNow();
    return false;
  }
}

export function revertMocks(): void {
  const loaded = get().loaded;
  set({ text: diskText(), problems: loaded?.problems ?? [], error: null, changedOnDisk: false });
}

/** Reloads from disk, dropping the draft (the "changed on disk" banner's action). */
export async function reloadMocks(): Promise<void> {
  const id = get().functionId;
  set({ loaded: null });
  await loadMocks(id);
}

/**
 * "Mock this response": a rule answering this exact request goes first in the draft (the
 * first matching rule wins), and the Mocks tab opens for the user to review and save it.
 */
export async function addRuleFromRequest(trace: RequestTrace): Promise<void> {
  const current = useStudio.getState().current;
  if (!current) return;
  if (get().functionId !== current.id || get().loaded === null) await loadMocks(current.id);
  if (get().loaded === null) return;
  useStudio.setState({ sideTab: 'mocks' });
  const text = withRuleAdded(get().text, ruleFromTrace(trace), true);
  if (text === null) {
    set({ mode: 'json', error: 'mocks.json is not a JSON array of rules yet: fix it here first, then add the rule again.' });
    return;
  }
  setMocksText(text);
}
