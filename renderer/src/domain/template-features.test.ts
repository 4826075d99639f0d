import { describe, expect, it } from 'vitest';
import { featuresLine, templateFeatures } from './template-features';

describe('templateFeatures', () => {
  it('reads handlers, thrown Segment errors, fetch and settings, ignoring comments', () => {
    const code = [
      '// async function onPage(event) {}',
      '/** @param {FunctionSettings} settings */',
      'async function onTrack(event, settings) {',
      '  const r = await fetch(settings.endpoint, { headers: { a: settings.apiKey } });',
      '  if (r.status >= 500) throw new RetryError("later");',
      '  /* throw new DropEvent() */',
      '}',
      'async function onBatch(events, settings) { return settings.endpoint; }',
    ].join('\n');
    const features = templateFeatures(code);
    expect(features).toEqual({ handlers: ['onTrack', 'onBatch'], errors: ['RetryError'], usesFetch: true, settings: ['endpoint', 'apiKey'] });
    expect(featuresLine(features)).toBe('onTrack, onBatch · fetch · throws RetryError · settings: endpoint, apiKey');
  });
});
