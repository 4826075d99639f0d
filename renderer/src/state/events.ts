/** The event editor's content: samples, the open function's saved events, events from elsewhere. */
import { api } from '../platform/api';
import * as editors from '../editor/editor-registry';
import { refuseDetached } from './detached';
import { confirm, prompt } from './dialogs';
import { showError, showInfo } from './notices';
import { useStudio } from './store';

const get = useStudio.getState;
const set = useStudio.setState;

export async function loadSavedEvents(id: string): Promise<void> {
  try {
    const savedEvents = await api.functions.listEvents(id);
    if (get().current?.id === id) set({ savedEvents });
  } catch (err) {
    showError('Could not list saved events', err);
  }
}

export function loadSample(sampleId: string): void {
  const sample = get().samples.find((s) => s.id === sampleId);
  if (!sample) return;
  editors.setEventText(JSON.stringify(sample.event, null, 2));
  set({ eventSource: `sample:${sample.id}`, eventText: editors.getEventText(), eventLoadedText: editors.getEventText() });
}

export function loadSavedEvent(name: string): void {
  const saved = get().savedEvents.find((e) => e.name === name);
  if (!saved) return;
  editors.setEventText(saved.json);
  set({ eventSource: `saved:${saved.name}`, eventText: editors.getEventText(), eventLoadedText: editors.getEventText() });
}

/** Puts an event from elsewhere (a replayed event) into the event editor. */
export function loadEventText(json: string, source: string): void {
  editors.setEventText(json);
  set({ eventSource: source, eventText: editors.getEventText(), eventLoadedText: editors.getEventText(), sideTab: 'event' });
}

export async function saveEventAs(): Promise<void> {
  const current = get().current;
  if (!current || refuseDetached('Could not save the event')) return;
  const source = get().eventSource;
  const suggested = source.startsWith('saved:') ? source.slice('saved:'.length) : source.startsWith('sample:') ? `${source.slice('sample:'.length)}-event` : 'my-event';
  const name = await prompt('Save event', 'Event name', suggested, 'Save', 'Saved into this function’s events/ folder.');
  if (name === null) return;
  const trimmed = name.trim();
  try {
    await api.functions.saveEvent(current.id, trimmed, editors.getEventText());
    await loadSavedEvents(current.id);
    set({ eventSource: `saved:${trimmed}`, eventLoadedText: editors.getEventText() });
    showInfo(`Saved event ${trimmed}`);
  } catch (err) {
    showError('Could not save the event', err);
  }
}

export async function deleteSavedEvent(name: string): Promise<void> {
  const current = get().current;
  if (!current || refuseDetached('Could not delete the event')) return;
  if (!(await confirm('Delete saved event', `Delete the saved event “${name}” (events/${name}.json in “${current.meta.displayName}”)? The event editor keeps its text.`, 'Delete', 'danger'))) return;
  try {
    await api.functions.deleteEvent(current.id, name);
    await loadSavedEvents(current.id);
    if (get().eventSource === `saved:${name}`) set({ eventSource: '' });
  } catch (err) {
    showError('Could not delete the event', err);
  }
}
