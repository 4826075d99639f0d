import { useStudio } from '../state/store';
import { startSaveAsTest } from './tests-actions';

/** "Save as test" for the outcome the Output panel shows. */
export function SaveAsTestButton() {
  const enabled = useStudio((s) => s.outcome !== null && s.outcomeInput !== null && s.current !== null && s.run.state !== 'running');
  return (
    <button type="button" className="btn btn-small" disabled={!enabled} title="Create a test case whose expectations are this outcome" onClick={() => void startSaveAsTest()}>
      Save as test
    </button>
  );
}
