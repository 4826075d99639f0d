/**
 * Sample events (resources/samples/<type>.json): Segment's canonical spec examples, one
 * per event type, plus a mixed batch for onBatch.
 */
import * as path from 'node:path';
import type { SamplesService } from '../contract/api';
import type { SampleEvent } from '../contract/function';
import { readJsonFile } from './json-file';

const SAMPLE_TYPES = ['track', 'identify', 'page', 'screen', 'group', 'alias', 'delete', 'batch'] as const;

const LABELS: Record<(typeof SAMPLE_TYPES)[number], string> = {
  track: 'Track',
  identify: 'Identify',
  page: 'Page',
  screen: 'Screen',
  group: 'Group',
  alias: 'Alias',
  delete: 'Delete',
  batch: 'Batch (mixed types)',
};

export function createSamples(samplesDir: string): SamplesService {
  return {
    async list(): Promise<SampleEvent[]> {
      return Promise.all(
        SAMPLE_TYPES.map(async (type) => ({
          id: type,
          label: LABELS[type],
          type,
          event: await readJsonFile(path.join(samplesDir, `${type}.json`)),
        })),
      );
    },
  };
}
