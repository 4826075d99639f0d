import { describe, expect, it } from 'vitest';
import { METHODS, METHOD_NAMES, validateCall } from './methods';
import { ContractError, FnStudioError, fromWireError, toWireError } from './errors';
import { createApiClient } from './client';
import { functionIdProblem, slugify } from './ids';
import { isHostEvent } from './transport';

function problem(method: string, args: unknown): string {
  try {
    validateCall(method, args);
  } catch (err) {
    return `${(err as Error).name}: ${(err as Error).message}`;
  }
  return 'ok';
}

describe('METHODS', () => {
  it('covers every service method', () => {
    expect(METHOD_NAMES).toContain('functions.list');
    expect(METHOD_NAMES).toContain('runner.cancel');
    expect(METHOD_NAMES).toContain('settings.revealSecret');
    expect(METHOD_NAMES).toContain('workspace.info');
    expect(METHOD_NAMES).toEqual(expect.arrayContaining(['capture.start', 'capture.stop', 'capture.status']));
    expect(METHOD_NAMES).toContain('tests.run');
    expect(METHOD_NAMES).toContain('sync.push');
    expect(METHOD_NAMES.filter((m) => m.startsWith('replay.'))).toHaveLength(12);
    expect(METHOD_NAMES).toHaveLength(56);
  });

  it('checks the replay upload calls', () => {
    expect(problem('replay.uploadBegin', ['capture.ndjson.gz', 300 * 1024 * 1024])).toBe('ok');
    expect(problem('replay.uploadBegin', ['capture.ndjson.gz', 9 * 1024 ** 3])).toMatch(/size/);
    expect(problem('replay.uploadBegin', ['', 10])).toMatch(/name/);
    expect(problem('replay.uploadChunk', ['0a1b2c', 0, 'AAAA'])).toBe('ok');
    expect(problem('replay.uploadChunk', ['../x', 0, 'AAAA'])).toMatch(/uploadId/);
    expect(problem('replay.uploadChunk', ['0a1b2c', -1, 'AAAA'])).toMatch(/offset/);
    expect(problem('replay.uploadChunk', ['0a1b2c', 0, 'A'.repeat(6 * 1024 * 1024)])).toMatch(/dataBase64/);
    expect(problem('replay.start', [{ functionId: 'my-fn', runId: 'r1', inputs: [{ upload: '0a1b2c' }] }])).toBe('ok');
    expect(problem('replay.start', [{ functionId: 'my-fn', runId: 'r1', inputs: [{ upload: 'NOT-HEX' }] }])).toMatch(/upload/);
  });

  it('lets capture events through the host-event check only when well formed', () => {
    expect(isHostEvent({ type: 'capture.event', item: { seq: 1, summary: 'track "A"', event: { type: 'track' } } })).toBe(true);
    expect(isHostEvent({ type: 'capture.event', item: { seq: '1', summary: 'x', event: {} } })).toBe(false);
    expect(isHostEvent({ type: 'capture.outcome', seq: 1, outcome: { outcome: 'Success' } })).toBe(true);
    expect(isHostEvent({ type: 'capture.refused', path: '/v1/track', status: 400, reason: 'Invalid JSON' })).toBe(true);
    expect(isHostEvent({ type: 'capture.status', status: { running: false } })).toBe(true);
    expect(isHostEvent({ type: 'capture.other' })).toBe(false);
  });

  it('checks capture.start: a port number and the function (or null)', () => {
    expect(problem('capture.start', [{ port: 0, functionId: null }])).toBe('ok');
    expect(problem('capture.start', [{ port: 8788, functionId: 'my-fn', code: 'async function onTrack() {}' }])).toBe('ok');
    expect(problem('capture.start', [{ port: 65536, functionId: null }])).toMatch(/port/);
    expect(problem('capture.start', [{ port: 1, functionId: '../etc' }])).toMatch(/functionId/);
    expect(problem('capture.stop', [1])).toMatch(/at most 0/);
  });

  it('checks the remotes.* and sync.* calls (issue 8)', () => {
    expect(problem('remotes.add', [{ name: 'prod', region: 'eu', token: 't' }])).toBe('ok');
    expect(problem('remotes.add', [{ name: 'prod', region: 'mars', token: 't' }])).toMatch(/field "region" must be one of "us", "eu"/);
    expect(problem('sync.pull', ['prod', 'all'])).toBe('ok');
    expect(problem('sync.pull', ['prod', ['dfn_1', 'Webhook']])).toBe('ok');
    expect(problem('sync.pull', ['prod', 'some'])).toMatch(/argument 2 \(selection\) must be an array/);
    expect(problem('sync.push', ['my-fn', { deploy: true }])).toBe('ok');
    expect(problem('sync.resolve', ['my-fn', { take: 'theirs' }])).toBe('ok');
    expect(problem('sync.resolve', ['my-fn', { merged: { code: 'x' } }])).toBe('ok');
    expect(problem('sync.resolve', ['my-fn', { take: 'mine' }])).toMatch(/must be one of "theirs"/);
    expect(problem('sync.restore', ['my-fn', '../x'])).toMatch(/a version id/);
  });

  it('accepts well-formed calls', () => {
    expect(problem('functions.list', [])).toBe('ok');
    expect(problem('functions.get', ['my-fn'])).toBe('ok');
    expect(problem('functions.saveCode', ['my-fn', 'async function onTrack() {}'])).toBe('ok');
    expect(problem('functions.saveCode', ['my-fn', '', 'v1'])).toBe('ok');
    expect(problem('functions.create', [{ displayName: 'My Fn', templateId: 'default' }])).toBe('ok');
    expect(problem('runner.run', [{ runId: 'r1', functionId: 'a', code: '', input: { type: 'track' }, timeoutMs: 100 }])).toBe('ok');
    expect(problem('preferences.set', [{ theme: 'dark', lastFunctionId: null }])).toBe('ok');
    expect(problem('settings.setTestValue', ['a', 'apiKey', { k: 'v' }])).toBe('ok');
  });

  it('names the method, argument position and problem', () => {
    expect(problem('functions.get', [42])).toBe('InvalidArgument: functions.get: argument 1 (id) must be a string, got number');
    expect(problem('functions.get', [])).toBe('InvalidArgument: functions.get: argument 1 (id) is missing');
    expect(problem('functions.list', [1])).toBe('InvalidArgument: functions.list: expects at most 0 arguments, got 1');
    expect(problem('functions.saveCode', ['ok', 5])).toMatch(/argument 2 \(code\) must be a string/);
    expect(problem('functions.create', [{ displayName: '', templateId: 'default' }])).toMatch(/argument 1 \(input\) field "displayName" must not be empty/);
    expect(problem('functions.create', [{ displayName: 'x', templateId: 'default', extra: 1 }])).toMatch(/unknown field "extra"/);
    expect(problem('runner.run', [{ runId: 'r', functionId: 'a', code: '', input: 'track' }])).toMatch(/field "input" must be an event object or an array of events, got string/);
    expect(problem('runner.run', [{ runId: 'r', functionId: 'a', code: '', input: {}, timeoutMs: -1 }])).toMatch(/field "timeoutMs" must be between 1 and/);
    expect(problem('functions.saveEvent', ['a', 'ev', '{nope'])).toMatch(/argument 3 \(json\) is not valid JSON/);
    expect(problem('preferences.set', [{ theme: 'blue' }])).toMatch(/field "theme" must be one of "system", "light", "dark", got "blue"/);
    expect(problem('functions.updateMeta', ['a', { settings: [{ name: 'x', label: 'X', description: '', type: 'STRING', required: false, sensitive: false }, { name: 'x', label: 'X', description: '', type: 'STRING', required: false, sensitive: false }] }])).toMatch(/two settings named "x"/);
    expect(problem('functions.updateMeta', ['a', { settings: [{ name: '1x', label: 'X', description: '', type: 'STRING', required: false, sensitive: false }] }])).toMatch(/\[0\] field "name" "1x" is not a valid setting name/);
  });

  it('rejects path traversal in ids and event names', () => {
    for (const bad of ['..', '../x', 'a/b', 'a\\b', '.git', 'A', '-a', 'a-', '', 'x'.repeat(65)]) {
      expect(problem('functions.get', [bad])).toMatch(/^InvalidArgument: functions.get: argument 1 \(id\)/);
    }
    for (const bad of ['..', '../x', 'a/b', '.hidden', ' x', 'x.json']) {
      expect(problem('functions.deleteEvent', ['ok', bad])).toMatch(/argument 2 \(name\)/);
    }
  });

  it('rejects unknown methods and non-array args', () => {
    expect(problem('functions.hack', [])).toMatch(/^UnknownMethod: Unknown method "functions.hack"/);
    expect(problem('__proto__', [])).toMatch(/^UnknownMethod/);
    expect(problem('functions.list', 'x')).toMatch(/arguments must be an array/);
  });

  it('validators are exposed per method', () => {
    expect(() => METHODS['functions.delete'](['../etc'])).toThrow(ContractError);
  });
});

