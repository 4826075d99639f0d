import { describe, expect, it } from 'vitest';
import { FnStudioError } from '../contract/errors';
import type { MethodName } from '../contract/api';
import { handleIpcCall, type IpcSender } from './ipc-adapter';

const trusted: IpcSender = { frameUrl: 'app://fnstudio/index.html', isMainFrame: true, fromOurWindow: true };

function recordingCore(answer: (method: MethodName, args: unknown[]) => unknown = () => 'ok') {
  const calls: Array<[MethodName, unknown[]]> = [];
  return {
    calls,
    core: async (method: MethodName, args: unknown[]) => {
      calls.push([method, args]);
      return answer(method, args);
    },
  };
}

describe('handleIpcCall', () => {
  it('calls core for a trusted sender and a valid call', async () => {
    const { core, calls } = recordingCore(() => [{ id: 'a' }]);
    expect(await handleIpcCall(core, trusted, 'functions.list', [])).toEqual({ ok: true, result: [{ id: 'a' }] });
    expect(calls).toEqual([['functions.list', []]]);
  });

  it('refuses untrusted senders before looking at the call', async () => {
    const cases: Array<[IpcSender, RegExp]> = [
      [{ ...trusted, fromOurWindow: false }, /did not come from the fnstudio window/],
      [{ ...trusted, frameUrl: null }, /frame no longer exists/],
      [{ ...trusted, isMainFrame: false }, /subframe/],
      [{ ...trusted, frameUrl: 'https://evil.example/' }, /"https:\/\/evil.example\/" is not the fnstudio app/],
      [{ ...trusted, frameUrl: 'app://other/index.html' }, /is not the fnstudio app/],
      [{ ...trusted, frameUrl: 'file:///work/main/out/renderer/index.html' }, /is not the fnstudio app/],
    ];
    for (const [sender, message] of cases) {
      const { core, calls } = recordingCore();
      const reply = await handleIpcCall(core, sender, 'functions.list', []);
      expect(reply).toMatchObject({ ok: false, error: { name: 'Forbidden', message: expect.stringMatching(message) } });
      expect(calls).toEqual([]);
    }
  });

  it('validates method names and arguments against the contract', async () => {
    const { core, calls } = recordingCore();
    expect(await handleIpcCall(core, trusted, 'functions.nuke', [])).toMatchObject({ ok: false, error: { name: 'UnknownMethod' } });
    expect(await handleIpcCall(core, trusted, 42, [])).toMatchObject({ ok: false, error: { name: 'UnknownMethod' } });
    expect(await handleIpcCall(core, trusted, 'toString', [])).toMatchObject({ ok: false, error: { name: 'UnknownMethod' } });
    expect(await handleIpcCall(core, trusted, 'functions.get', 'x')).toMatchObject({
      ok: false, error: { name: 'InvalidArgument', message: expect.stringContaining('arguments must be an array') },
    });
    expect(await handleIpcCall(core, trusted, 'functions.get', [42])).toMatchObject({
      ok: false, error: { name: 'InvalidArgument', message: expect.stringContaining('functions.get') },
    });
    expect(await handleIpcCall(core, trusted, 'functions.get', ['../../etc'])).toMatchObject({ ok: false, error: { name: 'InvalidArgument' } });
    expect(calls).toEqual([]);
  });

  it('passes contract errors through by name and hides other errors as Internal', async () => {
    const notFound = recordingCore(() => {
      throw new FnStudioError('NotFound', 'No function "x"');
    });
    expect(await handleIpcCall(notFound.core, trusted, 'functions.get', ['x'])).toEqual({
      ok: false, error: { name: 'NotFound', message: 'No function "x"' },
    });
    const bug = recordingCore(() => {
      throw Object.assign(new Error('ENOENT: /home/me/secret'), { name: 'SystemError' });
    });
    expect(await handleIpcCall(bug.core, trusted, 'functions.list', [])).toMatchObject({ ok: false, error: { name: 'Internal' } });
  });
});
