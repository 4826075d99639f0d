/**
 * fake-segment: a local stand-in for Segment's Public API (Functions endpoints), for tests
 * and demos. It follows the checklist of shared/design/segment-public-api.md §7: bearer
 * auth, both pagination query styles, ids by type, the display-name suffix, a version per
 * save, deploy only on source function instances, the error envelope and injectable
 * faults. Where the real API's behaviour is uncertain (does a destination PATCH go live?
 * does deploy accept a function id?) it is a switch, so clients can be tested both ways.
 *
 * It listens on 127.0.0.1 only. Faults and switches are set through a small control API
 * under /__fake/ (no auth: it is a loopback test server).
 */
import { randomBytes } from 'node:crypto';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as vm from 'node:vm';
import {
  hasNameSuffix,
  ID_PREFIX,
  JSON_MEDIA_TYPE,
  RESOURCE_TYPES,
  type ResourceType,
  type WireError,
  type WireFunction,
  type WireSetting,
  type WireVersion,
} from '../wire';

export interface FakeSegmentOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  /** The token of a Workspace Owner (every permission). Default 'fake-token'. */
  token?: string;
  /** A token whose role can only read (Functions Read-only). */
  readOnlyToken?: string;
  /** A token with Functions Admin but neither Source Admin nor Workspace Owner: cannot deploy. */
  functionsAdminToken?: string;
  /** Appended to destination and insert functions' display names. Default 'Fake Workspace'. */
  workspaceName?: string;
  /** Page size when a list call gives no pagination (the docs say 200). */
  defaultPageSize?: number;
  /** Delay before every answer, in ms. */
  latencyMs?: number;
  /** Whether the alpha versions endpoints exist (else 404 as in a workspace without them). */
  versions?: boolean;
  /** A destination function's save goes live at once (legacy docs, Segment's templates). Default true. */
  deployOnSave?: boolean;
  /** Deploy accepts function ids too, not only `sfn_` source instances. Default false (the SDK's description). */
  deployAcceptsFunctionIds?: boolean;
  now?: () => Date;
}

export type FakeRole = 'owner' | 'read-only' | 'functions-admin';

/** One injected failure, consumed by the next `count` matching requests. */
export interface FakeFault {
  /** 429, 5xx, any status >= 400; 0 with `drop` for a connection closed without an answer; 200 with `delayMs` for a slow answer. */
  status: number;
  count?: number;
  /** Only requests with this method (e.g. 'PATCH'). */
  method?: string;
  /** Only requests whose path contains this text (e.g. '/versions'). */
  pathIncludes?: string;
  /** 429: the wait the server asks for. Each is sent unless set to null. */
  retryAfterSec?: number | null;
  msBeforeNext?: number | null;
  resetInMs?: number | null;
  /** Close the connection without an answer (a network failure). */
  drop?: boolean;
  /** Wait this long before answering (or dropping): a slow server, a timeout. */
  delayMs?: number;
  message?: string;
}

export interface FakeRequestRecord {
  method: string;
  path: string;
  query: string;
  contentType: string | null;
  accept: string | null;
  /** Who the bearer token belongs to; the token itself is never recorded. */
  auth: FakeRole | 'missing' | 'invalid';
  status: number;
}

export interface FakeSegmentSwitches {
  latencyMs: number;
  versions: boolean;
  deployOnSave: boolean;
  deployAcceptsFunctionIds: boolean;
  defaultPageSize: number;
}

interface StoredFunction extends WireFunction {
  id: string;
  resourceType: ResourceType;
  code: string;
  settings: WireSetting[];
  displayName: string;
  description: string;
  versions: WireVersion[];
}

export interface FakeSegment {
  readonly url: string;
  readonly port: number;
  readonly switches: FakeSegmentSwitches;
  readonly requests: FakeRequestRecord[];
  injectFault(fault: FakeFault): void;
  clearFaults(): void;
  /** Forgets every function, fault and recorded request. */
  reset(): void;
  /** Adds a function as if created through the API (suffix, a first version); returns it as GET would. */
  seed(input: { displayName: string; code: string; resourceType?: ResourceType; settings?: WireSetting[]; description?: string }): WireFunction;
  /** Changes a function as another user's PATCH would (a new version). */
  edit(id: string, patch: { code?: string; settings?: WireSetting[]; displayName?: string; description?: string }): WireFunction;
  remove(id: string): void;
  get(id: string): WireFunction | null;
  close(): Promise<void>;
}

