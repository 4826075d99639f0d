import { describe, expect, it } from 'vitest';
import { fitTabs } from './tab-overflow';

const IDS = ['event', 'settings', 'mocks', 'history', 'capture', 'tests', 'segment'] as const;
type Id = (typeof IDS)[number];
// Widths Chromium gives the labels with 8 px padding.
const WIDTHS: Record<Id, number> = { event: 58, settings: 77, mocks: 62, history: 69, capture: 74, tests: 54, segment: 81 };
const ALL = 475 + 6 * 2;

describe('fitTabs', () => {
  it('shows every tab, and no menu, when they fit', () => {
    expect(fitTabs(IDS, WIDTHS, ALL, 72, 2, 'event')).toEqual({ shown: [...IDS], more: [] });
  });

  it('moves the tabs that do not fit (with room for the More button) into the menu, in order', () => {
    const fit = fitTabs(IDS, WIDTHS, ALL - 1, 72, 2, 'event');
    expect(fit.shown).toEqual(['event', 'settings', 'mocks', 'history', 'capture', 'tests']);
    expect(fit.more).toEqual(['segment']);
    const narrow = fitTabs(IDS, WIDTHS, 300, 72, 2, 'settings');
    expect(narrow).toEqual({ shown: ['event', 'settings', 'mocks'], more: ['history', 'capture', 'tests', 'segment'] });
    // Whatever is shown fits beside the More button.
    const widthOf = (ids: Id[]) => ids.reduce((s, id) => s + WIDTHS[id], 0) + 2 * (ids.length - 1);
    expect(widthOf(narrow.shown) + 2 + 72).toBeLessThanOrEqual(300);
  });

  it('keeps the open tab shown, in place of the last ones that fit', () => {
    const fit = fitTabs(IDS, WIDTHS, 300, 72, 2, 'segment');
    expect(fit.shown).toEqual(['event', 'settings', 'segment']);
    expect(fit.more).toEqual(['mocks', 'history', 'capture', 'tests']);
    // Even where only the open tab fits.
    expect(fitTabs(IDS, WIDTHS, 100, 72, 2, 'tests')).toEqual({ shown: ['tests'], more: ['event', 'settings', 'mocks', 'history', 'capture', 'segment'] });
  });
});
