/**
 * Files dropped in the browser for a replay, uploaded in chunks into temporary files of the
 * host: a web host message holds at most a few MB, captures hold hundreds. Chunks come in
 * order (each starts where the last ended), a file ends at the size declared when it began,
 * and every upload is deleted when the run that used it ends, when it is discarded, after
 * an hour untouched, or when the host closes. All uploads together stay under
 * MAX_REPLAY_UPLOAD_BYTES of disk.
 */
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { FnStudioError } from '../../contract/errors';
import { MAX_REPLAY_UPLOAD_BYTES, REPLAY_UPLOAD_CHUNK_BYTES, type ReplayUploadProgress, type ReplayUploadStarted } from '../../contract/replay';

/** An upload nobody has touched for this long is abandoned (a closed tab) and deleted. */
const UPLOAD_IDLE_MS = 60 * 60 * 1000;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

interface Upload {
  id: string;
  name: string;
  size: number;
  file: string;
  received: number;
  /** A chunk is being written: the next must wait for its answer. */
  writing: boolean;
  /** Taken by a run: no more chunks, not expired. */
  taken: boolean;
  touchedAt: number;
}

export interface UploadStoreOptions {
  /** Where the temporary folder goes (default: the OS temp folder). */
  tmpDir?: string;
  maxTotalBytes?: number;
  idleMs?: number;
  now?: () => number;
}

export class ReplayUploads {
  private readonly uploads = new Map<string, Upload>();
  private dir: Promise<string> | null = null;
  private readonly maxTotalBytes: number;
  private readonly idleMs: number;
  private readonly now: () => number;

  constructor(private readonly options: UploadStoreOptions = {}) {
    this.maxTotalBytes = options.maxTotalBytes ?? MAX_REPLAY_UPLOAD_BYTES;
    this.idleMs = options.idleMs ?? UPLOAD_IDLE_MS;
    this.now = options.now ?? Date.now;
  }

  async begin(name: string, size: number): Promise<ReplayUploadStarted> {
    await this.expire();
    if (!Number.isSafeInteger(size) || size < 0) throw new FnStudioError('InvalidArgument', `the size of ${JSON.stringify(name)} must be a whole number of bytes, got ${size}`);
    const held = [...this.uploads.values()].reduce((sum, u) => sum + u.size, 0);
    if (held + size > this.maxTotalBytes) {
      throw new FnStudioError(
        'InvalidArgument',
        `${name} (${mb(size)}) does not fit: dropped files are kept up to ${mb(this.maxTotalBytes)} at once${held > 0 ? ` and ${mb(held)} are already held` : ''}; replay bigger captures from the command line (fnstudio replay <function folder> <files…>)`,
      );
    }
    const id = randomBytes(16).toString('hex');
    const file = path.join(await this.folder(), id);
    await fs.writeFile(file, '', { flag: 'wx' });
    this.uploads.set(id, { id, name, size, file, received: 0, writing: false, taken: false, touchedAt: this.now() });
    return { uploadId: id, chunkBytes: REPLAY_UPLOAD_CHUNK_BYTES };
  }

  async chunk(uploadId: string, offset: number, dataBase64: string): Promise<ReplayUploadProgress> {
    const upload = this.find(uploadId);
    if (upload.taken) throw new FnStudioError('Conflict', `upload ${uploadId} (${upload.name}) is already in use by a replay`);
    if (upload.writing) throw new FnStudioError('Conflict', `a chunk of upload ${uploadId} (${upload.name}) is still being written: send chunks one after another`);
    if (offset !== upload.received) {
      throw new FnStudioError('InvalidArgument', `chunk at offset ${offset} of ${upload.name}, but ${upload.received} bytes were received: send the chunk that starts at ${upload.received}`);
    }
    if (dataBase64.length % 4 !== 0 || !BASE64.test(dataBase64)) throw new FnStudioError('InvalidArgument', `chunk at offset ${offset} of ${upload.name} is not base64`);
    const bytes = Buffer.from(dataBase64, 'base64');
    if (bytes.length === 0) throw new FnStudioError('InvalidArgument', `chunk at offset ${offset} of ${upload.name} is empty`);
    if (bytes.length > REPLAY_UPLOAD_CHUNK_BYTES) throw new FnStudioError('InvalidArgument', `chunk at offset ${offset} of ${upload.name} holds ${bytes.length} bytes; at most ${REPLAY_UPLOAD_CHUNK_BYTES} per chunk`);
    if (offset + bytes.length > upload.size) {
      throw new FnStudioError('InvalidArgument', `chunk at offset ${offset} of ${upload.name} ends at ${offset + bytes.length}, past the ${upload.size} bytes declared`);
    }
    upload.writing = true;
    upload.touchedAt = this.now();
    try {
      const handle = await fs.open(upload.file, 'r+');
      try {
        await handle.write(bytes, 0, bytes.length, offset);
      } finally {
        await handle.close();
      }
      upload.received += bytes.length;
    } finally {
      upload.writing = false;
      upload.touchedAt = this.now();
    }
    return { received: upload.received, complete: upload.received === upload.size };
  }

  /** The finished file of an upload, for one run; the run discards it when it ends. */
  take(uploadId: string): { file: string; name: string } {
    const upload = this.find(uploadId);
    if (upload.taken) throw new FnStudioError('Conflict', `upload ${uploadId} (${upload.name}) is already in use by a replay`);
    if (upload.writing || upload.received !== upload.size) {
      throw new FnStudioError('InvalidArgument', `upload ${uploadId} (${upload.name}) is incomplete: ${upload.received} of ${upload.size} bytes received`);
    }
    upload.taken = true;
    return { file: upload.file, name: upload.name };
  }

  async discard(uploadId: string): Promise<void> {
    const upload = this.uploads.get(uploadId);
    if (!upload) return;
    this.uploads.delete(uploadId);
    await fs.rm(upload.file, { force: true });
  }

  /** Deletes every upload and the temporary folder. */
  async close(): Promise<void> {
    const dir = this.dir;
    this.uploads.clear();
    this.dir = null;
    if (dir) await fs.rm(await dir, { recursive: true, force: true });
  }

  private find(uploadId: string): Upload {
    const upload = this.uploads.get(uploadId);
    if (!upload) throw new FnStudioError('NotFound', `no upload ${uploadId}: it was used by a replay, discarded, or left idle for over ${Math.round(this.idleMs / 60_000)} min; drop the file again`);
    return upload;
  }

  private async expire(): Promise<void> {
    const before = this.now() - this.idleMs;
    for (const upload of [...this.uploads.values()]) if (!upload.taken && !upload.writing && upload.touchedAt < before) await this.discard(upload.id);
  }

  private folder(): Promise<string> {
    this.dir ??= fs.mkdtemp(path.join(this.options.tmpDir ?? os.tmpdir(), 'fnstudio-uploads-'));
    return this.dir;
  }
}

function mb(bytes: number): string {
  return bytes >= 1024 ** 3 ? `${(bytes / 1024 ** 3).toFixed(bytes % 1024 ** 3 === 0 ? 0 : 1)} GB` : `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}