const USER_ID = 'sgJDWk3K21k6LE3tLU9nRK';
const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const SETTING_TYPES = ['ARRAY', 'BOOLEAN', 'STRING', 'TEXT_MAP'];
const MAX_BODY = 10 * 1024 * 1024;

class HttpFailure extends Error {
  constructor(
    readonly status: number,
    readonly error: WireError,
    readonly headers: Record<string, string> = {},
  ) {
    super(error.message ?? error.type);
  }
}

const notFound = (what: string): HttpFailure => new HttpFailure(404, { type: 'not-found', message: `${what} not found` });
const invalid = (field: string, message: string): HttpFailure => new HttpFailure(422, { type: 'input-validation', field, message });
const badRequest = (message: string): HttpFailure => new HttpFailure(400, { type: 'bad-request', message });

export async function startFakeSegment(options: FakeSegmentOptions = {}): Promise<FakeSegment> {
  const token = options.token ?? 'fake-token';
  const workspaceName = options.workspaceName ?? 'Fake Workspace';
  const now = options.now ?? (() => new Date());
  const switches: FakeSegmentSwitches = {
    latencyMs: options.latencyMs ?? 0,
    versions: options.versions ?? true,
    deployOnSave: options.deployOnSave ?? true,
    deployAcceptsFunctionIds: options.deployAcceptsFunctionIds ?? false,
    defaultPageSize: options.defaultPageSize ?? 200,
  };
  const roles = new Map<string, FakeRole>([[token, 'owner']]);
  if (options.readOnlyToken) roles.set(options.readOnlyToken, 'read-only');
  if (options.functionsAdminToken) roles.set(options.functionsAdminToken, 'functions-admin');
  const functions = new Map<string, StoredFunction>();
  const faults: Array<FakeFault & { left: number }> = [];
  const requests: FakeRequestRecord[] = [];
  let consumed = 0;

  const iso = (): string => now().toISOString();
  const suffixed = (name: string, type: ResourceType): string => (hasNameSuffix(type) ? `${name} (${workspaceName})` : name);

  const newVersion = (fn: StoredFunction, code: string): void => {
    const at = iso();
    const live = fn.resourceType === 'DESTINATION' && switches.deployOnSave;
    if (live) for (const v of fn.versions) v.isDeployed = false;
    fn.versions.unshift({ id: randomId(27), code, author: USER_ID, isDeployed: live, createdAt: at, updatedAt: at, ...(live ? { deployedAt: at } : {}) });
    if (live) fn.deployedAt = at;
    // A never-deployed function has no isLatestVersion at all [OBSERVED in fixtures].
    if (live) fn.isLatestVersion = true;
    else if (fn.deployedAt !== undefined) fn.isLatestVersion = false;
  };

  const create = (input: { displayName: string; code: string; resourceType: ResourceType; settings?: WireSetting[]; description?: string; logoUrl?: string }): StoredFunction => {
    const prefix = ID_PREFIX[input.resourceType];
    const bare = input.resourceType === 'SOURCE' ? randomId(22) : randomBytes(12).toString('hex');
    const fn: StoredFunction = {
      id: `${prefix}${bare}`,
      workspaceId: 'fakeWorkspace0000000000',
      resourceType: input.resourceType,
      displayName: suffixed(input.displayName, input.resourceType),
      description: input.description ?? '',
      logoUrl: input.logoUrl ?? '',
      code: input.code,
      createdAt: iso(),
      createdBy: USER_ID,
      previewWebhookUrl: '',
      settings: input.settings ?? [],
      buildpack: 'boreal',
      catalogId: bare,
      batchMaxCount: 0,
      versions: [],
    };
    newVersion(fn, fn.code);
    functions.set(fn.id, fn);
    return fn;
  };

  const update = (fn: StoredFunction, patch: { code?: string; settings?: WireSetting[]; displayName?: string; description?: string; logoUrl?: string }): void => {
    if (patch.displayName !== undefined) fn.displayName = suffixed(patch.displayName, fn.resourceType);
    if (patch.description !== undefined) fn.description = patch.description;
    if (patch.logoUrl !== undefined) fn.logoUrl = patch.logoUrl;
    // The whole list replaces the old one (Config API's update mask `function.settings`).
    if (patch.settings !== undefined) fn.settings = patch.settings;
    if (patch.code !== undefined) fn.code = patch.code;
    newVersion(fn, fn.code);
  };

  const view = (fn: StoredFunction): WireFunction => {
    const { versions: _versions, ...rest } = fn;
    return JSON.parse(JSON.stringify(rest)) as WireFunction;
  };
  const listItem = (fn: StoredFunction): WireFunction => ({
    id: fn.id,
    resourceType: fn.resourceType,
    createdAt: fn.createdAt,
    createdBy: fn.createdBy,
    displayName: fn.displayName,
    description: fn.description,
    logoUrl: fn.logoUrl,
    catalogId: fn.catalogId,
  });
  const find = (id: string): StoredFunction => {
    const fn = functions.get(id);
    if (!fn) throw notFound('function');
    return fn;
  };

  const route = async (req: http.IncomingMessage, url: URL): Promise<unknown> => {
    const method = req.method ?? 'GET';
    const parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
    if (parts[0] !== 'functions') throw notFound('resource');
    if (parts.length === 1) {
      if (method === 'GET') {
        const type = url.searchParams.get('resourceType');
        if (type === null) throw invalid('resourceType', 'resourceType is required');
        if (!(RESOURCE_TYPES as readonly string[]).includes(type)) throw invalid('resourceType', `resourceType must be one of ${RESOURCE_TYPES.join(', ')}`);
        const all = [...functions.values()].filter((f) => f.resourceType === type);
        const { items, pagination } = paginate(all, url.searchParams, switches.defaultPageSize);
        return { functions: items.map(listItem), pagination };
      }
      if (method === 'POST') {
        const body = await readJson(req);
        const input = checkCreate(body);
        return { function: view(create(input)) };
      }
      throw methodNotAllowed(method);
    }
    throw notFound('resource');
  };

  const routeFunction = async (req: http.IncomingMessage, url: URL, role: FakeRole): Promise<unknown> => {
    const method = req.method ?? 'GET';
    const parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
    const id = parts[1];
    if (parts.length === 2) {
      if (method === 'GET') return { function: view(find(id)) };
      if (method === 'PATCH') {
        const fn = find(id);
        const body = await readJson(req);
        update(fn, checkUpdate(body));
        return { function: view(fn) };
      }
      if (method === 'DELETE') {
        find(id);
        functions.delete(id);
        return { status: 'SUCCESS' };
      }
      throw methodNotAllowed(method);
    }
    if (parts[2] === 'deploy' && parts.length === 3) {
      if (method !== 'POST') throw methodNotAllowed(method);
      if (role === 'functions-admin') throw unauthorizedRole('Source Admin or Workspace Owner');
      if (id.startsWith('sfn_') && /^sfn_[A-Za-z0-9]{22}$/.test(id)) return { functionDeployment: { status: 'SUCCESS' } };
      const fn = switches.deployAcceptsFunctionIds ? functions.get(id) : undefined;
      if (!fn) throw badRequest(`Please provide a valid source function instance id (sfn_<source id>); got "${id}"`);
      const at = iso();
      fn.deployedAt = at;
      fn.isLatestVersion = true;
      fn.versions.forEach((v, i) => {
        v.isDeployed = i === 0;
        if (i === 0) v.deployedAt = at;
      });
      return { functionDeployment: { status: 'SUCCESS' } };
    }
    if (parts[2] === 'versions') {
      if (!switches.versions) throw notFound('resource');
      const fn = find(id);
      if (parts.length === 3 && method === 'GET') {
        const { items, pagination } = paginate(fn.versions, url.searchParams, switches.defaultPageSize);
        return { versions: items, pagination };
      }
      if (parts.length === 3 && method === 'POST') {
        const body = await readJson(req);
        const versionId = (body as { versionId?: unknown }).versionId;
        if (typeof versionId !== 'string' || versionId === '') throw invalid('versionId', 'versionId is required');
        const version = fn.versions.find((v) => v.id === versionId);
        if (!version) throw notFound('version');
        fn.code = version.code;
        newVersion(fn, version.code);
        return { version: fn.versions[0] };
      }
      if (parts.length === 4 && method === 'GET') {
        const version = fn.versions.find((v) => v.id === parts[3]);
        if (!version) throw notFound('version');
        return { version };
      }
      throw methodNotAllowed(method);
    }
    throw notFound('resource');
  };

  const takeFault = (method: string, path: string): FakeFault | null => {
    const index = faults.findIndex((f) => (!f.method || f.method.toUpperCase() === method) && (!f.pathIncludes || path.includes(f.pathIncludes)));
    if (index < 0) return null;
    const fault = faults[index];
    fault.left--;
    if (fault.left <= 0) faults.splice(index, 1);
    return fault;
  };

  const server = http.createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      if (url.pathname.startsWith('/__fake/')) return control(req, res, url);
      const method = req.method ?? 'GET';
      const auth = roleOf(req.headers.authorization, roles);
      const record: FakeRequestRecord = {
        method,
        path: url.pathname,
        query: url.search,
        contentType: req.headers['content-type'] ?? null,
        accept: req.headers.accept ?? null,
        auth,
        status: 0,
      };
      requests.push(record);
      if (switches.latencyMs > 0) await sleep(switches.latencyMs);
      const fault = takeFault(method, url.pathname);
      if (fault?.delayMs) await sleep(fault.delayMs);
      if (fault?.drop) {
        record.status = -1;
        req.socket.destroy();
        return;
      }
      let status = 200;
      let body: unknown;
      let headers: Record<string, string>;
      try {
        // A fault below 400 is only a delay (a slow answer); the request is then served normally.
        if (fault && fault.status >= 400) throw faultFailure(fault, now());
        if (auth === 'missing') throw new HttpFailure(401, { type: 'unauthorized', message: 'Missing Authorization header: send "Authorization: Bearer <token>"' });
        if (auth === 'invalid') throw new HttpFailure(401, { type: 'unauthorized', message: 'Invalid or expired token' });
        const accept = req.headers.accept;
        if (accept && !/json|\*\/\*/i.test(accept)) throw new HttpFailure(406, { type: 'not-acceptable', message: `Cannot produce ${accept}` });
        const parts = url.pathname.split('/').filter(Boolean);
        // The role is checked before a body is read, as a permission check comes first.
        if (method !== 'GET' && auth === 'read-only') {
          throw unauthorizedRole(url.pathname.endsWith('/deploy') ? 'Source Admin or Workspace Owner' : 'Functions Admin');
        }
        const data = parts[0] === 'functions' && parts.length >= 2 ? await routeFunction(req, url, auth) : await route(req, url);
        body = { data };
        consumed++;
        headers = rateHeaders(consumed, now());
      } catch (err) {
        const failure = err instanceof HttpFailure ? err : new HttpFailure(500, { type: 'internal', message: (err as Error).message });
        status = failure.status;
        body = { errors: [failure.error] };
        headers = failure.headers;
      }
      record.status = status;
      const text = JSON.stringify(body);
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text), ...headers });
      res.end(text);
    })().catch((err: Error) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ errors: [{ type: 'internal', message: err.message }] }));
    });
  });

  const control = async (req: http.IncomingMessage, res: http.ServerResponse, url: URL): Promise<void> => {
    const send = (status: number, value: unknown): void => {
      const text = JSON.stringify(value);
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(text);
    };
    try {
      const what = url.pathname.slice('/__fake/'.length);
      const method = req.method ?? 'GET';
      if (what === 'faults' && method === 'POST') {
        const fault = (await readJson(req)) as FakeFault;
        if (typeof fault.status !== 'number') throw badRequest('a fault needs "status" (e.g. 429, 503, or 0 with "drop": true)');
        api.injectFault(fault);
        return send(200, { ok: true, pending: faults.length });
      }
      if (what === 'faults' && method === 'DELETE') {
        api.clearFaults();
        return send(200, { ok: true });
      }
      if (what === 'switches' && method === 'POST') {
        const patch = (await readJson(req)) as Partial<FakeSegmentSwitches>;
        for (const key of Object.keys(patch) as Array<keyof FakeSegmentSwitches>) {
          if (!(key in switches)) throw badRequest(`unknown switch "${key}" (known: ${Object.keys(switches).join(', ')})`);
          (switches as unknown as Record<string, unknown>)[key] = patch[key];
        }
        return send(200, switches);
      }
      if (what === 'requests' && method === 'GET') return send(200, requests);
      if (what === 'reset' && method === 'POST') {
        api.reset();
        return send(200, { ok: true });
      }
      if (what === 'functions' && method === 'POST') {
        return send(200, api.seed((await readJson(req)) as Parameters<FakeSegment['seed']>[0]));
      }
      if (what.startsWith('functions/') && method === 'PATCH') {
        return send(200, api.edit(decodeURIComponent(what.slice('functions/'.length)), (await readJson(req)) as Parameters<FakeSegment['edit']>[1]));
      }
      if (what.startsWith('functions/') && method === 'DELETE') {
        api.remove(decodeURIComponent(what.slice('functions/'.length)));
        return send(200, { ok: true });
      }
      throw notFound('control endpoint');
    } catch (err) {
      const failure = err instanceof HttpFailure ? err : new HttpFailure(500, { type: 'internal', message: (err as Error).message });
      send(failure.status, { errors: [failure.error] });
    }
  };

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;

  const api: FakeSegment = {
    url: `http://127.0.0.1:${port}`,
    port,
    switches,
    requests,
    injectFault(fault) {
      faults.push({ ...fault, left: fault.count ?? 1 });
    },
    clearFaults() {
      faults.length = 0;
    },
    reset() {
      functions.clear();
      faults.length = 0;
      requests.length = 0;
    },
    seed(input) {
      return view(create(checkCreate({ resourceType: 'DESTINATION', ...input })));
    },
    edit(id, patch) {
      const fn = find(id);
      update(fn, checkUpdate(patch));
      return view(fn);
    },
    remove(id) {
      find(id);
      functions.delete(id);
    },
    get(id) {
      const fn = functions.get(id);
      return fn ? view(fn) : null;
    },
    close() {
      return new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      });
    },
  };
  return api;
}

