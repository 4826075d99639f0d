/** The empty state: every template as a card (name, one line, what it shows) to start a function from. */
import { useMemo } from 'react';
import { featuresLine, templateFeatures } from '../domain/template-features';
import { createFunction } from '../state/function-list';
import { useStudio } from '../state/store';

export function TemplateGallery() {
  const templates = useStudio((s) => s.templates);
  const hasFunctions = useStudio((s) => s.functions.length > 0);
  const cards = useMemo(() => templates.map((t) => ({ ...t, shows: featuresLine(templateFeatures(t.code)) })), [templates]);
  return (
    <section className="gallery" aria-label="Templates">
      <h2>{hasFunctions ? 'Open a function on the left, or start a new one' : 'Start your first destination function'}</h2>
      <p className="muted">
        Each template is a working function: pick one, name it, and run it on a sample event. Mock rules (the Mocks tab) and the Offline switch keep
        first runs off the network.
      </p>
      <ul className="gallery-grid" role="list">
        {cards.map((t) => (
          <li key={t.id} className="gallery-card">
            <h3>{t.name}</h3>
            <p>{t.description}</p>
            <p className="gallery-shows">
              <span className="muted">Shows: </span>
              {t.shows}
            </p>
            <button type="button" className="btn btn-small btn-primary" aria-label={`Use template ${t.name}`} onClick={() => void createFunction(t.id)}>
              Use this template
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
