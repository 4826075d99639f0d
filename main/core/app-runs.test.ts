/** App runs through core: the function's mocks.json, the offline flag and the run history (real runtime). */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createRuntime } from '../../runtime';
import type { Runtime } from '../../runtime/api';
import { startTestServer, type TestServer } from '../../runtime/test-support';
import { createCoreServices, type CoreServices } from './services';

let runtime: Runtime;
let server: TestServer;
beforeAll(async () => {
  runtime = createRuntime({ workers: 1 });
  server = await startTestServer();
});
afterAll(async () => {
  await runtime.close();
  await server.close();
});

let tmp: string;
let core: CoreServices;
beforeEach(async () => {
  tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'fnstudio-app-runs-'));
  core = createCoreServices({ workspaceRoot: tmp, runtime, watch: false });
  server.requests.length = 0;
});
afterEach(async () => {
  await core.close();
  await fs.rm(tmp, { recursive: true, force: true });
});

const CODE = `async function onTrack(event) {
  const mocked = await fetch('https://api.segment-mock.test/v1/track', { method: 'POST', body: JSON.stringify(event) });
  const live = await fetch(event.properties.live).then((r) => r.status, (e) => 'failed: ' + e.message);
  return { mocked: mocked.status, body: await mocked.json(), live };
}`;

describe('app runs', () => {
  it("answer requests from the function's mocks.json, block the rest when offline, and are kept in the history", async () => {
    const fn = await core.functions.create({ displayName: 'Mocked', templateId: 'default' });
    await core.mocks.set(fn.id, JSON.stringify([{ method: 'POST', url: 'https://api.segment-mock.test/*', status: 202, body: { accepted: true } }]));
    const input = { type: 'track', event: 'E', userId: 'u', properties: { live: `${server.url}/live` } };

    const online = await core.runner.run({ runId: 'r1', functionId: fn.id, code: CODE, input, eventLabel: 'Sample · Track' });
    expect(online.outcome).toBe('Success');
    expect(online.result).toEqual({ mocked: 202, body: { accepted: true }, live: 200 });
    expect(online.requests.map((r) => r.mocked)).toEqual([true, false]);
    expect(server.requests.map((r) => r.url)).toEqual(['/live']);

    const offline = await core.runner.run({ runId: 'r2', functionId: fn.id, code: CODE, input, offline: true });
    expect(offline.result).toMatchObject({ mocked: 202, live: expect.stringMatching(/blocked \(offline\)/) });
    expect(server.requests).toHaveLength(1);

    const history = await core.history.list(fn.id);
    expect(history.map((h) => [h.eventLabel, h.offline, h.category])).toEqual([
      ['event', true, 'Success'],
      ['Sample · Track', false, 'Success'],
    ]);
    expect((await core.history.get(fn.id, history[1].id)).outcome.result).toEqual(online.result);
  });

  it('an explicit network wins over mocks.json; a broken mocks.json stops the run before it starts', async () => {
    const fn = await core.functions.create({ displayName: 'Explicit', templateId: 'default' });
    await fs.writeFile(path.join(tmp, fn.id, 'mocks.json'), '[{"url": "https://api.segment-mock.test/*", "status": 500}]');
    const input = { type: 'track', event: 'E', userId: 'u', properties: { live: `${server.url}/x` } };
    const explicit = await core.runner.run({
      runId: 'r3',
      functionId: fn.id,
      code: CODE,
      input,
      network: { mockRules: [{ url: 'https://api.segment-mock.test/*', status: 201, body: {} }], offline: false },
    });
    expect(explicit.result).toMatchObject({ mocked: 201 });

    await fs.writeFile(path.join(tmp, fn.id, 'mocks.json'), '[{"url": "https://api.segment-mock.test/*", "status": 700}]');
    await expect(core.runner.run({ runId: 'r4', functionId: fn.id, code: CODE, input })).rejects.toMatchObject({
      name: 'InvalidArgument',
      message: expect.stringMatching(/mocks\.json has problems, so the run did not start: rule \[0\]: 'status'/),
    });
    expect((await core.history.list(fn.id)).length).toBe(1);
  });
});