function roleOf(header: string | undefined, roles: Map<string, FakeRole>): FakeRole | 'missing' | 'invalid' {
  if (!header) return 'missing';
  const match = /^Bearer\s+(\S+)$/i.exec(header.trim());
  if (!match) return 'invalid';
  return roles.get(match[1]) ?? 'invalid';
}

function unauthorizedRole(needed: string): HttpFailure {
  return new HttpFailure(401, { type: 'unauthorized', message: `The token's role does not have permission for this action (needs ${needed})` });
}

function methodNotAllowed(method: string): HttpFailure {
  return new HttpFailure(404, { type: 'not-found', message: `no ${method} route here` });
}

function faultFailure(fault: FakeFault, now: Date): HttpFailure {
  if (fault.status === 429) {
    const ms = fault.msBeforeNext === undefined ? 1000 : fault.msBeforeNext;
    const retryAfter = fault.retryAfterSec === undefined ? (ms === null ? 1 : Math.ceil(ms / 1000)) : fault.retryAfterSec;
    const resetIn = fault.resetInMs === undefined ? ms : fault.resetInMs;
    const headers: Record<string, string> = { 'x-ratelimit-remaining': '0', 'x-ratelimit-consumed': '21' };
    if (retryAfter !== null) headers['retry-after'] = String(retryAfter);
    if (resetIn !== null) headers['x-ratelimit-reset'] = new Date(now.getTime() + resetIn).toUTCString();
    return new HttpFailure(
      429,
      { type: 'RequestError', message: fault.message ?? 'Too many requests', ...(ms === null ? {} : { data: { remainingPoints: 0, msBeforeNext: ms, consumedPoints: 21 } }) },
      headers,
    );
  }
  const type = fault.status >= 500 ? 'internal' : fault.status === 404 ? 'not-found' : fault.status === 401 ? 'unauthorized' : 'bad-request';
  return new HttpFailure(fault.status, { type, message: fault.message ?? `injected ${fault.status}` });
}

