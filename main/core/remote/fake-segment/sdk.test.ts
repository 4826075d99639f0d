/**
 * Segment's own TypeScript SDK (a devDependency only, never shipped) pointed at the fake:
 * if the generated client can list, get, create, update and delete functions and read
 * their versions, the fake speaks the wire format the SDK was generated from.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CreateFunctionV1Input, FunctionSettingV1, FunctionsApi } from '@segment/public-api-sdk-typescript';

const DESTINATION = CreateFunctionV1Input.ResourceTypeEnum.DESTINATION;
import { startFakeSegment, type FakeSegment } from './server';

const TOKEN = 'sdk-test-token';
let fake: FakeSegment;
let api: FunctionsApi;

beforeAll(async () => {
  fake = await startFakeSegment({ token: TOKEN, workspaceName: 'SDK Space', defaultPageSize: 2 });
  api = new FunctionsApi(fake.url);
  api.accessToken = TOKEN;
});
afterAll(() => fake.close());

describe("Segment's official TypeScript SDK against fake-segment", () => {
  it('creates, lists (two pages), gets, updates, reads versions and deletes a function', async () => {
    const settings = [{ name: 'apiKey', label: 'API key', description: '', type: FunctionSettingV1.TypeEnum.STRING, required: true, sensitive: true }];
    const created = await api.createFunction({ code: 'async function onTrack() {}', displayName: 'From SDK', resourceType: DESTINATION, settings });
    const fn = created.body.data!.function;
    expect(fn.id).toMatch(/^dfn_[0-9a-f]{24}$/);
    expect(fn.displayName).toBe('From SDK (SDK Space)');
    expect(fn.settings).toEqual(settings);

    await api.createFunction({ code: 'async function onIdentify() {}', displayName: 'Second', resourceType: DESTINATION });
    await api.createFunction({ code: 'async function onTrack() {}', displayName: 'Third', resourceType: DESTINATION });
    const page1 = await api.listFunctions({ count: 2 }, 'DESTINATION');
    expect(page1.body.data!.functions.map((f) => f.displayName)).toEqual(['From SDK (SDK Space)', 'Second (SDK Space)']);
    const next = page1.body.data!.pagination.next;
    expect(next).toBeTruthy();
    const page2 = await api.listFunctions({ count: 2, cursor: next! }, 'DESTINATION');
    expect(page2.body.data!.functions.map((f) => f.displayName)).toEqual(['Third (SDK Space)']);
    expect(page2.body.data!.pagination.next ?? null).toBeNull();
    // The SDK sends bracket-style pagination; the fake saw it.
    expect(fake.requests.some((r) => r.query.includes('pagination%5Bcount%5D=2') || r.query.includes('pagination[count]=2'))).toBe(true);

    const got = await api.getFunction(fn.id!);
    expect(got.body.data!.function!.code).toBe('async function onTrack() {}');

    const updated = await api.updateFunction(fn.id!, { code: 'async function onTrack(e) { return e }', displayName: 'Renamed' });
    expect(updated.body.data!.function.displayName).toBe('Renamed (SDK Space)');
    expect(updated.body.data!.function.code).toBe('async function onTrack(e) { return e }');

    const versions = await api.listFunctionVersions(fn.id!, { count: 10 });
    const list = versions.body.data!.versions;
    expect(list).toHaveLength(2);
    expect(list[0].code).toBe('async function onTrack(e) { return e }');
    const first = await api.getFunctionVersion(fn.id!, list[1].id);
    expect(first.body.data!.version.code).toBe('async function onTrack() {}');
    const restored = await api.restoreFunctionVersion(fn.id!, { versionId: list[1].id });
    expect(restored.body.data!.version.code).toBe('async function onTrack() {}');
    expect((await api.getFunction(fn.id!)).body.data!.function!.code).toBe('async function onTrack() {}');

    const deleted = await api.deleteFunction(fn.id!);
    expect(deleted.body.data!.status).toBe('SUCCESS');
    await expect(api.getFunction(fn.id!)).rejects.toMatchObject({ statusCode: 404 });
  });

  it('is refused with 401 and the error envelope for a wrong token', async () => {
    const stranger = new FunctionsApi(fake.url);
    stranger.accessToken = 'not-the-token';
    const err = await stranger.listFunctions({ count: 1 }, 'DESTINATION').then(() => null, (e: unknown) => e as { statusCode: number; body: unknown });
    expect(err?.statusCode).toBe(401);
    expect(err?.body).toMatchObject({ errors: [{ type: 'unauthorized' }] });
  });
});
