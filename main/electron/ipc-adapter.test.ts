import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { Runtime } from '../../runtime/api';
import { createCoreServices, type CoreServices } from '../core/services';
import { handleIpcCall, type IpcSender } from './ipc-adapter';

const trusted: IpcSender = { frameUrl: 'app://fnstudio/index.html', isMainFrame: true, fromOurWindow: true };

// These calls never run user code; a run reaching the runtime would be a test bug.
const noRuntime: Runtime = {
  invoke: () => Promise.reject(new Error('the runtime is not part of this test')),
  close: () => Promise.resolve(),
};

let dir: string;
let core: CoreServices;

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'fnstudio-ipc-'));
  core = createCoreServices({ workspaceRoot: dir, runtime: noRuntime, watch: false });
});
afterEach(async () => {
  await core.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('handleIpcCall with the real core services', () => {
  it('serves a trusted sender: create, list, get', async () => {
    const created = await handleIpcCall(core, trusted, 'functions.create', [{ displayName: 'My Webhook', templateId: 'default' }]);
    expect(created).toMatchObject({ ok: true });
    const id = (created as { result: { id: string } }).result.id;
    const list = await handleIpcCall(core, trusted, 'functions.list', []);
    expect(list).toMatchObject({ ok: true, result: [{ id, displayName: 'My Webhook' }] });
    const got = await handleIpcCall(core, trusted, 'functions.get', [id]);
    expect(got).toMatchObject({ ok: true, result: { id, code: expect.stringContaining('async function') } });
  });

  it('refuses untrusted senders before core sees the call', async () => {
    const cases: Array<[IpcSender, RegExp]> = [
      [{ ...trusted, fromOurWindow: false }, /did not come from the fnstudio window/],
      [{ ...trusted, frameUrl: null }, /frame no longer exists/],
      [{ ...trusted, isMainFrame: false }, /subframe/],
      [{ ...trusted, frameUrl: 'https://evil.example/' }, /"https:\/\/evil.example\/" is not the fnstudio app/],
      [{ ...trusted, frameUrl: 'app://other/index.html' }, /is not the fnstudio app/],
      [{ ...trusted, frameUrl: 'file:///work/main/out/renderer/index.html' }, /is not the fnstudio app/],
    ];
    for (const [sender, message] of cases) {
      const reply = await handleIpcCall(core, sender, 'functions.create', [{ displayName: 'Sneaky', templateId: 'default' }]);
      expect(reply).toMatchObject({ ok: false, error: { name: 'Forbidden', message: expect.stringMatching(message) } });
    }
    expect(await core.functions.list()).toEqual([]);
  });

  it('validates method names and arguments against the contract', async () => {
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
  });

  it('passes contract errors through by name', async () => {
    expect(await handleIpcCall(core, trusted, 'functions.get', ['nope'])).toMatchObject({ ok: false, error: { name: 'NotFound' } });
    const created = await core.functions.create({ displayName: 'Broken', templateId: 'default' });
    writeFileSync(path.join(dir, created.id, 'function.json'), '{ not json');
    expect(await handleIpcCall(core, trusted, 'functions.get', [created.id])).toMatchObject({
      ok: false, error: { name: 'CorruptFunction', message: expect.stringContaining('function.json') },
    });
  });
});
