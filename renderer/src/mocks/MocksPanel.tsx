/**
 * The Mocks tab: the open function's mocks.json, edited as a form (one card per rule) or as
 * JSON. Both edit the same text; the host checks it and names problems by rule index.
 */
import { useEffect } from 'react';
import type { MockRuleProblem } from '../../../main/contract';
import { onHostEvent } from '../platform/api';
import { useStudio } from '../state/store';
import { TrashIcon, WarningIcon } from '../components/Icons';
import { asRuleObject, bodyText, bodyValue, rulesOfText, textOfRules, withRuleField, withRuleRemoved } from './mock-rule-draft';
import { isMocksDirty, loadMocks, reloadMocks, revertMocks, saveMocks, setMocksMode, setMocksText } from './mocks-actions';
import { useMocks } from './mocks-store';
import { StrictNetworkToggle } from './StrictNetworkToggle';
import './mocks.css';

const METHODS = ['*', 'GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'];

export function MocksPanel() {
  const functionId = useStudio((s) => s.current?.id ?? null);
  useEffect(() => {
    void loadMocks(functionId);
  }, [functionId]);
  // mocks.json may change outside the studio (an editor, git): read it again.
  useEffect(
    () =>
      onHostEvent((event) => {
        const id = useMocks.getState().functionId;
        if (event.type === 'functions.changed' && id !== null && (event.id === null || event.id === id)) void loadMocks(id);
      }),
    [],
  );
  if (!functionId) return <p className="empty-hint">Open a function to give it mock rules.</p>;
  return <MocksEditor />;
}

function MocksEditor() {
  const text = useMocks((s) => s.text);
  const mode = useMocks((s) => s.mode);
  const problems = useMocks((s) => s.problems);
  const saving = useMocks((s) => s.saving);
  const error = useMocks((s) => s.error);
  const changedOnDisk = useMocks((s) => s.changedOnDisk);
  const loaded = useMocks((s) => s.loaded);
  const dirty = useMocks(() => isMocksDirty());
  const offline = useStudio((s) => s.offline);
  const rules = rulesOfText(text);
  const fileProblems = problems.filter((p) => p.ruleIndex === null);

  return (
    <section
      className="mocks-panel"
      aria-label="Mock rules"
      onKeyDown={(e) => {
        if ((e.ctrlKey || e.metaKey) && (e.key === 's' || e.key === 'S') && isMocksDirty()) {
          e.preventDefault();
          void saveMocks();
        }
      }}
    >
      <div className="toolbar">
        <div className="segmented" role="group" aria-label="Edit as">
          <button type="button" className={`seg${mode === 'form' ? ' active' : ''}`} aria-pressed={mode === 'form'} onClick={() => setMocksMode('form')}>
            Form
          </button>
          <button type="button" className={`seg${mode === 'json' ? ' active' : ''}`} aria-pressed={mode === 'json'} onClick={() => setMocksMode('json')}>
            JSON
          </button>
        </div>
        {mode === 'form' ? (
          <button type="button" className="btn btn-small" disabled={!rules} onClick={() => rules && setMocksText(textOfRules([...rules, { method: 'POST', url: 'https://', status: 200, body: {} }]))}>
            + Add rule
          </button>
        ) : null}
        <span className="spacer" />
        {dirty ? <span className="dirty-label">unsaved</span> : null}
        <button type="button" className="btn btn-small" disabled={!dirty || saving} onClick={revertMocks}>
          Revert
        </button>
        <button type="button" className="btn btn-small btn-primary" disabled={!dirty || saving} onClick={() => void saveMocks()}>
          {saving ? 'Saving…' : 'Save mocks'}
        </button>
      </div>
      <p className="mocks-intro muted">
        Rules in <code>mocks.json</code> answer matching requests instead of the network; the first match wins.{' '}
        {offline ? 'Offline is on: other requests are blocked.' : 'Other requests go to the network (turn on Offline in the toolbar to block them).'}
        {loaded && !loaded.exists ? ' This function has no mocks.json yet.' : ''}
      </p>
      <StrictNetworkToggle />
      {changedOnDisk ? (
        <div className="settings-banner" role="alert">
          <WarningIcon />
          <span>mocks.json changed on disk while you were editing it.</span>
          <span className="spacer" />
          <button type="button" className="btn btn-small" onClick={() => void reloadMocks()}>
            Load from disk
          </button>
        </div>
      ) : null}
      {error ? (
        <p className="mocks-error" role="alert">
          {error}
        </p>
      ) : null}
      {fileProblems.length > 0 ? <ProblemList problems={fileProblems} label="Problems of mocks.json" /> : null}
      {mode === 'json' ? (
        <JsonEditor text={text} problems={problems} />
      ) : rules ? (
        <RuleForms rules={rules} text={text} problems={problems} />
      ) : (
        <p className="empty-hint">The form can show rules once mocks.json is a JSON array. Fix it in the JSON view.</p>
      )}
    </section>
  );
}