function rateHeaders(consumed: number, now: Date): Record<string, string> {
  return {
    'x-ratelimit-consumed': String(consumed),
    'x-ratelimit-remaining': String(Math.max(0, 1000 - consumed)),
    'x-ratelimit-reset': new Date(now.getTime() + 60_000).toUTCString(),
  };
}

/** `pagination.count` / `pagination[count]` and the same for cursor; cursors are base64 offsets as in the docs' examples. */
function paginate<T>(all: T[], params: URLSearchParams, defaultCount: number): { items: T[]; pagination: { current: string; next?: string; previous?: string; totalEntries: number } } {
  const countText = params.get('pagination.count') ?? params.get('pagination[count]');
  const cursor = params.get('pagination.cursor') ?? params.get('pagination[cursor]');
  let count = defaultCount;
  if (countText !== null) {
    count = Number(countText);
    if (!Number.isInteger(count) || count < 1 || count > 1000) throw invalid('pagination.count', 'pagination.count must be between 1 and 1000');
  }
  let offset = 0;
  if (cursor !== null && cursor !== '') {
    offset = Number(Buffer.from(cursor, 'base64').toString('utf8'));
    if (!Number.isInteger(offset) || offset < 0 || offset > all.length) throw badRequest('pagination.cursor is not a valid cursor');
  }
  const encode = (n: number): string => Buffer.from(String(n)).toString('base64');
  const items = all.slice(offset, offset + count);
  return {
    items,
    pagination: {
      current: encode(offset),
      ...(offset + count < all.length ? { next: encode(offset + count) } : {}),
      ...(offset > 0 ? { previous: encode(Math.max(0, offset - count)) } : {}),
      totalEntries: all.length,
    },
  };
}

