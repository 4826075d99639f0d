import { useEffect, useLayoutEffect, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';
import { fitTabs, type TabFit } from '../domain/tab-overflow';
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

/** The More button's width (settings.css gives it exactly this), the gap between tabs, the bar's side padding. */
const MORE_WIDTH = 76;
const TAB_GAP = 2;
const BAR_PADDING = 16;
const TAB_IDS = TABS.map((t) => t.id);

export function SidePanel() {
  const active = useStudio((s) => s.sideTab);
  const bar = useRef<HTMLDivElement>(null);
  const tabRefs = useRef(new Map<SideTab, HTMLButtonElement>());
  // Each tab's width as last measured while shown: a tab in the menu keeps its last width.
  const widths = useRef<Partial<Record<SideTab, number>>>({});
  const [available, setAvailable] = useState<number | null>(null);
  const [fit, setFit] = useState<TabFit<SideTab>>({ shown: TAB_IDS, more: [] });
  const [menuOpen, setMenuOpen] = useState(false);

  useLayoutEffect(() => {
    const element = bar.current;
    if (!element) return;
    const measure = () => setAvailable(element.clientWidth - BAR_PADDING);
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(element);
    return () => observer.disconnect();
  }, []);

  useLayoutEffect(() => {
    for (const [id, button] of tabRefs.current) if (button.offsetWidth > 0) widths.current[id] = button.offsetWidth;
    if (available === null || TAB_IDS.some((id) => widths.current[id] === undefined)) return;
    const next = fitTabs(TAB_IDS, widths.current as Record<SideTab, number>, available, MORE_WIDTH, TAB_GAP, active);
    setFit((prev) => (prev.shown.join() === next.shown.join() ? prev : next));
  }, [available, active, fit]);

  const choose = (id: SideTab) => {
    setMenuOpen(false);
    setSideTab(id);
  };

  return (
    <div className="side-panel">
      <div className="tabs-bar" ref={bar}>
        <div className="tabs" role="tablist" aria-label="Side panel">
          {TABS.map((t) => (
            <button
              key={t.id}
              ref={(el) => {
                if (el) tabRefs.current.set(t.id, el);
                else tabRefs.current.delete(t.id);
              }}
              type="button"
              role="tab"
              id={`tab-${t.id}`}
              aria-selected={active === t.id}
              aria-controls={`tabpanel-${t.id}`}
              className={`tab${active === t.id ? ' active' : ''}`}
              hidden={!fit.shown.includes(t.id)}
              onClick={() => setSideTab(t.id)}
            >
              {t.label}
            </button>
          ))}
        </div>
        {fit.more.length > 0 ? (
          <MoreTabs
            tabs={TABS.filter((t) => fit.more.includes(t.id))}
            open={menuOpen}
            onToggle={() => setMenuOpen((o) => !o)}
            onClose={() => setMenuOpen(false)}
            onChoose={choose}
          />
        ) : null}
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

/** The tabs that do not fit the bar, behind a "More" button: a menu of the panels' names. */
function MoreTabs({
  tabs,
  open,
  onToggle,
  onClose,
  onChoose,
}: {
  tabs: ReadonlyArray<{ id: SideTab; label: string }>;
  open: boolean;
  onToggle: () => void;
  onClose: () => void;
  onChoose: (id: SideTab) => void;
}) {
  const wrap = useRef<HTMLDivElement>(null);
  const menu = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (!open) return;
    menu.current?.querySelector<HTMLButtonElement>('[role="menuitem"]')?.focus();
    const onPointer = (e: PointerEvent) => {
      if (!wrap.current?.contains(e.target as Node)) onClose();
    };
    document.addEventListener('pointerdown', onPointer);
    return () => document.removeEventListener('pointerdown', onPointer);
  }, [open, onClose]);

  const onKeyDown = (e: KeyboardEvent) => {
    const items = [...(menu.current?.querySelectorAll<HTMLButtonElement>('[role="menuitem"]') ?? [])];
    const index = items.indexOf(document.activeElement as HTMLButtonElement);
    if (e.key === 'Escape') {
      e.preventDefault();
      onClose();
      wrap.current?.querySelector<HTMLButtonElement>('.tab-more')?.focus();
    } else if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      const step = e.key === 'ArrowDown' ? 1 : -1;
      items[(index + step + items.length) % items.length]?.focus();
    }
  };

  const names = tabs.map((t) => t.label).join(', ');
  return (
    <div className="tab-more-wrap" ref={wrap} onKeyDown={onKeyDown}>
      <button type="button" className="tab tab-more" aria-haspopup="menu" aria-expanded={open} aria-label={`More panels: ${names}`} title={names} onClick={onToggle}>
        More <span aria-hidden="true">▾</span>
      </button>
      {open ? (
        <div className="tab-menu" role="menu" aria-label="More panels" ref={menu}>
          {tabs.map((t) => (
            <button key={t.id} type="button" role="menuitem" className="tab-menu-item" onClick={() => onChoose(t.id)}>
              {t.label}
            </button>
          ))}
        </div>
      ) : null}
    </div>
  );
}
