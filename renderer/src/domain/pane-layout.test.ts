import { describe, expect, it } from 'vitest';
import { DEFAULT_LAYOUT_SIZES, paneLayout } from './pane-layout';

const editorWidth = (width: number, l: { sidebar: number; side: number }) => width - l.sidebar - l.side - 10;

describe('paneLayout', () => {
  it('keeps the stored sizes where they fit', () => {
    const layout = paneLayout({ width: 1440, height: 900 }, DEFAULT_LAYOUT_SIZES, false);
    expect(layout).toEqual({ sidebar: 240, side: 440, top: 300, sideKey: 'side', topKey: 'event' });
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
    expect(layout.side).toBeGreaterThanOrEqual(720);
    expect(editorWidth(1440, layout)).toBeGreaterThanOrEqual(400);
    expect(layout.top).toBeGreaterThanOrEqual(500);
    expect(layout.sideKey).toBe('sideSettings');
  });

  it('keeps the small-screen rule for the Settings tab where there is no room, and leaves the output a usable height', () => {
    const layout = paneLayout({ width: 1024, height: 680 }, DEFAULT_LAYOUT_SIZES, true);
    expect(layout.sideKey).toBe('side');
    expect(editorWidth(1024, layout)).toBeGreaterThanOrEqual(512);
    expect(680 - 68 - 10 - layout.top).toBeGreaterThanOrEqual(140);
  });
});
