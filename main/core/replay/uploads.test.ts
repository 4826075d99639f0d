/**
 * Chunked uploads of dropped files: assembly in order, refusal of bad, out-of-order and
 * oversized chunks, the total cap, and cleanup (discard, expiry, close).
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { REPLAY_UPLOAD_CHUNK_BYTES } from '../../contract/replay';
import { ReplayUploads } from './uploads';

let tmp: string;
let store: ReplayUploads;
let clock = 0;
beforeEach(() => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'fnstudio-uploads-test-'));
  clock = 1_000_000;
  store = new ReplayUploads({ tmpDir: tmp, maxTotalBytes: 3 * REPLAY_UPLOAD_CHUNK_BYTES, idleMs: 60_000, now: () => clock });
});
afterEach(async () => {
  await store.close();
  rmSync(tmp, { recursive: true, force: true });
});

const b64 = (bytes: Buffer): string => bytes.toString('base64');
/** Bytes that differ at every position, so a chunk written at the wrong place shows. */
const pattern = (length: number, seed = 0): Buffer => Buffer.from(Array.from({ length }, (_, i) => (i * 7 + seed) % 251));

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected a rejection');
}

describe('ReplayUploads', () => {
  it('assembles a file bigger than one chunk from chunks sent in order', async () => {
    const content = pattern(REPLAY_UPLOAD_CHUNK_BYTES * 2 + 12345);
    const { uploadId, chunkBytes } = await store.begin('capture.ndjson.gz', content.length);
    expect(chunkBytes).toBe(REPLAY_UPLOAD_CHUNK_BYTES);
    const answers = [];
    for (let offset = 0; offset < content.length; offset += chunkBytes) answers.push(await store.chunk(uploadId, offset, b64(content.subarray(offset, offset + chunkBytes))));
    expect(answers).toEqual([
      { received: chunkBytes, complete: false },
      { received: 2 * chunkBytes, complete: false },
      { received: content.length, complete: true },
    ]);
    const { file, name } = store.take(uploadId);
    expect(name).toBe('capture.ndjson.gz');
    expect(readFileSync(file).equals(content)).toBe(true);
    await store.discard(uploadId);
    expect(existsSync(file)).toBe(false);
  });

  it('refuses out-of-order, repeated, oversized, non-base64 and empty chunks, and leaves the file as it was', async () => {
    const content = pattern(3000, 3);
    const { uploadId } = await store.begin('events.ndjson', content.length);
    expect((await rejection(store.chunk(uploadId, 1000, b64(content.subarray(1000, 2000))))).message).toBe(
      'chunk at offset 1000 of events.ndjson, but 0 bytes were received: send the chunk that starts at 0',
    );
    await store.chunk(uploadId, 0, b64(content.subarray(0, 1000)));
    // The same chunk again (a retry after a lost answer) is out of order too.
    const repeated = await rejection(store.chunk(uploadId, 0, b64(content.subarray(0, 1000))));
    expect(repeated.name).toBe('InvalidArgument');
    expect(repeated.message).toContain('send the chunk that starts at 1000');
    expect((await rejection(store.chunk(uploadId, 1000, 'not base64!'))).message).toBe('chunk at offset 1000 of events.ndjson is not base64');
    expect((await rejection(store.chunk(uploadId, 1000, 'abc'))).message).toBe('chunk at offset 1000 of events.ndjson is not base64');
    expect((await rejection(store.chunk(uploadId, 1000, ''))).message).toBe('chunk at offset 1000 of events.ndjson is empty');
    expect((await rejection(store.chunk(uploadId, 1000, b64(pattern(2001))))).message).toBe('chunk at offset 1000 of events.ndjson ends at 3001, past the 3000 bytes declared');
    expect((await rejection(store.chunk(uploadId, 1000, b64(pattern(REPLAY_UPLOAD_CHUNK_BYTES + 3))))).message).toContain(`at most ${REPLAY_UPLOAD_CHUNK_BYTES} per chunk`);
    // Incomplete: a run cannot take it yet.
    const early = (() => {
      try {
        store.take(uploadId);
        return null;
      } catch (err) {
        return err as Error;
      }
    })();
    expect(early?.message).toBe(`upload ${uploadId} (events.ndjson) is incomplete: 1000 of 3000 bytes received`);
    await store.chunk(uploadId, 1000, b64(content.subarray(1000)));
    const { file } = store.take(uploadId);
    expect(readFileSync(file).equals(content)).toBe(true);
    // Taken by a run: no more chunks, and no second run.
    expect((await rejection(store.chunk(uploadId, 3000, b64(pattern(1))))).name).toBe('Conflict');
    expect(() => store.take(uploadId)).toThrow(/already in use by a replay/);
  });

  it('refuses a second chunk while one is being written (chunks go one after another)', async () => {
    const content = pattern(2000);
    const { uploadId } = await store.begin('a.ndjson', content.length);
    const first = store.chunk(uploadId, 0, b64(content.subarray(0, 1000)));
    const second = await rejection(store.chunk(uploadId, 1000, b64(content.subarray(1000))));
    expect(second.name).toBe('Conflict');
    expect(second.message).toContain('still being written');
    expect(await first).toEqual({ received: 1000, complete: false });
  });

  it('names an unknown upload, and keeps all uploads together under the cap', async () => {
    const unknown = await rejection(store.chunk('0123abcd', 0, b64(pattern(10))));
    expect(unknown.name).toBe('NotFound');
    expect(unknown.message).toMatch(/^no upload 0123abcd: it was used by a replay, discarded, or left idle/);
    const a = await store.begin('a.ndjson', 2 * REPLAY_UPLOAD_CHUNK_BYTES);
    const tooMuch = await rejection(store.begin('b.ndjson', 2 * REPLAY_UPLOAD_CHUNK_BYTES));
    expect(tooMuch.name).toBe('InvalidArgument');
    expect(tooMuch.message).toBe('b.ndjson (8.0 MB) does not fit: dropped files are kept up to 12.0 MB at once and 8.0 MB are already held; replay bigger captures from the command line (fnstudio replay <function folder> <files…>)');
    await store.discard(a.uploadId);
    await store.discard(a.uploadId); // twice: ignored
    await expect(store.begin('b.ndjson', 2 * REPLAY_UPLOAD_CHUNK_BYTES)).resolves.toMatchObject({ uploadId: expect.stringMatching(/^[a-f0-9]{32}$/) });
  });

  it('an empty file is complete at once', async () => {
    const { uploadId } = await store.begin('empty.ndjson', 0);
    expect(readFileSync(store.take(uploadId).file, 'utf8')).toBe('');
  });

  it('deletes uploads left idle, but not one a run has taken; close removes the folder', async () => {
    const idle = await store.begin('idle.ndjson', 10);
    const used = await store.begin('used.ndjson', 10);
    await store.chunk(used.uploadId, 0, b64(pattern(10)));
    const { file } = store.take(used.uploadId);
    clock += 61_000;
    await store.begin('new.ndjson', 10); // expiry runs when an upload begins
    expect((await rejection(store.chunk(idle.uploadId, 0, b64(pattern(10))))).name).toBe('NotFound');
    expect(existsSync(file)).toBe(true);
    const [folder] = readdirSync(tmp);
    expect(readdirSync(path.join(tmp, folder)).sort()).toHaveLength(2);
    await store.close();
    expect(readdirSync(tmp)).toEqual([]);
  });
});
