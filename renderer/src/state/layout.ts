/** The window's layout and look: the side panel's tab, splitter positions, the theme. */
import { savePrefs } from './preferences';
import { useStudio, type SideTab } from './store';

const get = useStudio.getState;
const set = useStudio.setState;

export function setSideTab(tab: SideTab): void {
  set({ sideTab: tab });
}

export function setPaneSize(name: string, size: number): void {
  set({ paneSizes: { ...get().paneSizes, [name]: Math.round(size) } });
}

export function persistPaneSizes(): void {
  void savePrefs({ paneSizes: get().paneSizes });
}

export async function setTheme(theme: string): Promise<void> {
  if (theme !== 'system' && theme !== 'light' && theme !== 'dark') return;
  await savePrefs({ theme });
}
