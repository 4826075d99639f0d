/**
 * How a handler's parameters are typed, shared by `fnstudio check` (core) and the editor's
 * IntelliSense (renderer), so both judge a handler the same way.
 */
import type { SettingType } from './function';

/** Segment's handler names and the event type (resources/types) each receives. */
export const HANDLER_EVENT_TYPES: Readonly<Record<string, string>> = {
  onTrack: 'SegmentTrackEvent',
  onIdentify: 'SegmentIdentifyEvent',
  onPage: 'SegmentPageEvent',
  onScreen: 'SegmentScreenEvent',
  onGroup: 'SegmentGroupEvent',
  onAlias: 'SegmentAliasEvent',
  onDelete: 'SegmentDeleteEvent',
  onBatch: 'SegmentEvent[]',
};

/** The TypeScript type a setting of each type has in `settings`. */
export const SETTING_TS_TYPES: Readonly<Record<SettingType, string>> = {
  STRING: 'string',
  BOOLEAN: 'boolean',
  TEXT_MAP: 'Record<string, string>',
  ARRAY: 'string[]',
};