function ProblemList({ problems, label }: { problems: MockRuleProblem[]; label: string }) {
  return (
    <ul className="event-problems mocks-problems" aria-label={label}>
      {problems.map((p, i) => (
        <li key={i} className="problem-error">
          {p.message}
        </li>
      ))}
    </ul>
  );
}

function JsonEditor({ text, problems }: { text: string; problems: MockRuleProblem[] }) {
  const ruleProblems = problems.filter((p) => p.ruleIndex !== null);
  return (
    <div className="mocks-json-wrap">
      <textarea className="mocks-json" aria-label="mocks.json" spellCheck={false} value={text} onChange={(e) => setMocksText(e.target.value)} />
      {ruleProblems.length > 0 ? <ProblemList problems={ruleProblems} label="Rule problems" /> : null}
    </div>
  );
}

function RuleForms({ rules, text, problems }: { rules: unknown[]; text: string; problems: MockRuleProblem[] }) {
  if (rules.length === 0) {
    return <p className="empty-hint">No rules yet. Add one, or use “Mock this response” on a request in the output.</p>;
  }
  return (
    <ol className="mock-rules" aria-label="Rules">
      {rules.map((rule, index) => (
        // Remounted when rules are added or removed: the text areas hold what was typed, by position.
        <RuleCard key={`${index}/${rules.length}`} index={index} rule={asRuleObject(rule)} text={text} problems={problems.filter((p) => p.ruleIndex === index)} />
      ))}
    </ol>
  );
}

function numberOrUndefined(value: string): number | undefined {
  return value.trim() === '' ? undefined : Number(value);
}

function headersText(headers: unknown): string {
  if (typeof headers !== 'object' || headers === null) return '';
  return Object.entries(headers as Record<string, unknown>)
    .map(([k, v]) => `${k}: ${String(v)}`)
    .join('\n');
}

function headersValue(text: string): Record<string, string> | undefined {
  const entries = text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line): [string, string] => {
      const colon = line.indexOf(':');
      return colon === -1 ? [line.trim(), ''] : [line.slice(0, colon).trim(), line.slice(colon + 1).trim()];
    });
  return entries.length === 0 ? undefined : Object.fromEntries(entries);
}

function RuleCard({ index, rule, text, problems }: { index: number; rule: Record<string, unknown>; text: string; problems: MockRuleProblem[] }) {
  const field = (name: string, value: unknown) => setMocksText(withRuleField(text, index, name, value));
  const method = typeof rule.method === 'string' ? rule.method.toUpperCase() : '*';
  return (
    <li className={`mock-rule${problems.length > 0 ? ' invalid' : ''}`} aria-label={`Rule ${index}`}>
      <div className="mock-rule-head">
        <span className="mock-rule-index">[{index}]</span>
        <select aria-label={`Rule ${index} method`} value={METHODS.includes(method) ? method : '*'} onChange={(e) => field('method', e.target.value === '*' ? undefined : e.target.value)}>
          {METHODS.map((m) => (
            <option key={m} value={m}>
              {m === '*' ? 'any method' : m}
            </option>
          ))}
        </select>
        <input
          type="text"
          className="mock-rule-url"
          aria-label={`Rule ${index} URL`}
          placeholder="https://api.example.com/*  or  /regex/"
          value={typeof rule.url === 'string' ? rule.url : ''}
          onChange={(e) => field('url', e.target.value)}
        />
        <button type="button" className="icon-btn" aria-label={`Remove rule ${index}`} title="Remove this rule" onClick={() => setMocksText(withRuleRemoved(text, index))}>
          <TrashIcon />
        </button>
      </div>
      <div className="mock-rule-row">
        <label className="field-inline">
          <span>Status</span>
          <input type="number" className="mock-num" aria-label={`Rule ${index} status`} min={200} max={599} value={typeof rule.status === 'number' ? rule.status : ''} placeholder="200" onChange={(e) => field('status', numberOrUndefined(e.target.value))} />
        </label>
        <label className="field-inline">
          <span>Delay (ms)</span>
          <input type="number" className="mock-num" aria-label={`Rule ${index} delay`} min={0} value={typeof rule.delayMs === 'number' ? rule.delayMs : ''} placeholder="0" onChange={(e) => field('delayMs', numberOrUndefined(e.target.value))} />
        </label>
      </div>
      <label className="mock-field">
        <span>Response headers (one “Name: value” a line)</span>
        <textarea rows={2} spellCheck={false} aria-label={`Rule ${index} headers`} defaultValue={headersText(rule.headers)} onChange={(e) => field('headers', headersValue(e.target.value))} />
      </label>
      <label className="mock-field">
        <span>Response body (JSON is sent as JSON, anything else as text)</span>
        <textarea rows={3} spellCheck={false} aria-label={`Rule ${index} body`} defaultValue={bodyText(rule.body)} onChange={(e) => field('body', bodyValue(e.target.value))} />
      </label>
      {problems.map((p, i) => (
        <p key={i} className="problem-error mock-rule-problem" role="alert">
          {p.message}
        </p>
      ))}
    </li>
  );
}
