/**
 * The open function's strict-network setting, beside its mock rules: both decide what its
 * requests may reach. Saved in its function.json, so core applies it to every run of it.
 */
import { setStrictNetwork } from '../state/run';
import { useStudio } from '../state/store';

export function StrictNetworkToggle() {
  const hasFunction = useStudio((s) => s.current !== null);
  const strict = useStudio((s) => s.current?.meta.strictNetwork === true);
  return (
    <label className="toggle mocks-strict" title="Saved in this function's function.json">
      <input type="checkbox" checked={strict} disabled={!hasFunction} onChange={(e) => void setStrictNetwork(e.target.checked)} />
      <span>
        Strict network: also refuse loopback and private addresses (localhost, 10/8, 192.168/16, …), which Segment&apos;s servers cannot
        reach
      </span>
    </label>
  );
}
