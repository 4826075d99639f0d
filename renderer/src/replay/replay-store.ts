/**
 * The Replay view's state and actions: choosing files and options, a run's progress,
 * its summary and a page-wise view of its events, and one event's details.
 */
import { create } from 'zustand';
import { MAX_REPLAY_UPLOAD_BYTES } from '../../../main/contract/replay';
import type { DestinationFilter, ReplayCategory, ReplayEventDetail, ReplayEventRecord, ReplayInput, ReplayProgress, ReplayRunInfo, ReplaySummary } from '../../../main/contract';
import { api, onHostEvent } from '../platform/api';
import { localPathOf } from '../platform/file-path';
import { errorMessage } from '../platform/rpc-error';

export interface ReplayOptionsState {
  live: boolean;
  retries: boolean;
  concurrency: number;
  /** JSON text of the filters for this run; '' = the function's filters.json. */
  filtersText: string;
  destinationName: string;
}

export interface EventFilter {
  category: ReplayCategory | '';
  type: string;
  error: string;
}

export interface ReplayState {
  open: boolean;
  functionId: string | null;
  files: Array<{ name: string; size: number; file: File; path: string | null }>;
  /** Bytes of dropped files sent to the host so far, while a replay's files upload. */
  uploading: { sent: number; total: number } | null;
  options: ReplayOptionsState;
  runId: string | null;
  running: boolean;
  progress: ReplayProgress | null;
  summary: ReplaySummary | null;
  error: string | null;
  runs: ReplayRunInfo[];
  filter: EventFilter;
  /** Loaded rows of the filtered event list (loaded page by page as the table scrolls). */
  rows: ReplayEventRecord[];
  matched: number;
  selected: ReplayEventRecord | null;
  detail: ReplayEventDetail | null;
  detailError: string | null;
  /** What the last load/save of filters.json did. */
  filtersNote: string | null;
}

const PAGE = 500;

export const useReplay = create<ReplayState>(() => ({
  open: false,
  functionId: null,
  files: [],
  uploading: null,
  options: { live: false, retries: true, concurrency: 1000, filtersText: '', destinationName: '' },
  runId: null,
  running: false,
  progress: null,
  summary: null,
  error: null,
  runs: [],
  filter: { category: '', type: '', error: '' },
  rows: [],
  matched: 0,
  selected: null,
  detail: null,
  detailError: null,
  filtersNote: null,
}));

const get = useReplay.getState;
const set = useReplay.setState;

onHostEvent((event) => {
  if (event.type === 'replay.progress' && event.progress.runId === get().runId) set({ progress: event.progress });
});

export async function openReplay(functionId: string): Promise<void> {
  if (get().functionId !== functionId) {
    set({ functionId, files: [], summary: null, progress: null, runId: null, rows: [], matched: 0, selected: null, detail: null, error: null });
  }
  set({ open: true });
  await refreshRuns();
}

export function closeReplay(): void {
  set({ open: false });
}

async function refreshRuns(): Promise<void> {
  const id = get().functionId;
  if (!id) return;
  try {
    set({ runs: await api.replay.list(id) });
  } catch (err) {
    set({ error: `Could not list the runs: ${errorMessage(err)}` });
  }
}

function toBase64(bytes: Uint8Array): string {
  let binary = '';
  const step = 0x8000;
  for (let i = 0; i < bytes.length; i += step) binary += String.fromCharCode(...bytes.subarray(i, i + step));
  return btoa(binary);
}

/**
 * Files picked or dropped: kept as File objects (nothing is read yet). In Electron the host
 * reads them from their real path; in a browser they are uploaded in chunks when the replay
 * starts (a web host message holds a few MB; captures hold hundreds).
 */
export function addFiles(list: FileList | File[]): void {
  const added = Array.from(list).map((file) => ({ name: file.name, size: file.size, file, path: localPathOf(file) }));
  const total = [...get().files, ...added].reduce((sum, f) => sum + (f.path === null ? f.size : 0), 0);
  if (total > MAX_REPLAY_UPLOAD_BYTES) {
    set({ error: `These files hold ${(total / 1024 ** 3).toFixed(1)} GB; the app takes up to ${MAX_REPLAY_UPLOAD_BYTES / 1024 ** 3} GB of dropped files at once (run: npx fnstudio replay <function folder> <files…>)` });
    return;
  }
  set({ files: [...get().files, ...added], error: null });
}

