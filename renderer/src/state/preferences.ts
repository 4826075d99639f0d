/** Saving the user's preferences through the host; the saved copy becomes the store's. */
import type { Preferences } from '../../../main/contract';
import { api } from '../platform/api';
import { showError } from './notices';
import { useStudio } from './store';

export async function savePrefs(patch: Partial<Preferences>): Promise<void> {
  try {
    const prefs = await api.preferences.set(patch);
    useStudio.setState({ prefs });
  } catch (err) {
    showError('Could not save preferences', err);
  }
}
