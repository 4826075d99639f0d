/** `tests.*` through createCoreServices and the dispatcher hosts use, with the real runtime. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createRuntime } from '../../../runtime';
import type { Runtime } from '../../../runtime/api';
import { dispatch } from '../dispatch';
import { createCoreServices, type CoreServices } from '../services';

let root: string;
let runtime: Runtime;
let core: CoreServices;

beforeAll(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'fnstudio-tests-service-'));
  runtime = createRuntime({ workers: 1 });
  core = createCoreServices({ workspaceRoot: root, runtime, watch: false });
});
afterAll(async () => {
  await core.close();
  await runtime.close();
  await fs.rm(root, { recursive: true, force: true });
});

describe('tests service', () => {
  it('lists the template cases of a new function, runs them green, and runs given code red', async () => {
    const fn = await core.functions.create({ displayName: 'Checker', templateId: 'validate' });
    const cases = await core.tests.list(fn.id);
    expect(cases.map((c) => c.file)).toEqual(['tests/accepts-order.test.json', 'tests/rejects-order-without-revenue.test.json']);
    expect(cases[0].name).toBe('accepts a complete order');
    expect(JSON.parse(cases[0].json).expect.outcome).toBe('Success');

    const green = await core.tests.run({ functionId: fn.id });
    expect(green).toMatchObject({ functionId: fn.id, passed: 2, failed: 0 });

    const broken = fn.code.replace("return { accepted: true, event: event.event };", "return { accepted: false };");
    const red = await core.tests.run({ functionId: fn.id, code: broken, files: ['tests/accepts-order.test.json'] });
    expect(red.cases).toHaveLength(1);
    expect(red.cases[0].mismatches).toEqual([
      expect.objectContaining({ path: 'result.accepted', expected: true, actual: false }),
      expect.objectContaining({ path: 'result.event', expected: 'Order Completed', actual: undefined }),
    ]);
  });

  it('saves a valid case, refuses to overwrite without asking, and names the problem of an invalid one', async () => {
    const fn = await core.functions.create({ displayName: 'Saver', templateId: 'validate' });
    const json = JSON.stringify({ name: 'identify ok', event: { type: 'identify', userId: 'u1' }, expect: { outcome: 'Success' } }, null, 2);
    const saved = await core.tests.save(fn.id, 'identify-ok', json);
    expect(saved).toMatchObject({ file: 'tests/identify-ok.test.json', name: 'identify ok' });
    expect(await fs.readFile(path.join(root, fn.id, 'tests', 'identify-ok.test.json'), 'utf8')).toBe(`${json}\n`);

    const again = await dispatch(core, 'tests.save', [fn.id, 'identify-ok', json]);
    expect(again).toMatchObject({ ok: false, error: { name: 'AlreadyExists' } });
    expect((await dispatch(core, 'tests.save', [fn.id, 'identify-ok', json.replace('identify ok', 'renamed'), true])).ok).toBe(true);

    const bad = await dispatch(core, 'tests.save', [fn.id, 'bad', '{"event": {"type": "track"}, "expect": {"outcome": "Fine"}}']);
    expect(bad).toMatchObject({ ok: false, error: { name: 'InvalidArgument', message: expect.stringContaining("tests/bad.test.json: 'expect.outcome' must be one of") } });
    const badName = await dispatch(core, 'tests.save', [fn.id, '../escape', json]);
    expect(badName).toMatchObject({ ok: false, error: { name: 'InvalidArgument' } });
    expect((await core.tests.list(fn.id)).map((c) => c.file)).not.toContain('tests/bad.test.json');
  });

  it('a case needing an encrypted setting with no keychain connected is Invalid Settings, not a crash', async () => {
    const fn = await core.functions.create({ displayName: 'Needs Key', templateId: 'retry' });
    await core.tests.save(fn.id, 'keyless', JSON.stringify({ event: { type: 'track', event: 'X', userId: 'u' }, expect: { outcome: 'Success' } }));
    const report = await core.tests.run({ functionId: fn.id, files: ['tests/keyless.test.json'] });
    expect(report.cases[0].outcome?.outcome).toBe('Invalid Settings');
    expect(report.cases[0].status).toBe('failed');
  });

  it('rejects an unknown function and malformed requests', async () => {
    expect(await dispatch(core, 'tests.run', [{ functionId: 'nope' }])).toMatchObject({ ok: false, error: { name: 'NotFound' } });
    expect(await dispatch(core, 'tests.run', [{ functionId: 'nope', files: ['../x.json'] }])).toMatchObject({ ok: false, error: { name: 'InvalidArgument' } });
  });
});
