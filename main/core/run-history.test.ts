import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Outcome } from '../contract/outcome';
import { createRunHistory, describeEventType } from './run-history';

let tmp: string;
const folder = async () => tmp;

beforeEach(async () => {
  tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'fnstudio-history-'));
});
afterEach(async () => {
  await fs.rm(tmp, { recursive: true, force: true });
});

function outcome(category: Outcome['outcome'], durationMs: number): Outcome {
  return { outcome: category, retryable: false, error: null, logs: [], logsTruncated: false, requests: [], result: { n: durationMs }, durationMs };
}

describe('run history', () => {
  it('keeps runs newest first, reopens one whole, and ignores git', async () => {
    const history = createRunHistory({ functionFolder: folder });
    const first = await history.record({ runId: 'a', functionId: 'fn', code: '', input: { type: 'track', event: 'A' }, eventLabel: 'Sample · Track' }, outcome('Success', 3), new Date('2026-01-01T10:00:00Z'));
    const second = await history.record(
      { runId: 'b', functionId: 'fn', code: '', input: [{ type: 'track' }, { type: 'identify' }], offline: true },
      outcome('Bad Request', 7),
      new Date('2026-01-01T10:00:05Z'),
    );
    const list = await history.list('fn');
    expect(list.map((r) => r.id)).toEqual([second.id, first.id]);
    expect(list[0]).toMatchObject({ category: 'Bad Request', durationMs: 7, eventLabel: 'event', eventType: 'batch (2)', offline: true, startedAt: '2026-01-01T10:00:05.000Z' });
    expect(list[1]).toMatchObject({ category: 'Success', eventLabel: 'Sample · Track', eventType: 'track', offline: false });
    const reopened = await history.get('fn', first.id);
    expect(reopened.input).toEqual({ type: 'track', event: 'A' });
    expect(reopened.outcome.result).toEqual({ n: 3 });
    expect(await fs.readFile(path.join(tmp, '.fnstudio', '.gitignore'), 'utf8')).toMatch(/^\*$/m);
  });

  it('keeps only the newest runs up to the limit', async () => {
    const history = createRunHistory({ functionFolder: folder, limit: 3 });
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      ids.push((await history.record({ runId: `r${i}`, functionId: 'fn', code: '', input: { type: 'track' } }, outcome('Success', i), new Date(Date.UTC(2026, 0, 1, 0, 0, i)))).id);
    }
    expect((await history.list('fn')).map((r) => r.durationMs)).toEqual([4, 3, 2]);
    expect(await fs.readdir(path.join(tmp, '.fnstudio', 'runs'))).toHaveLength(3);
    await expect(history.get('fn', ids[0])).rejects.toMatchObject({ name: 'NotFound', message: /no longer kept \(only the last 3 runs are\)/ });
  });

  it('leaves an existing .gitignore alone, skips damaged records and rejects odd run ids', async () => {
    await fs.mkdir(path.join(tmp, '.fnstudio', 'runs'), { recursive: true });
    await fs.writeFile(path.join(tmp, '.fnstudio', '.gitignore'), 'mine\n');
    await fs.writeFile(path.join(tmp, '.fnstudio', 'runs', '0000000000001-deadbeef.json'), '{"id": trunc');
    const history = createRunHistory({ functionFolder: folder });
    await history.record({ runId: 'a', functionId: 'fn', code: '', input: {} }, outcome('Success', 1), new Date());
    expect(await fs.readFile(path.join(tmp, '.fnstudio', '.gitignore'), 'utf8')).toBe('mine\n');
    expect(await history.list('fn')).toHaveLength(1);
    await expect(history.get('fn', '../../etc')).rejects.toMatchObject({ name: 'InvalidArgument' });
  });

  it('describes the event type', () => {
    expect(describeEventType({ type: 'identify' })).toBe('identify');
    expect(describeEventType([])).toBe('batch (0)');
    expect(describeEventType({})).toBeNull();
  });
});
