import type { ReactNode } from 'react';
import { setSideTab } from '../state/layout';
import { useStudio, type SideTab } from '../state/store';
import { EventPanel } from './EventPanel';
import { SettingsPanel } from '../settings/SettingsPanel';
import { MocksPanel } from '../mocks/MocksPanel';
import { HistoryPanel } from '../history/HistoryPanel';
import { CapturePanel } from '../capture/CapturePanel';
import { TestsPanel } from '../tests/TestsPanel';
import { SegmentPanel } from '../sync/SegmentPanel';

/** The side panel's tabs; adding a panel is one entry here. */
const TABS: ReadonlyArray<{ id: SideTab; label: string; render: () => ReactNode }> = [
  { id: 'event', label: 'Event', render: () => <EventPanel /> },
  { id: 'settings', label: 'Settings', render: () => <SettingsPanel /> },
  { id: 'mocks', label: 'Mocks', render: () => <MocksPanel /> },
  { id: 'history', label: 'History', render: () => <HistoryPanel /> },
  { id: 'capture', label: 'Capture', render: () => <CapturePanel /> },
  { id: 'tests', label: 'Tests', render: () => <TestsPanel /> },
  { id: 'segment', label: 'Segment', render: () => <SegmentPanel /> },
];

export function SidePanel() {
  const active = useStudio((s) => s.sideTab);
  return (
    <div className="side-panel">
      <div className="tabs" role="tablist" aria-label="Side panel">
        {TABS.map((t) => (
          <button
            key={t.id}
            type="button"
            role="tab"
            id={`tab-${t.id}`}
            aria-selected={active === t.id}
            aria-controls={`tabpanel-${t.id}`}
            className={`tab${active === t.id ? ' active' : ''}`}
            onClick={() => setSideTab(t.id)}
          >
            {t.label}
          </button>
        ))}
      </div>
      {TABS.map((t) => (
        // Panels stay mounted (hidden) so the event editor keeps its state and Monaco instance.
        <div key={t.id} role="tabpanel" id={`tabpanel-${t.id}`} aria-labelledby={`tab-${t.id}`} className="tabpanel" hidden={active !== t.id}>
          {t.render()}
        </div>
      ))}
    </div>
  );
}