/** Thrown between chunks when the user cancels while files are still uploading. */
class UploadCancelled extends Error {}
let uploadCancelled = false;

/** Sends one file to the host in chunks; resolves with its upload id. */
async function upload(file: File, begun: string[], cancelled: () => boolean): Promise<string> {
  const { uploadId, chunkBytes } = await api.replay.uploadBegin(file.name, file.size);
  begun.push(uploadId);
  for (let offset = 0; offset < file.size; offset += chunkBytes) {
    if (cancelled()) throw new UploadCancelled();
    const bytes = new Uint8Array(await file.slice(offset, offset + chunkBytes).arrayBuffer());
    await api.replay.uploadChunk(uploadId, offset, toBase64(bytes));
    const uploading = get().uploading;
    if (uploading) set({ uploading: { ...uploading, sent: uploading.sent + bytes.length } });
  }
  return uploadId;
}

export function removeFile(index: number): void {
  set({ files: get().files.filter((_, i) => i !== index) });
}

export function setOptions(patch: Partial<ReplayOptionsState>): void {
  set({ options: { ...get().options, ...patch } });
}

function newRunId(): string {
  const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  return `${stamp}-${Math.random().toString(36).slice(2, 8)}`;
}

export async function startReplay(): Promise<void> {
  const { functionId, files, options } = get();
  if (!functionId || files.length === 0 || get().running) return;
  let filters: DestinationFilter[] | undefined;
  if (options.filtersText.trim() !== '') {
    try {
      filters = JSON.parse(options.filtersText) as DestinationFilter[];
    } catch (err) {
      set({ error: `The filters are not valid JSON: ${(err as Error).message}` });
      return;
    }
  }
  const runId = newRunId();
  const toUpload = files.filter((f) => f.path === null).reduce((sum, f) => sum + f.size, 0);
  set({ runId, running: true, uploading: toUpload > 0 ? { sent: 0, total: toUpload } : null, progress: null, summary: null, error: null, rows: [], matched: 0, selected: null, detail: null });
  uploadCancelled = false;
  const begun: string[] = [];
  try {
    const inputs: ReplayInput[] = [];
    for (const f of files) inputs.push(f.path !== null ? { path: f.path } : { upload: await upload(f.file, begun, () => uploadCancelled) });
    set({ uploading: null });
    const summary = await api.replay.start({
      functionId,
      runId,
      inputs,
      live: options.live,
      retries: options.retries,
      concurrency: options.concurrency,
      ...(filters ? { filters } : {}),
      ...(options.destinationName.trim() ? { destinationName: options.destinationName.trim() } : {}),
    });
    set({ summary, running: false });
    await Promise.all([loadRows(true), refreshRuns()]);
  } catch (err) {
    // The host deletes uploads a run used; these never reached one.
    if (get().uploading) await Promise.all(begun.map((id) => api.replay.uploadDiscard(id).catch(() => undefined)));
    set({ running: false, uploading: null, error: err instanceof UploadCancelled ? null : `The replay failed: ${errorMessage(err)}` });
  }
}

/** Puts the function's filters.json into the filters box. */
export async function loadStoredFilters(): Promise<void> {
  const id = get().functionId;
  if (!id) return;
  try {
    const filters = await api.replay.getFilters(id);
    setOptions({ filtersText: filters.length === 0 ? '' : JSON.stringify(filters, null, 2) });
    set({ error: null, filtersNote: filters.length === 0 ? 'filters.json holds no filters' : `loaded ${filters.length} filter${filters.length === 1 ? '' : 's'} from filters.json` });
  } catch (err) {
    set({ error: `Could not read filters.json: ${errorMessage(err)}` });
  }
}

