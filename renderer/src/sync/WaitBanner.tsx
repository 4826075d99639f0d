import { useEffect, useState } from 'react';
import { useSync } from './sync-store';

/** A wait the host is in (a 429 from the Segment workspace, a retry), counting down. */
export function WaitBanner() {
  const wait = useSync((s) => s.wait);
  const [, setTick] = useState(0);
  useEffect(() => {
    if (!wait) return;
    const timer = setInterval(() => {
      setTick((t) => t + 1);
      // Kept a moment past the wait so a short one is still readable.
      if (Date.now() > wait.until + 1500) useSync.setState({ wait: null });
    }, 250);
    return () => clearInterval(timer);
  }, [wait]);
  if (!wait) return null;
  // Read the clock at render: the countdown starts right when the wait arrives.
  const left = Math.max(0, Math.ceil((wait.until - Date.now()) / 1000));
  return (
    <div className="wait-banner" role="status" data-testid="remote-wait">
      <span className="spinner spinner-inline" aria-hidden="true" /> {wait.text} {left > 0 ? `(${left} s left)` : ''}
    </div>
  );
}
