/**
 * An error that came back from the host. Only `{ name, message }` crosses the wire; the
 * name ('NotFound', 'Conflict', 'RunCancelled', ...) tells the UI what happened.
 */
export class HostError extends Error {
  constructor(name: string, message: string) {
    super(message);
    this.name = name;
  }
}

export function errorName(err: unknown): string {
  return err instanceof Error ? err.name : 'Error';
}

export function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message || err.name;
  return String(err);
}
