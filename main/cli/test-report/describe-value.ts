/** A value in one line for reports: JSON, `(nothing)` for a missing one, long ones cut. */
export function describeValue(value: unknown, max = 300): string {
  if (value === undefined) return '(nothing)';
  // JSON.stringify gives undefined for functions and symbols: name their kind instead.
  const text = (JSON.stringify(value) as string | undefined) ?? `(${typeof value})`;
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