/** Checks the filters box (FQL included) and stores it as the function's filters.json. */
export async function saveStoredFilters(): Promise<void> {
  const id = get().functionId;
  if (!id) return;
  let filters: DestinationFilter[];
  try {
    const text = get().options.filtersText.trim();
    filters = text === '' ? [] : (JSON.parse(text) as DestinationFilter[]);
  } catch (err) {
    set({ error: `The filters are not valid JSON: ${(err as Error).message}` });
    return;
  }
  try {
    const saved = await api.replay.saveFilters(id, filters);
    set({ error: null, filtersNote: `saved ${saved.length} filter${saved.length === 1 ? '' : 's'} to filters.json` });
  } catch (err) {
    set({ error: `Could not save the filters: ${errorMessage(err)}` });
  }
}

export async function cancelReplay(): Promise<void> {
  const runId = get().runId;
  if (get().uploading) uploadCancelled = true;
  else if (runId) await api.replay.cancel(runId);
}

export async function openRun(runId: string): Promise<void> {
  const id = get().functionId;
  if (!id) return;
  try {
    const summary = await api.replay.summary(id, runId);
    set({ runId, summary, progress: null, selected: null, detail: null, error: null });
    await loadRows(true);
  } catch (err) {
    set({ error: `Could not open the run: ${errorMessage(err)}` });
  }
}

export async function deleteRun(runId: string): Promise<void> {
  const id = get().functionId;
  if (!id) return;
  try {
    await api.replay.delete(id, runId);
    if (get().runId === runId) set({ runId: null, summary: null, rows: [], matched: 0, selected: null, detail: null });
    await refreshRuns();
  } catch (err) {
    set({ error: `Could not delete the run: ${errorMessage(err)}` });
  }
}

export async function setFilter(patch: Partial<EventFilter>): Promise<void> {
  set({ filter: { ...get().filter, ...patch } });
  await loadRows(true);
}

let loading: Promise<void> | null = null;

/** Loads the first page again (`reset`) or the next page of the filtered events. */
export async function loadRows(reset: boolean): Promise<void> {
  const { functionId, runId, summary, filter } = get();
  if (!functionId || !runId || !summary) return;
  if (!reset && (loading || get().rows.length >= get().matched)) return;
  const offset = reset ? 0 : get().rows.length;
  const work = (async () => {
    try {
      const page = await api.replay.events(functionId, runId, {
        offset,
        limit: PAGE,
        ...(filter.category ? { category: filter.category } : {}),
        ...(filter.type ? { type: filter.type } : {}),
        ...(filter.error ? { error: filter.error } : {}),
      });
      set({ rows: reset ? page.records : [...get().rows, ...page.records], matched: page.matched });
    } catch (err) {
      set({ error: `Could not load the events: ${errorMessage(err)}` });
    }
  })();
  loading = work;
  await work;
  loading = null;
}

export async function selectEvent(record: ReplayEventRecord): Promise<void> {
  const { functionId, runId } = get();
  if (!functionId || !runId) return;
  set({ selected: record, detail: null, detailError: null });
  if (!record.detail) {
    set({ detailError: record.category === 'Filtered' ? `Not delivered: filtered by ${record.filteredBy ?? 'a rule'}, so the function did not run.` : 'Details are kept for every failure and a sample of successes; this event is not in the sample.' });
    return;
  }
  try {
    set({ detail: await api.replay.detail(functionId, runId, record.seq) });
  } catch (err) {
    set({ detailError: errorMessage(err) });
  }
}

/** Every event of the run matching the current filter, page by page (for exports). */
export async function allRows(): Promise<ReplayEventRecord[]> {
  const { functionId, runId } = get();
  if (!functionId || !runId) return [];
  const out: ReplayEventRecord[] = [];
  for (;;) {
    const page = await api.replay.events(functionId, runId, { offset: out.length, limit: 1000 });
    out.push(...page.records);
    if (page.records.length === 0 || out.length >= page.matched) return out;
  }
}

/** Details of every event that has them (failures and sampled successes), for the HAR export. */
export async function allDetails(limit = 2000): Promise<ReplayEventDetail[]> {
  const { functionId, runId } = get();
  if (!functionId || !runId) return [];
  const rows = (await allRows()).filter((r) => r.detail).slice(0, limit);
  const out: ReplayEventDetail[] = [];
  for (const r of rows) out.push(await api.replay.detail(functionId, runId, r.seq));
  return out;
}
