import { describe, expect, it } from 'vitest';
import { DEFAULT_LAYOUT_SIZES, MIN_EDITOR_BESIDE_SETTINGS, paneLayout, SETTINGS_TWO_COLUMNS } from './pane-layout';

const editorWidth = (width: number, l: { sidebar: number; side: number }) => width - l.sidebar - l.side - 10;

describe('paneLayout', () => {
  it('keeps the stored sizes where they fit', () => {
    const layout = paneLayout({ width: 1440, height: 900 }, DEFAULT_LAYOUT_SIZES, false);
    expect(layout).toEqual({ sidebar: 240, side: 520, top: 300, sideKey: 'side', topKey: 'event' });
  });

  it('gives the code editor at least half the width on a small screen', () => {
    const layout = paneLayout({ width: 1024, height: 680 }, DEFAULT_LAYOUT_SIZES, false);
    expect(editorWidth(1024, layout)).toBeGreaterThanOrEqual(512);
    expect(layout.sidebar).toBeGreaterThanOrEqual(150);
    expect(layout.side).toBeGreaterThanOrEqual(280);
    // Even with panels dragged wide.
    const dragged = paneLayout({ width: 1024, height: 680 }, { sidebar: 480, side: 900 }, false);
    expect(editorWidth(1024, dragged)).toBeGreaterThanOrEqual(512);
  });

  it('lets a large screen keep what the user dragged, down to a usable editor', () => {
    const dragged = paneLayout({ width: 1440, height: 900 }, { sidebar: 240, side: 888 }, false);
    expect(dragged.side).toBe(888);
    const tooWide = paneLayout({ width: 1440, height: 900 }, { sidebar: 400, side: 1100 }, false);
    expect(editorWidth(1440, tooWide)).toBeGreaterThanOrEqual(200);
  });

  it('gives the Settings tab room for builder and preview side by side at 1440×900', () => {
    const layout = paneLayout({ width: 1440, height: 900 }, DEFAULT_LAYOUT_SIZES, true);
    expect(layout.side).toBeGreaterThanOrEqual(SETTINGS_TWO_COLUMNS);
    expect(editorWidth(1440, layout)).toBeGreaterThanOrEqual(560);
    expect(layout.top).toBeGreaterThanOrEqual(500);
    expect(layout.sideKey).toBe('sideSettings');
  });

  it('never lets the widened Settings tab squeeze the code editor below a readable width', () => {
    // A width stored before (or dragged to) 1100 px is capped, not obeyed.
    const dragged = paneLayout({ width: 1440, height: 900 }, { ...DEFAULT_LAYOUT_SIZES, sideSettings: 1100 }, true);
    expect(dragged.sideKey).toBe('sideSettings');
    expect(editorWidth(1440, dragged)).toBe(MIN_EDITOR_BESIDE_SETTINGS);
    // Where two columns and a readable editor do not both fit, the tab keeps the ordinary width.
    const laptop = paneLayout({ width: 1280, height: 800 }, DEFAULT_LAYOUT_SIZES, true);
    expect(laptop.sideKey).toBe('side');
    expect(laptop.side).toBe(DEFAULT_LAYOUT_SIZES.side);
    expect(editorWidth(1280, laptop)).toBeGreaterThanOrEqual(500);
  });

  it('keeps the small-screen rule for the Settings tab where there is no room, and leaves the output a usable height', () => {
    const layout = paneLayout({ width: 1024, height: 680 }, DEFAULT_LAYOUT_SIZES, true);
    expect(layout.sideKey).toBe('side');
    expect(editorWidth(1024, layout)).toBeGreaterThanOrEqual(512);
    expect(680 - 68 - 10 - layout.top).toBeGreaterThanOrEqual(140);
  });
});
