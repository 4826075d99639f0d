/**
 * Which of the side panel's tabs show in its tab bar and which go into the "More" menu: as
 * many as fit, in order, and the open tab always among those shown (taking the place of the
 * last ones that fit), so every panel is one click away and the open one is never hidden.
 */
export interface TabFit<T extends string> {
  shown: T[];
  /** In the tabs' own order; empty when everything fits (and no "More" button is needed). */
  more: T[];
}

export function fitTabs<T extends string>(ids: readonly T[], widths: Readonly<Record<T, number>>, available: number, moreWidth: number, gap: number, active: T): TabFit<T> {
  const span = (list: readonly T[]) => list.reduce((sum, id) => sum + widths[id], 0) + gap * Math.max(0, list.length - 1);
  if (span(ids) <= available) return { shown: [...ids], more: [] };
  const budget = available - moreWidth - gap;
  const shown: T[] = [];
  for (const id of ids) {
    if (span([...shown, id]) > budget) break;
    shown.push(id);
  }
  if (!shown.includes(active)) {
    while (shown.length > 0 && span([...shown, active]) > budget) shown.pop();
    shown.push(active);
  }
  const inOrder = ids.filter((id) => shown.includes(id));
  return { shown: inOrder, more: ids.filter((id) => !shown.includes(id)) };
}
