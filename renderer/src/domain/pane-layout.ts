/**
 * The workbench's pane sizes for a window size: the stored sizes (what the user dragged),
 * fitted so nothing is unusable. The code editor keeps at least half the width when the
 * stored sizes would squeeze it (small screens), and the Settings tab, whose builder and
 * live preview want to sit side by side, uses its own width and height where there is room
 * for both columns and still a code editor you can read (at 1440 px: 620 px of settings,
 * ≈ 570 px of code). Where there is not, it keeps the ordinary width and the preview stacks
 * under the builder (settings.css). The ordinary width holds the side panel's seven tabs
 * in one row on a 1440 px screen; narrower, the ones that do not fit go into a menu.
 */
export interface PaneSizes {
  sidebar: number;
  side: number;
  event: number;
  /** Width of the side panel while the Settings tab is open. */
  sideSettings: number;
  /** Height of the side panel (above the output) while the Settings tab is open. */
  eventSettings: number;
}

export const DEFAULT_LAYOUT_SIZES: PaneSizes = { sidebar: 240, side: 520, event: 300, sideSettings: 620, eventSettings: 560 };

const MIN_SIDEBAR = 150;
const MIN_SIDE = 280;
/** Narrowest code editor next to the widened Settings tab (some 60 characters of code): the tab never takes more. */
export const MIN_EDITOR_BESIDE_SETTINGS = 520;
/**
 * The narrowest side panel that holds builder and preview side by side: two 280 px columns,
 * their gap and padding. settings.css switches to two columns at the same width.
 */
export const SETTINGS_TWO_COLUMNS = 600;
const SPLITTERS = 10;
/** The narrowest code editor a large screen's dragging may leave (as the grid's own minimum). */
const MIN_EDITOR = 200;
/** Below this width the code editor is guaranteed half the window. */
const SMALL_SCREEN = 1280;
/** Header and status bar. */
const CHROME_HEIGHT = 68;
const MIN_OUTPUT = 140;

export interface Layout {
  sidebar: number;
  side: number;
  /** Height of the side panel above the output. */
  top: number;
  /** Which stored size the side panel's splitters change. */
  sideKey: 'side' | 'sideSettings';
  topKey: 'event' | 'eventSettings';
}

export function paneLayout(window: { width: number; height: number }, stored: Partial<PaneSizes>, settingsTab: boolean): Layout {
  const sizes = { ...DEFAULT_LAYOUT_SIZES, ...stored };
  const maxTop = Math.max(MIN_OUTPUT, window.height - CHROME_HEIGHT - SPLITTERS - MIN_OUTPUT);
  let sidebar = sizes.sidebar;
  if (settingsTab) {
    const room = window.width - SPLITTERS - sidebar - MIN_EDITOR_BESIDE_SETTINGS;
    if (room >= Math.min(sizes.sideSettings, SETTINGS_TWO_COLUMNS)) {
      return { sidebar, side: Math.min(sizes.sideSettings, room), top: Math.min(sizes.eventSettings, maxTop), sideKey: 'sideSettings', topKey: 'eventSettings' };
    }
  }
  let side = sizes.side;
  // On a small screen the editor keeps half the window; on a large one, what the user dragged
  // goes, down to a usable editor. The two panels share the rest in proportion.
  const editorFloor = window.width < SMALL_SCREEN ? window.width / 2 : MIN_EDITOR;
  const panels = window.width - editorFloor - SPLITTERS;
  if (sidebar + side > panels) {
    const scale = panels / (sidebar + side);
    sidebar = Math.max(MIN_SIDEBAR, Math.floor(sidebar * scale));
    side = Math.max(MIN_SIDE, Math.floor(panels - sidebar));
  }
  const top = settingsTab ? Math.min(sizes.eventSettings, maxTop) : Math.min(sizes.event, maxTop);
  return { sidebar, side, top, sideKey: 'side', topKey: settingsTab ? 'eventSettings' : 'event' };
}