function checkSettings(value: unknown): WireSetting[] {
  if (!Array.isArray(value)) throw invalid('settings', 'settings must be an array');
  value.forEach((s: unknown, i) => {
    const field = `settings[${i}]`;
    if (typeof s !== 'object' || s === null) throw invalid(field, `${field} must be an object`);
    const o = s as Record<string, unknown>;
    for (const key of ['name', 'label', 'description']) {
      if (typeof o[key] !== 'string') throw invalid(`${field}.${key}`, `${field}.${key} must be a string`);
    }
    if (o.name === '') throw invalid(`${field}.name`, `${field}.name must not be empty`);
    if (!SETTING_TYPES.includes(o.type as string)) throw invalid(`${field}.type`, `${field}.type must be one of ${SETTING_TYPES.join(', ')}`);
    for (const key of ['required', 'sensitive']) {
      if (typeof o[key] !== 'boolean') throw invalid(`${field}.${key}`, `${field}.${key} must be a boolean`);
    }
  });
  return value as WireSetting[];
}

/** The real API seems to compile code on save: a syntax error came back as 500 internal [OBSERVED]. */
function checkCode(code: unknown): string {
  if (typeof code !== 'string') throw invalid('code', 'code must be a string');
  try {
    new vm.Script(code, { filename: 'handler.js' });
  } catch (err) {
    throw new HttpFailure(500, { type: 'internal', message: `function invocation failed: ${(err as Error).message}` });
  }
  return code;
}

