import { useEffect } from 'react';
import { dismissNotice } from '../state/notices';
import { useStudio } from '../state/store';

const INFO_VISIBLE_MS = 3500;

/** Errors stay until dismissed; info messages fade on their own. */
export function NoticeBar() {
  const notice = useStudio((s) => s.notice);
  useEffect(() => {
    if (notice?.kind !== 'info') return;
    const t = setTimeout(dismissNotice, INFO_VISIBLE_MS);
    return () => clearTimeout(t);
  }, [notice]);
  if (!notice) return null;
  return (
    <div className={`notice notice-${notice.kind}`} role={notice.kind === 'error' ? 'alert' : 'status'}>
      <span>{notice.text}</span>
      <button type="button" className="icon-btn" aria-label="Dismiss message" onClick={dismissNotice}>
        ×
      </button>
    </div>
  );
}
