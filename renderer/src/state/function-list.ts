/** The workspace's list of functions and what changes it: create, rename, delete. */
import { api } from '../platform/api';
import * as editors from '../editor/editor-registry';
import { ask, confirm, prompt } from './dialogs';
import { showError } from './notices';
import { adopt, guardUnsaved } from './open-function';
import { savePrefs } from './preferences';
import { isDetached, useStudio } from './store';

const get = useStudio.getState;
const set = useStudio.setState;

export function sortFunctions<T extends { displayName: string }>(list: T[]): T[] {
  return [...list].sort((a, b) => a.displayName.localeCompare(b.displayName, undefined, { sensitivity: 'base' }));
}

export async function refreshFunctions(): Promise<void> {
  try {
    set({ functions: sortFunctions(await api.functions.list()) });
  } catch (err) {
    showError('Could not list functions', err);
  }
}

/** The “New function” dialog; from the template gallery with that template chosen. */
export async function createFunction(templateId?: string): Promise<void> {
  const templates = get().templates;
  if (templates.length === 0) {
    showError('Cannot create a function', new Error('no templates are available'));
    return;
  }
  const result = await ask({
    title: 'New function',
    input: { label: 'Name', value: '', placeholder: 'e.g. Webhook to CRM' },
    choice: {
      label: 'Template',
      options: templates.map((t) => ({ value: t.id, label: t.name, description: t.description })),
      value: templates.some((t) => t.id === templateId) ? (templateId as string) : templates[0].id,
    },
    buttons: [
      { id: 'cancel', label: 'Cancel', variant: 'plain' },
      { id: 'create', label: 'Create', variant: 'primary' },
    ],
    defaultButton: 'create',
  });
  if (result.button !== 'create') return;
  const displayName = result.input.trim();
  if (!displayName) {
    showError('Cannot create a function', new Error('the name is empty'));
    return;
  }
  if (!(await guardUnsaved('creating a function'))) return;
  try {
    const detail = await api.functions.create({ displayName, templateId: result.choice });
    await refreshFunctions();
    adopt(detail);
    set({ savedEvents: [] });
    void savePrefs({ lastFunctionId: detail.id });
  } catch (err) {
    showError('Could not create the function', err);
  }
}

export async function renameFunction(id: string): Promise<void> {
  const summary = get().functions.find((f) => f.id === id);
  if (!summary) return;
  const name = await prompt('Rename function', 'Name', summary.displayName, 'Rename');
  if (name === null || name.trim() === '' || name.trim() === summary.displayName) return;
  try {
    const meta = await api.functions.updateMeta(id, { displayName: name.trim() });
    const current = get().current;
    if (current?.id === id && !isDetached(get())) set({ current: { ...current, meta } });
    await refreshFunctions();
  } catch (err) {
    showError('Could not rename', err);
  }
}

/** The open function's handler file is known (handler.js or handler.ts); another's is not read for a dialog. */
function handlerFileOf(id: string): string {
  const current = get().current;
  return current?.id === id && !isDetached(get()) ? current.handlerFile : 'its handler';
}

export async function deleteFunction(id: string): Promise<void> {
  const summary = get().functions.find((f) => f.id === id);
  if (!summary) return;
  const ok = await confirm(
    'Delete function',
    `Delete “${summary.displayName}”? Its folder (${handlerFileOf(id)}, function.json and saved events) is removed from the workspace.`,
    'Delete',
    'danger',
  );
  if (!ok) return;
  try {
    await api.functions.delete(id);
    // A function kept from the previous folder is not the namesake just deleted here.
    if (get().current?.id === id && !isDetached(get())) {
      editors.closeCode();
      set({ current: null, dirty: false, external: null, savedEvents: [], outcome: null, runError: null });
    }
    if (get().openError?.id === id) set({ openError: null });
    await refreshFunctions();
  } catch (err) {
    showError('Could not delete', err);
  }
}
