import { STATE_LABELS, useSync } from './sync-store';

/** A function's sync state in the function list; nothing for functions never linked. */
export function SyncBadge({ functionId }: { functionId: string }) {
  const status = useSync((s) => s.statuses[functionId]);
  if (!status || status.state === 'unlinked') return null;
  return (
    <span className={`sync-badge sync-${status.state}`} data-testid={`sync-badge-${functionId}`} title={status.problem ?? `${STATE_LABELS[status.state]} (${status.remote?.name ?? ''})`}>
      {STATE_LABELS[status.state]}
    </span>
  );
}
