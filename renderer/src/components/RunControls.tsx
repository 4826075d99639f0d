/** The toolbar's run options: Offline (block what no mock rule answers) and the time limit. */
import { useEffect, useState } from 'react';
import { setOffline, setTimeLimit } from '../state/run';
import { useStudio } from '../state/store';

/** The time limit is typed in seconds; the preference holds milliseconds. */
const MAX_SECONDS = 600;

export function RunControls() {
  const offline = useStudio((s) => s.offline);
  const timeoutMs = useStudio((s) => s.prefs?.defaultTimeoutMs ?? 5000);
  const [text, setText] = useState(String(timeoutMs / 1000));
  useEffect(() => setText(String(timeoutMs / 1000)), [timeoutMs]);
  const seconds = Number(text);
  const valid = text.trim() !== '' && Number.isFinite(seconds) && seconds > 0 && seconds <= MAX_SECONDS;
  const commit = () => {
    if (valid) void setTimeLimit(Math.round(seconds * 1000));
    else setText(String(timeoutMs / 1000));
  };
  return (
    <div className="run-controls">
      <label className="toggle" title="Block every request no mock rule answers, as `fnstudio run --offline` does">
        <input type="checkbox" checked={offline} onChange={(e) => setOffline(e.target.checked)} />
        <span>Offline</span>
      </label>
      <label className="field-inline time-limit" title={`Time limit per run (Segment's is 5 s); 0.001 to ${MAX_SECONDS} seconds`}>
        <span>Limit</span>
        <input
          type="number"
          aria-label="Time limit in seconds"
          aria-invalid={!valid}
          min={0.001}
          max={MAX_SECONDS}
          step={0.5}
          value={text}
          onChange={(e) => setText(e.target.value)}
          onBlur={commit}
          onKeyDown={(e) => {
            if (e.key === 'Enter') commit();
          }}
        />
        <span>s</span>
      </label>
    </div>
  );
}
