import type { TestMismatch } from '../../../main/contract';

/**
 * A failing case's expected-vs-actual in Monaco's diff editor: one JSON document per side,
 * keyed by the mismatch paths (`"result.status": 201` against `"result.status": 200`).
 * A side that has nothing at a path (a missing request, an extra one) leaves the key out.
 */
export function sides(mismatches: readonly TestMismatch[]): { expected: string; actual: string } {
  const expected: Record<string, unknown> = {};
  const actual: Record<string, unknown> = {};
  for (const m of mismatches) {
    if (m.expected !== undefined) expected[m.path] = m.expected;
    if (m.actual !== undefined) actual[m.path] = m.actual;
  }
  return { expected: `${JSON.stringify(expected, null, 2)}\n`, actual: `${JSON.stringify(actual, null, 2)}\n` };
}