function checkCreate(body: unknown): { displayName: string; code: string; resourceType: ResourceType; settings?: WireSetting[]; description?: string; logoUrl?: string } {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw badRequest('the body must be a JSON object');
  const o = body as Record<string, unknown>;
  if (o.code === undefined) throw invalid('code', 'code is required');
  if (typeof o.displayName !== 'string' || o.displayName.trim() === '') throw invalid('displayName', 'displayName is required');
  if (!(RESOURCE_TYPES as readonly unknown[]).includes(o.resourceType)) throw invalid('resourceType', `resourceType must be one of ${RESOURCE_TYPES.join(', ')}`);
  if (o.description !== undefined && typeof o.description !== 'string') throw invalid('description', 'description must be a string');
  return {
    code: checkCode(o.code),
    displayName: o.displayName,
    resourceType: o.resourceType as ResourceType,
    ...(o.settings !== undefined ? { settings: checkSettings(o.settings) } : {}),
    ...(typeof o.description === 'string' ? { description: o.description } : {}),
    ...(typeof o.logoUrl === 'string' ? { logoUrl: o.logoUrl } : {}),
  };
}

function checkUpdate(body: unknown): { code?: string; settings?: WireSetting[]; displayName?: string; description?: string; logoUrl?: string } {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw badRequest('the body must be a JSON object');
  const o = body as Record<string, unknown>;
  if (o.resourceType !== undefined) throw invalid('resourceType', 'resourceType cannot be changed');
  if (o.displayName !== undefined && (typeof o.displayName !== 'string' || o.displayName.trim() === '')) throw invalid('displayName', 'displayName must not be empty');
  if (o.description !== undefined && typeof o.description !== 'string') throw invalid('description', 'description must be a string');
  return {
    ...(o.code !== undefined ? { code: checkCode(o.code) } : {}),
    ...(o.settings !== undefined ? { settings: checkSettings(o.settings) } : {}),
    ...(typeof o.displayName === 'string' ? { displayName: o.displayName } : {}),
    ...(typeof o.description === 'string' ? { description: o.description } : {}),
    ...(typeof o.logoUrl === 'string' ? { logoUrl: o.logoUrl } : {}),
  };
}

async function readJson(req: http.IncomingMessage): Promise<unknown> {
  const type = req.headers['content-type'];
  if (type !== undefined && !JSON_MEDIA_TYPE.test(type)) throw badRequest(`Content-Type must be application/json or application/vnd.segment.v1+json, got ${type}`);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) throw new HttpFailure(413, { type: 'payload-too-large', message: 'Payload too large' });
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw badRequest('the body is not valid JSON');
  }
}

function randomId(length: number): string {
  const bytes = randomBytes(length);
  let out = '';
  for (let i = 0; i < length; i++) out += BASE62[bytes[i] % 62];
  return out;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
