/**
 * The Capture tab's state: the live capture's status and the events it received, each
 * with its outcome once the function has run it. Fed by capture.* host events.
 */
import { create } from 'zustand';
import type { CaptureStatus, HostEvent, Outcome } from '../../../main/contract';

export interface CaptureRow {
  seq: number;
  summary: string;
  event: Record<string, unknown>;
  /** null until the function has run it (or when the capture only records). */
  outcome: Outcome | null;
}

export interface RefusedRequest {
  path: string;
  status: number;
  reason: string;
}

export interface CaptureState {
  status: CaptureStatus | null;
  /** Newest last; the oldest are dropped beyond MAX_ROWS. */
  rows: CaptureRow[];
  refused: RefusedRequest[];
  selected: number | null;
  /** The port field, as typed. */
  port: string;
  busy: boolean;
  error: string | null;
}

/** A long capture keeps its recording on disk; the list shows the latest. */
const MAX_ROWS = 500;
const MAX_REFUSED = 20;
const DEFAULT_CAPTURE_PORT = '8788';

export const useCapture = create<CaptureState>(() => ({
  status: null,
  rows: [],
  refused: [],
  selected: null,
  port: DEFAULT_CAPTURE_PORT,
  busy: false,
  error: null,
}));

/** Applies one host event; anything not about the capture is ignored. */
export function applyCaptureEvent(event: HostEvent): void {
  const set = useCapture.setState;
  switch (event.type) {
    case 'capture.event':
      set((s) => ({ rows: [...s.rows, { ...event.item, outcome: null }].slice(-MAX_ROWS) }));
      return;
    case 'capture.outcome':
      set((s) => ({ rows: s.rows.map((row) => (row.seq === event.seq ? { ...row, outcome: event.outcome } : row)) }));
      return;
    case 'capture.refused':
      set((s) => ({ refused: [...s.refused, { path: event.path, status: event.status, reason: event.reason }].slice(-MAX_REFUSED) }));
      return;
    case 'capture.status':
      set({ status: event.status });
      return;
    default:
      return;
  }
}
