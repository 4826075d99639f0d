/**
 * Destination filters in the shape of Segment's Public API (`DestinationFilterV1`):
 * validated from a file (or a function's filters.json), then applied to each event before
 * delivery. Matching and the property actions run on Segment's own evaluator,
 * @segment/tsub (sampling by path is computed here: see consistentFraction); FQL is compiled to its IR by ./fql. Segment applies the actions of the
 * filters an event matches in this order: Sample, Drop, Drop Properties, Allow Properties.
 */
import { createHash } from 'node:crypto';
import { matches, transform } from '@segment/tsub';
import type { DestinationFilter, DestinationFilterAction } from '../../contract/replay';
import { readJsonFile } from '../json-file';
import { compileFql, FqlError } from './fql';

export const FILTERS_FILE = 'filters.json';

export class FiltersError extends Error {
  override readonly name = 'FiltersError';
}

const ACTION_TYPES = ['DROP', 'SAMPLE', 'ALLOW_PROPERTIES', 'DROP_PROPERTIES'] as const;

/**
 * Checks filters as people paste them: an array of filters, `{"filters": [...]}` or the
 * Public API's list answer `{"data": {"filters": [...]}}`. Throws FiltersError naming the
 * filter's index (and title) and the problem, including FQL syntax errors.
 */
export function validateFilters(value: unknown): DestinationFilter[] {
  const list = unwrap(value);
  return list.map((raw, index) => validateFilter(raw, index));
}

export async function readFiltersFile(file: string): Promise<DestinationFilter[]> {
  const value = await readJsonFile(file);
  try {
    return validateFilters(value);
  } catch (err) {
    if (err instanceof FiltersError) throw new FiltersError(`${file}: ${err.message}`);
    throw err;
  }
}

function unwrap(value: unknown): unknown[] {
  if (Array.isArray(value)) return value;
  if (isObject(value)) {
    if (Array.isArray(value.filters)) return value.filters;
    if (isObject(value.data) && Array.isArray(value.data.filters)) return value.data.filters;
  }
  throw new FiltersError('destination filters must be a JSON array of filters like [{"if": "type = \\"track\\"", "actions": [{"type": "DROP"}], "enabled": true}]');
}

function validateFilter(raw: unknown, index: number): DestinationFilter {
  const at = (problem: string): never => {
    const title = isObject(raw) && typeof raw.title === 'string' ? ` (${JSON.stringify(raw.title)})` : '';
    throw new FiltersError(`filter [${index}]${title}: ${problem}`);
  };
  if (!isObject(raw)) return at('expected an object with "if", "actions" and "enabled"');
  if (typeof raw.if !== 'string' || raw.if.trim() === '') at('"if" must be an FQL statement such as type = "track" (or "all")');
  const condition = (raw.if as string).trim();
  if (condition !== 'all') {
    try {
      compileFql(condition);
    } catch (err) {
      if (err instanceof FqlError) at(`"if" is not valid FQL: ${err.message}`);
      throw err;
    }
  }
  if (raw.enabled !== undefined && typeof raw.enabled !== 'boolean') at('"enabled" must be true or false');
  if (!Array.isArray(raw.actions) || raw.actions.length === 0) at('"actions" must be a non-empty array, e.g. [{"type": "DROP"}]');
  const actions = (raw.actions as unknown[]).map((action, i) => validateAction(action, (problem) => at(`actions[${i}]: ${problem}`)));
  const filter: DestinationFilter = { if: condition, actions, enabled: raw.enabled !== false };
  for (const key of ['id', 'title', 'description'] as const) if (typeof raw[key] === 'string') filter[key] = raw[key];
  return filter;
}

function validateAction(raw: unknown, fail: (problem: string) => never): DestinationFilterAction {
  if (!isObject(raw)) return fail('expected an object like {"type": "DROP"}');
  const type = raw.type;
  if (typeof type !== 'string' || !(ACTION_TYPES as readonly string[]).includes(type)) {
    return fail(`"type" must be one of ${ACTION_TYPES.join(', ')}, got ${JSON.stringify(type)}`);
  }
  const action: DestinationFilterAction = { type: type as DestinationFilterAction['type'] };
  if (type === 'SAMPLE') {
    if (typeof raw.percent !== 'number' || !(raw.percent >= 0 && raw.percent <= 1)) fail('SAMPLE needs "percent", the share of events to keep, from 0 to 1 (0.25 keeps a quarter)');
    action.percent = raw.percent;
    if (raw.path !== undefined && raw.path !== '') {
      if (typeof raw.path !== 'string') fail('"path" must be a field name such as "userId"');
      action.path = raw.path;
    }
  }
  if (type === 'ALLOW_PROPERTIES' || type === 'DROP_PROPERTIES') action.fields = validateFields(raw.fields, fail);
  return action;
}

