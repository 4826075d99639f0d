/**
 * The replay.* service as hosts call it (through dispatch, as the web host and Electron do):
 * a workspace function, a real runtime, progress as host events, records read back.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRuntime } from '../../../runtime';
import type { Runtime } from '../../../runtime/api';
import { MAX_RPC_MESSAGE_BYTES, REPLAY_UPLOAD_CHUNK_BYTES, type HostEvent, type ReplaySummary } from '../../contract';
import { dispatch } from '../dispatch';
import { createCoreServices, type CoreServices } from '../services';

const CODE = `
async function onTrack(event, settings) {
  if (event.properties.bad) throw new ValidationError('bad order ' + event.messageId);
  await fetch('https://api.shop.test/orders', { method: 'POST', body: JSON.stringify(event) });
}
`;

let tmp: string;
let runtime: Runtime;
let core: CoreServices;
let id: string;
const events: HostEvent[] = [];

const ndjson = (n: number) =>
  Array.from({ length: n }, (_, i) => JSON.stringify({ type: 'track', event: 'Order Completed', messageId: `m${i}`, properties: { bad: i % 10 === 3 } })).join('\n') + '\n';

async function call<T>(method: string, ...args: unknown[]): Promise<T> {
  const result = await dispatch(core, method, args);
  if (!result.ok) throw Object.assign(new Error(result.error.message), { name: result.error.name });
  return result.result as T;
}

beforeAll(async () => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'fnstudio-replay-service-'));
  runtime = createRuntime({ workers: 1 });
  core = createCoreServices({ workspaceRoot: path.join(tmp, 'ws'), runtime, watch: false });
  core.onEvent((e) => events.push(e));
  await core.ready;
  const fn = await core.functions.create({ displayName: 'Shop', templateId: 'default' });
  id = fn.id;
  await core.functions.saveCode(id, CODE);
  writeFileSync(path.join(tmp, 'ws', id, 'mocks.json'), JSON.stringify([{ url: 'https://api.shop.test/*', status: 200 }]));
});
afterAll(async () => {
  await core.close();
  await runtime.close();
  rmSync(tmp, { recursive: true, force: true });
});

describe('replay service', () => {
  it('replays a dropped gzipped file with progress events, then reads the run back', async () => {
    const summary = await call<ReplaySummary>('replay.start', {
      functionId: id,
      runId: 'svc-run-1',
      inputs: [{ name: 'capture.ndjson.gz', contentBase64: gzipSync(ndjson(40)).toString('base64') }],
    });
    expect(summary).toMatchObject({ runId: 'svc-run-1', total: 40, delivered: 36, byOutcome: { Success: 36, 'Message Rejected': 4 }, options: { destinationName: 'Shop', mockRules: 1 } });
    expect(summary.inputs).toEqual([{ file: 'capture.ndjson.gz', format: 'ndjson', gzip: true }]);
    const progress = events.filter((e) => e.type === 'replay.progress');
    expect(progress.length).toBeGreaterThan(0);
    expect(progress.at(-1)).toMatchObject({ progress: { runId: 'svc-run-1', finished: 40 } });

    expect(await call('replay.list', id)).toEqual([expect.objectContaining({ runId: 'svc-run-1', total: 40, delivered: 36, finished: true })]);
    const page = await call<{ records: Array<{ seq: number; error?: string }>; matched: number }>('replay.events', id, 'svc-run-1', { offset: 1, limit: 2, category: 'Message Rejected' });
    expect(page.matched).toBe(4);
    expect(page.records.map((r) => r.seq)).toEqual([13, 23]);
    const filtered = await call<{ matched: number }>('replay.events', id, 'svc-run-1', { offset: 0, limit: 10, error: 'BAD ORDER M13' });
    expect(filtered.matched).toBe(1);
    const detail = await call<{ seq: number; outcome: { outcome: string; error: { message: string } } }>('replay.detail', id, 'svc-run-1', 3);
    expect(detail.outcome).toMatchObject({ outcome: 'Message Rejected', error: { message: 'bad order m3' } });
    expect(await call('replay.detail', id, 'svc-run-1', 39)).toMatchObject({ seq: 39, outcome: { outcome: 'Success' } });
    await expect(call('replay.detail', id, 'svc-run-1', 999)).rejects.toMatchObject({ name: 'NotFound' });
    await call('replay.delete', id, 'svc-run-1');
    expect(await call('replay.list', id)).toEqual([]);
    await expect(call('replay.summary', id, 'svc-run-1')).rejects.toMatchObject({ name: 'NotFound' });
  });

  it('stores filters per function after checking them, and replays with them', async () => {
    await expect(call('replay.saveFilters', id, [{ if: 'type = ', actions: [{ type: 'DROP' }], enabled: true }])).rejects.toMatchObject({ name: 'InvalidArgument', message: expect.stringMatching(/not valid FQL/) });
    await call('replay.saveFilters', id, [{ title: 'no bad', if: 'properties.bad = true', actions: [{ type: 'DROP' }], enabled: true }]);
    expect(await call('replay.getFilters', id)).toEqual([{ title: 'no bad', if: 'properties.bad = true', actions: [{ type: 'DROP' }], enabled: true }]);
    const file = path.join(tmp, 'plain.ndjson');
    writeFileSync(file, ndjson(20));
    const summary = await call<ReplaySummary>('replay.start', { functionId: id, runId: 'svc-run-2', inputs: [{ path: file }] });
    expect(summary).toMatchObject({ total: 20, delivered: 18, filtered: 2 });
  });

  it('a handler.ts replay records stacks and grouped messages at the TypeScript lines', async () => {
    const dir = path.join(tmp, 'ws', 'typed-shop');
    mkdirSync(dir);
    writeFileSync(path.join(dir, 'function.json'), JSON.stringify({ displayName: 'Typed Shop', resourceType: 'DESTINATION', settings: [] }));
    writeFileSync(
      path.join(dir, 'handler.ts'),
      [
        'interface Order {',
        '  total: number;',
        '}',
        '',
        'async function onTrack(event: SegmentTrackEvent): Promise<Order> {',
        '  const total: number = event.properties.total;',
        '  if (total < 0) throw new ValidationError(`negative total ${total}`);',
        '  if (total === 0) {',
        '    const where: string = (new Error().stack ?? "").split("\\n")[1].trim();',
        '    throw new Error(`zero total ${where}`);',
        '  }',
        '  return { total };',
        '}',
        '',
      ].join('\n'),
    );
    const file = path.join(tmp, 'typed.ndjson');
    writeFileSync(file, [-1, 0, 5].map((total, i) => JSON.stringify({ type: 'track', event: 'Order', messageId: `t${i}`, properties: { total } })).join('\n') + '\n');
    const summary = await call<ReplaySummary>('replay.start', { functionId: 'typed-shop', runId: 'svc-ts', inputs: [{ path: file }], retries: false });
    expect(summary).toMatchObject({ total: 3, delivered: 1 });
    // In the compiled JavaScript the throw is on line 3 (the interface is erased); in handler.ts on 7.
    const rejected = await call<{ outcome: { error: { stack: string; frames: unknown[] } } }>('replay.detail', 'typed-shop', 'svc-ts', 0);
    expect(rejected.outcome.error.frames).toEqual([{ functionName: 'onTrack', line: 7, column: 24 }]);
    expect(rejected.outcome.error.stack).toBe('ValidationError: negative total -1\n    at onTrack (handler.ts:7:24)');
    const zero = await call<{ outcome: { error: { message: string } } }>('replay.detail', 'typed-shop', 'svc-ts', 1);
    expect(zero.outcome.error.message).toBe('zero total at onTrack (handler.ts:9:28)');
    expect(summary.topErrors.map((e) => e.example)).toContain('zero total at onTrack (handler.ts:9:28)');
    // The record on disk says the same.
    const details = readFileSync(path.join(dir, '.fnstudio', 'replays', 'svc-ts', 'details.ndjson'), 'utf8');
    expect(details).toContain('handler.ts:7:24');
    expect(details).not.toContain('handler.ts:3:');
    expect(readdirSync(path.join(dir, '.fnstudio', 'replays'))).toContain('svc-ts');
  });

  it('replays a file uploaded in chunks (bigger than one web host message), then deletes the upload', async () => {
    // Incompressible filler lines (skipped: no "type") make the file span several chunks.
    const filler = Array.from({ length: 2400 }, (_, i) => JSON.stringify({ filler: randomBytes(3000).toString('base64'), i })).join('\n') + '\n';
    const content = Buffer.from(ndjson(30) + filler, 'utf8');
    expect(content.length).toBeGreaterThan(MAX_RPC_MESSAGE_BYTES);
    const { uploadId, chunkBytes } = await call<{ uploadId: string; chunkBytes: number }>('replay.uploadBegin', 'big capture.ndjson', content.length);
    let last: { received: number; complete: boolean } | null = null;
    for (let offset = 0; offset < content.length; offset += chunkBytes) {
      last = await call('replay.uploadChunk', uploadId, offset, content.subarray(offset, offset + chunkBytes).toString('base64'));
    }
    expect(last).toEqual({ received: content.length, complete: true });
    const summary = await call<ReplaySummary>('replay.start', { functionId: id, runId: 'svc-run-upload', inputs: [{ upload: uploadId }], filters: [] });
    expect(summary).toMatchObject({ total: 30, delivered: 27, skipped: { count: 2400, byReason: { 'no-type': 2400 } } });
    expect(summary.inputs).toEqual([{ file: 'big capture.ndjson', format: 'ndjson', gzip: false }]);
    expect(summary.skipped.lines[0]).toMatchObject({ file: 'big capture.ndjson', line: 31 });
    // One run per upload: it is gone once the run ended.
    await expect(call('replay.start', { functionId: id, runId: 'svc-run-again', inputs: [{ upload: uploadId }] })).rejects.toMatchObject({ name: 'NotFound' });
    await expect(call('replay.uploadChunk', uploadId, 0, 'AAAA')).rejects.toMatchObject({ name: 'NotFound' });
  });

  it('refuses bad upload calls, and deletes an upload whose run could not start', async () => {
    await expect(call('replay.uploadBegin', 'x.ndjson', -1)).rejects.toMatchObject({ name: 'InvalidArgument', message: expect.stringMatching(/size/) });
    await expect(call('replay.uploadChunk', 'not-hex!', 0, 'AAAA')).rejects.toMatchObject({ name: 'InvalidArgument' });
    await expect(call('replay.uploadChunk', 'ab12', 0, 'A'.repeat(Math.ceil(REPLAY_UPLOAD_CHUNK_BYTES / 3) * 4 + 4))).rejects.toMatchObject({ name: 'InvalidArgument' });
    const { uploadId } = await call<{ uploadId: string }>('replay.uploadBegin', 'half.ndjson', 10);
    await call('replay.uploadChunk', uploadId, 0, Buffer.from('{"type":').toString('base64'));
    await expect(call('replay.start', { functionId: id, runId: 'svc-run-half', inputs: [{ upload: uploadId }] })).rejects.toMatchObject({
      name: 'InvalidArgument',
      message: `upload ${uploadId} (half.ndjson) is incomplete: 8 of 10 bytes received`,
    });
    await expect(call('replay.uploadChunk', uploadId, 8, Buffer.from('1}').toString('base64'))).rejects.toMatchObject({ name: 'NotFound' });
    await call('replay.uploadDiscard', uploadId); // unknown by now: ignored
  });

  it('a function with "strictNetwork": true replays with loopback refused before its mock rule', async () => {
    const dir = path.join(tmp, 'ws', 'strict-hook');
    mkdirSync(dir);
    writeFileSync(path.join(dir, 'function.json'), JSON.stringify({ displayName: 'Strict Hook', resourceType: 'DESTINATION', settings: [], strictNetwork: true }));
    writeFileSync(path.join(dir, 'handler.js'), "async function onTrack() { await fetch('http://127.0.0.1:9/hook'); }\n");
    writeFileSync(path.join(dir, 'mocks.json'), JSON.stringify([{ url: 'http://127.0.0.1:9/*', status: 200 }]));
    const file = path.join(tmp, 'strict.ndjson');
    writeFileSync(file, ndjson(3));
    const summary = await call<ReplaySummary>('replay.start', { functionId: 'strict-hook', runId: 'svc-strict', inputs: [{ path: file }], retries: false, filters: [] });
    expect(summary.delivered).toBe(0);
    expect(JSON.stringify(summary.topErrors)).toMatch(/blocked \(network policy\): 127\.0\.0\.1 is a loopback address/);
  });

  it('rejects bad calls clearly', async () => {
    await expect(call('replay.start', { functionId: id, runId: 'x', inputs: [{ path: path.join(tmp, 'missing.ndjson') }] })).rejects.toMatchObject({ name: 'InvalidArgument', message: expect.stringMatching(/missing\.ndjson: no such file/) });
    await expect(call('replay.start', { functionId: id, runId: '../escape', inputs: [] })).rejects.toMatchObject({ name: 'InvalidArgument' });
    await expect(call('replay.events', id, 'nope', { offset: 0, limit: 10 })).rejects.toMatchObject({ name: 'NotFound' });
  });
});
