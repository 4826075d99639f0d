/** The one-line notice at the top of the window: errors from the host and short confirmations. */
import { errorMessage } from '../platform/rpc-error';
import { useStudio } from './store';

const set = useStudio.setState;

export function showError(prefix: string, err: unknown): void {
  set({ notice: { kind: 'error', text: `${prefix}: ${errorMessage(err)}` } });
}

export function showInfo(text: string): void {
  set({ notice: { kind: 'info', text } });
}

export function dismissNotice(): void {
  set({ notice: null });
}
