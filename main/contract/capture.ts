/**
 * The app's live capture: a local endpoint speaking Segment's HTTP Tracking API whose
 * events stream to the renderer and run through the open function as they arrive.
 */
import type { Outcome } from './outcome';

export interface CaptureStartRequest {
  /** Port on 127.0.0.1; 0 picks a free one. */
  port: number;
  /** The function each event runs through (its mocks.json answers requests, all else is offline); null only records. */
  functionId: string | null;
  /** The editor's code for that function (unsaved edits included), as a run uses it. */
  code?: string;
}

export interface CaptureStatus {
  running: boolean;
  /** e.g. http://127.0.0.1:8788, while running. */
  url: string | null;
  functionId: string | null;
  /** Where the events are recorded (NDJSON), relative to the workspace; null when not recording. */
  recording: string | null;
  captured: number;
  refused: number;
}

/** One captured event, as the renderer lists it. */
export interface CapturedEvent {
  /** 1, 2, … within one capture. */
  seq: number;
  /** e.g. `track "Order Completed" (user u1)`. */
  summary: string;
  /** The event as Segment would deliver it to the function. */
  event: Record<string, unknown>;
}

/** Host events of a capture (see transport.ts HostEvent). */
export type CaptureHostEvent =
  | { type: 'capture.event'; item: CapturedEvent }
  | { type: 'capture.outcome'; seq: number; outcome: Outcome }
  | { type: 'capture.refused'; path: string; status: number; reason: string }
  | { type: 'capture.status'; status: CaptureStatus };

export function isCaptureHostEvent(value: { type?: unknown }): boolean {
  const v = value as Record<string, unknown>;
  switch (v.type) {
    case 'capture.event': {
      const item = v.item as Record<string, unknown> | null;
      return typeof item === 'object' && item !== null && typeof item.seq === 'number' && typeof item.summary === 'string' && typeof item.event === 'object' && item.event !== null;
    }
    case 'capture.outcome':
      return typeof v.seq === 'number' && typeof v.outcome === 'object' && v.outcome !== null;
    case 'capture.refused':
      return typeof v.path === 'string' && typeof v.status === 'number' && typeof v.reason === 'string';
    case 'capture.status':
      return typeof v.status === 'object' && v.status !== null && typeof (v.status as { running?: unknown }).running === 'boolean';
    default:
      return false;
  }
}
