/**
 * A request or response body: JSON pretty-printed as a tree whose objects and arrays fold
 * (native <details>, so keyboard and screen readers work); anything else as plain text.
 */
import type { ReactNode } from 'react';

/** The body as JSON when it is an object or array; null otherwise. */
function parseJsonBody(text: string): object | null {
  const trimmed = text.trim();
  if (!trimmed.startsWith('{') && !trimmed.startsWith('[')) return null;
  try {
    const value: unknown = JSON.parse(trimmed);
    return typeof value === 'object' && value !== null ? value : null;
  } catch {
    return null;
  }
}

export function BodyView({ text, label }: { text: string; label: string }) {
  const json = parseJsonBody(text);
  if (json === null) return <pre className="code-block" aria-label={label}>{text}</pre>;
  return (
    <div className="json-tree" role="tree" aria-label={label}>
      <JsonNode value={json} name={null} depth={0} last />
    </div>
  );
}

function Scalar({ value }: { value: unknown }) {
  if (value === null) return <span className="json-null">null</span>;
  if (typeof value === 'string') return <span className="json-string">{JSON.stringify(value)}</span>;
  if (typeof value === 'number') return <span className="json-number">{String(value)}</span>;
  if (typeof value === 'boolean') return <span className="json-boolean">{String(value)}</span>;
  return <span>{JSON.stringify(value)}</span>;
}

function JsonNode({ value, name, depth, last }: { value: unknown; name: string | null; depth: number; last: boolean }) {
  const key: ReactNode = name === null ? null : <span className="json-key">{JSON.stringify(name)}</span>;
  const comma = last ? '' : ',';
  if (typeof value !== 'object' || value === null) {
    return (
      <div className="json-entry" role="treeitem">
        {key}
        {key ? ': ' : null}
        <Scalar value={value} />
        {comma}
      </div>
    );
  }
  const isArray = Array.isArray(value);
  const entries: Array<[string | null, unknown]> = isArray ? (value as unknown[]).map((v) => [null, v]) : Object.entries(value);
  const [open, close] = isArray ? ['[', ']'] : ['{', '}'];
  if (entries.length === 0) {
    return (
      <div className="json-entry" role="treeitem">
        {key}
        {key ? ': ' : null}
        {open}
        {close}
        {comma}
      </div>
    );
  }
  const summaryText = isArray ? `${entries.length} item${entries.length === 1 ? '' : 's'}` : `${entries.length} key${entries.length === 1 ? '' : 's'}`;
  return (
    // Deep levels start folded so a large body opens readable.
    <details open={depth < 3} role="treeitem">
      <summary>
        {key}
        {key ? ': ' : null}
        {open}
        <span className="muted json-fold-hint"> {summaryText} </span>
      </summary>
      {entries.map(([k, v], i) => (
        <JsonNode key={i} value={v} name={k} depth={depth + 1} last={i === entries.length - 1} />
      ))}
      <div>
        {close}
        {comma}
      </div>
    </details>
  );
}
