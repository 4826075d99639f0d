/** A value in one line for reports: JSON, `(nothing)` for a missing one, long ones cut. */
export function describeValue(value: unknown, max = 300): string {
  if (value === undefined) return '(nothing)';
  const text = JSON.stringify(value) ?? String(value);
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
