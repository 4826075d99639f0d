import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRuntime } from '../../../runtime';
import type { Runtime } from '../../../runtime/api';
import type { Outcome } from '../../contract/outcome';
import { compileTypeScriptHandler } from '../typescript-handler';
import { createFunctionFeed } from './function-feed';

let runtime: Runtime;
beforeAll(() => {
  runtime = createRuntime({ workers: 1 });
});
afterAll(() => runtime.close());

describe('capture feed, a handler.ts function', () => {
  it('reports the frames of captured events at the TypeScript lines', async () => {
    const source = 'type Id = string;\n\ninterface Seen {\n  id: Id;\n}\n\nasync function onTrack(event: SegmentTrackEvent): Promise<Seen> {\n  throw new ValidationError(`rejected ${event.event}`);\n}\n';
    const compiled = compileTypeScriptHandler(source, 'handler.ts');
    const outcomes: Outcome[] = [];
    const feed = createFunctionFeed(
      runtime,
      { functionId: 'feed-ts', code: compiled.js, filename: 'handler.ts', compiled, settings: {}, secrets: [], mockRules: [] },
      (_event, outcome) => outcomes.push(outcome),
    );
    feed.push([{ type: 'track', event: 'A' }, { type: 'track', event: 'B' }]);
    await feed.drain();
    expect(outcomes.map((o) => o.error?.frames)).toEqual([
      [{ functionName: 'onTrack', line: 8, column: 9 }],
      [{ functionName: 'onTrack', line: 8, column: 9 }],
    ]);
    expect(outcomes[1].error?.stack).toContain('handler.ts:8:9');
  });
});
