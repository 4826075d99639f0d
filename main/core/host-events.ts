/**
 * The host events the core emits (functions.changed, workspace.changed, capture and replay
 * progress …), fanned out to every listener a host registered.
 */
import type { HostEvent } from '../contract/transport';

export interface HostEvents {
  emit(event: HostEvent): void;
  /** Returns the unsubscribe. */
  subscribe(listener: (event: HostEvent) => void): () => void;
  clear(): void;
}

export function createHostEvents(): HostEvents {
  const listeners = new Set<(event: HostEvent) => void>();
  return {
    emit(event) {
      for (const listener of [...listeners]) {
        try {
          listener(event);
        } catch {
          // One broken listener (a closed socket) must not starve the others.
        }
      }
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    clear: () => listeners.clear(),
  };
}
