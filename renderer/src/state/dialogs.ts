import { useStudio, type DialogRequest, type DialogResult } from './store';

let resolveOpen: ((result: DialogResult) => void) | null = null;

/** Shows a modal dialog and resolves with the pressed button (null = cancelled) and field values. */
export function ask(request: DialogRequest): Promise<DialogResult> {
  // Only one dialog at a time: a new one cancels the previous.
  resolveOpen?.({ button: null, input: '', choice: '' });
  return new Promise((resolve) => {
    resolveOpen = resolve;
    useStudio.setState({ dialog: request });
  });
}

export function closeDialog(result: DialogResult): void {
  const resolve = resolveOpen;
  resolveOpen = null;
  useStudio.setState({ dialog: null });
  resolve?.(result);
}

export async function confirm(title: string, message: string, confirmLabel: string, variant: 'primary' | 'danger' = 'primary'): Promise<boolean> {
  const result = await ask({
    title,
    message,
    buttons: [
      { id: 'cancel', label: 'Cancel', variant: 'plain' },
      { id: 'ok', label: confirmLabel, variant },
    ],
    defaultButton: 'ok',
  });
  return result.button === 'ok';
}

export async function prompt(title: string, label: string, value: string, confirmLabel: string, message?: string): Promise<string | null> {
  const result = await ask({
    title,
    message,
    input: { label, value },
    buttons: [
      { id: 'cancel', label: 'Cancel', variant: 'plain' },
      { id: 'ok', label: confirmLabel, variant: 'primary' },
    ],
    defaultButton: 'ok',
  });
  return result.button === 'ok' ? result.input : null;
}
