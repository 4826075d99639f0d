import { api, onHostEvent } from '../platform/api';
import * as editors from '../editor/editor-registry';
import { useStudio } from '../state/store';
import { applyCaptureEvent, useCapture, type CaptureRow } from './capture-store';

let subscribed = false;

/** Listens to capture.* host events and reads the current status (e.g. after a reload). */
export function connectCapture(): void {
  if (subscribed) return;
  subscribed = true;
  onHostEvent(applyCaptureEvent);
  void api.capture
    .status()
    .then((status) => useCapture.setState({ status }))
    .catch(() => undefined);
}

/** Starts listening; the open function (with the editor's code) runs each event. */
export async function startCapture(): Promise<void> {
  const { port } = useCapture.getState();
  const trimmed = port.trim();
  const n = /^\d+$/.test(trimmed) ? Number(trimmed) : NaN;
  if (!(n >= 0 && n <= 65535)) {
    useCapture.setState({ error: `“${port}” is not a port: give a number from 0 to 65535 (0 picks a free one).` });
    return;
  }
  const current = useStudio.getState().current;
  useCapture.setState({ busy: true, error: null, rows: [], refused: [], selected: null });
  try {
    const status = await api.capture.start({ port: n, functionId: current?.id ?? null, code: current ? editors.getCode() : undefined });
    useCapture.setState({ status });
  } catch (err) {
    useCapture.setState({ error: `Could not start the capture: ${(err as Error).message}` });
  } finally {
    useCapture.setState({ busy: false });
  }
}

export async function stopCapture(): Promise<void> {
  useCapture.setState({ busy: true, error: null });
  try {
    const status = await api.capture.stop();
    useCapture.setState({ status });
  } catch (err) {
    useCapture.setState({ error: `Could not stop the capture: ${(err as Error).message}` });
  } finally {
    useCapture.setState({ busy: false });
  }
}

/** Shows a captured event's run in the output panel. */
export function showCaptured(row: CaptureRow): void {
  useCapture.setState({ selected: row.seq });
  if (row.outcome) useStudio.setState({ outcome: row.outcome, runError: null });
}

/** Puts a captured event into the event editor, to edit and run it by hand. */
export function openInEventEditor(row: CaptureRow): void {
  const text = JSON.stringify(row.event, null, 2);
  editors.setEventText(text);
  useStudio.setState({ eventText: text, eventLoadedText: text, eventSource: `captured:${row.seq}`, sideTab: 'event' });
}
