/**
 * Converts guest values to plain JSON data (the handler's return value, data handed to
 * host libraries): JSON.stringify semantics (toJSON, dropped functions/undefined),
 * cycles shown as "[Circular]" (when a value has a cycle, every object met a second time
 * is), BigInt as a string. Never throws.
 */
export function toPlainData(value: unknown): unknown {
  if (value === undefined) return null;
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  return JSON.parse(toJsonText(value));
}

/** The JSON text of what toPlainData gives (the text, not the data: no parse). Never throws. */
export function toJsonText(value: unknown): string {
  try {
    // Native JSON without a replacer is several times faster; it throws on exactly the
    // cases the replacer below exists for (cycles, BigInt).
    const json = JSON.stringify(value);
    return json === undefined ? 'null' : json;
  } catch {
    // a cycle or a BigInt: the careful path below
  }
  const seen = new WeakSet<object>();
  try {
    const json = JSON.stringify(value, function replacer(_key: string, current: unknown) {
      if (typeof current === 'bigint') return current.toString();
      if (typeof current === 'object' && current !== null) {
        if (seen.has(current)) return '[Circular]';
        seen.add(current);
      }
      return current;
    });
    return json === undefined ? 'null' : json;
  } catch (err) {
    let reason = 'unserialisable value';
    try {
      reason = String((err as Error).message);
    } catch {
      // hostile error object: keep the generic reason
    }
    return JSON.stringify(`[fnstudio: value could not be converted to JSON: ${reason}]`);
  }
}