describe('ids', () => {
  it('slugifies display names', () => {
    expect(slugify('  My Webhook — Prod!  ')).toBe('my-webhook-prod');
    expect(slugify('Ünïcödé')).toBe('unicode');
    expect(slugify('***')).toBe('');
    expect(functionIdProblem(slugify('a'.repeat(200)))).toBeNull();
  });
});

describe('wire errors', () => {
  it('keeps contract names and hides others', () => {
    expect(toWireError(new FnStudioError('NotFound', 'no such function "x"'))).toEqual({ name: 'NotFound', message: 'no such function "x"' });
    expect(toWireError(new TypeError('boom'))).toEqual({ name: 'Internal', message: 'boom' });
    const back = fromWireError({ name: 'Conflict', message: 'changed on disk' });
    expect(back).toBeInstanceOf(Error);
    expect(back.name).toBe('Conflict');
  });
});

describe('createApiClient', () => {
  it('maps calls to method names and drops trailing undefined', async () => {
    const calls: Array<[string, unknown[]]> = [];
    const api = createApiClient(async (method, args) => {
      calls.push([method, args]);
      return 'r';
    });
    await api.functions.saveCode('a', 'code', undefined);
    await api.templates.list();
    expect(calls).toEqual([['functions.saveCode', ['a', 'code']], ['templates.list', []]]);
  });
});

describe('host events', () => {
  it('accepts the two event shapes and refuses anything else', () => {
    expect(isHostEvent({ type: 'functions.changed', id: null })).toBe(true);
    expect(isHostEvent({ type: 'functions.changed', id: 'f' })).toBe(true);
    const workspace = { root: '/home/u/fns', source: 'preference', followsPreference: true };
    expect(isHostEvent({ type: 'workspace.changed', workspace })).toBe(true);
    expect(isHostEvent({ type: 'workspace.changed', workspace: { ...workspace, source: 'elsewhere' } })).toBe(false);
    expect(isHostEvent({ type: 'workspace.changed', workspace: { ...workspace, root: '' } })).toBe(false);
    expect(isHostEvent({ type: 'workspace.changed', workspace: { ...workspace, followsPreference: 'yes' } })).toBe(false);
    expect(isHostEvent({ type: 'workspace.changed' })).toBe(false);
    expect(isHostEvent({ type: 'functions.changed', id: 3 })).toBe(false);
    expect(isHostEvent({ type: 'other' })).toBe(false);
  });
});