/**
 * `fields` maps an object path ('' is the event itself) to keys. The Config API's older
 * `{"properties": {"fields": ["email"]}}` form is accepted too.
 */
function validateFields(raw: unknown, fail: (problem: string) => never): Record<string, string[]> {
  const example = 'e.g. {"properties": ["email"], "context": ["ip"]}';
  if (!isObject(raw) || Object.keys(raw).length === 0) return fail(`"fields" must map object paths to the keys to keep or drop, ${example}`);
  const fields: Record<string, string[]> = {};
  for (const [path, keys] of Object.entries(raw)) {
    const list = isObject(keys) && Array.isArray(keys.fields) ? keys.fields : keys;
    if (!Array.isArray(list) || list.some((k) => typeof k !== 'string')) fail(`fields[${JSON.stringify(path)}] must be an array of key names, ${example}`);
    fields[path] = list as string[];
  }
  return fields;
}

/** What the filters decided for one event. */
export type FilterDecision = { deliver: true; event: Record<string, unknown> } | { deliver: false; by: string };

export interface FilterSet {
  readonly count: number;
  /** Applies the enabled filters; property actions change `event` in place. */
  apply(event: Record<string, unknown>): FilterDecision;
}

interface CompiledFilter {
  name: string;
  matcher: { type: string; ir: string };
  actions: DestinationFilterAction[];
}

/** `random` decides samples without a `path` (tests pass a seeded one). */
export function compileFilters(filters: readonly DestinationFilter[], random: () => number): FilterSet {
  const compiled: CompiledFilter[] = filters
    .filter((f) => f.enabled)
    .map((f, i) => ({
      name: f.title ?? f.id ?? `#${i}`,
      matcher: f.if === 'all' ? { type: 'all', ir: '' } : { type: 'fql', ir: JSON.stringify(compileFql(f.if)) },
      actions: f.actions,
    }));
  return {
    count: compiled.length,
    apply(event) {
      if (compiled.length === 0) return { deliver: true, event };
      // Which filters apply is decided on the event as it arrived, before any action changes it.
      const matched = compiled.filter((f) => matches(event, f.matcher));
      for (const f of matched) {
        for (const a of f.actions) {
          if (a.type === 'SAMPLE' && !sampled(event, a, random)) return { deliver: false, by: `filter: ${f.name} (sample)` };
        }
      }
      for (const f of matched) {
        if (f.actions.some((a) => a.type === 'DROP')) return { deliver: false, by: `filter: ${f.name}` };
      }
      for (const type of ['DROP_PROPERTIES', 'ALLOW_PROPERTIES'] as const) {
        for (const f of matched) {
          for (const a of f.actions) {
            if (a.type !== type) continue;
            const config = type === 'DROP_PROPERTIES' ? { drop: a.fields } : { allow: a.fields };
            transform(event, [{ type: type === 'DROP_PROPERTIES' ? 'drop_properties' : 'allow_properties', config }]);
          }
        }
      }
      return { deliver: true, event };
    },
  };
}

function sampled(event: Record<string, unknown>, action: DestinationFilterAction, random: () => number): boolean {
  const percent = action.percent ?? 1;
  if (percent <= 0) return false;
  if (percent >= 1) return true;
  if (action.path !== undefined) return consistentFraction(dlvPath(event, action.path)) < percent;
  return random() <= percent;
}

/**
 * With a path, the same value (say a userId) is always in or always out, as on Segment.
 * The number is Segment's sampler's, which tsub documents it must equal: the MD5 of the
 * value's JSON; its first 64 bits as the significand of a fraction of 2^64, leading zero
 * bits shifted out and refilled from the digest's other half (so small fractions keep
 * their precision), the lowest bit set (a sticky bit: the conversion to a double then
 * never meets a tie), scaled by 2^-(64 + leading zeros). tsub's own code is not used
 * because under Node its dependencies break it (tiny-hashes' md5 returns hex text where
 * tsub reads bytes, and @stdlib's ldexp 0.0.5 returns denormals, so every event was kept).
 */
export function consistentFraction(value: unknown): number {
  const digest = createHash('md5').update(JSON.stringify(value) ?? 'undefined').digest();
  let significand = digest.readBigUInt64BE(0);
  const leadingZeros = significand === 0n ? 64 : 64 - significand.toString(2).length;
  if (leadingZeros > 0) {
    const rest = digest.readBigUInt64BE(8);
    significand = BigInt.asUintN(64, significand << BigInt(leadingZeros)) | (rest >> BigInt(64 - leadingZeros));
  }
  significand |= 1n;
  // Number() rounds to nearest like a float64 conversion; the power-of-two scale is exact.
  return Number(significand) * 2 ** -(64 + leadingZeros);
}

function dlvPath(event: Record<string, unknown>, path: string): unknown {
  let value: unknown = event;
  for (const key of path.split('.')) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
