import { useMemo } from 'react';
import { parseEventInput } from '../domain/event-input';
import { deleteSavedEvent, loadSample, loadSavedEvent, saveEventAs } from '../state/events';
import { useStudio } from '../state/store';
import { EventEditor } from './EventEditor';

export function EventPanel() {
  const samples = useStudio((s) => s.samples);
  const savedEvents = useStudio((s) => s.savedEvents);
  const eventSource = useStudio((s) => s.eventSource);
  const eventText = useStudio((s) => s.eventText);
  const edited = useStudio((s) => s.eventText !== s.eventLoadedText);
  const hasFunction = useStudio((s) => s.current !== null);
  const parsed = useMemo(() => parseEventInput(eventText), [eventText]);
  const savedName = eventSource.startsWith('saved:') ? eventSource.slice('saved:'.length) : null;

  return (
    <section className="event-panel" aria-label="Event input">
      <div className="toolbar">
        <label className="field-inline">
          <span>Event</span>
          <select
            aria-label="Load event"
            value={
              !edited && (savedEvents.some((e) => `saved:${e.name}` === eventSource) || samples.some((s) => `sample:${s.id}` === eventSource))
                ? eventSource
                : ''
            }
            onChange={(e) => {
              const v = e.target.value;
              if (v.startsWith('sample:')) loadSample(v.slice('sample:'.length));
              else if (v.startsWith('saved:')) loadSavedEvent(v.slice('saved:'.length));
            }}
          >
            <option value="" disabled>
              Edited event
            </option>
            <optgroup label="Samples">
              {samples.map((s) => (
                <option key={s.id} value={`sample:${s.id}`}>
                  {s.label}
                </option>
              ))}
            </optgroup>
            {savedEvents.length > 0 ? (
              <optgroup label="Saved with this function">
                {savedEvents.map((e) => (
                  <option key={e.name} value={`saved:${e.name}`}>
                    {e.name}
                  </option>
                ))}
              </optgroup>
            ) : null}
          </select>
        </label>
        <span className="spacer" />
        <button type="button" className="btn btn-small" aria-label="Save event" disabled={!hasFunction} onClick={() => void saveEventAs()}>
          Save…
        </button>
        {savedName ? (
          <button
            type="button"
            className="btn btn-small event-delete"
            aria-label={`Delete saved event ${savedName}`}
            title={`Delete the saved event “${savedName}” (events/${savedName}.json) from this function`}
            onClick={() => void deleteSavedEvent(savedName)}
          >
            Delete “{savedName}”
          </button>
        ) : null}
      </div>
      <EventEditor />
      {!parsed.ok || parsed.warnings.length > 0 ? (
        <ul className="event-problems" aria-label="Event problems">
          {!parsed.ok ? <li className="problem-error">{parsed.error}</li> : null}
          {parsed.warnings.map((w) => (
            <li key={w} className="problem-warning">
              {w}
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}
