/**
 * Sync between local function folders and Segment workspaces (remotes): link, pull, push,
 * status, diff, versions, restore, and conflict resolution. Host-neutral: the CLI and the
 * app's services both drive this.
 *
 * Rules: nothing is overwritten silently on either side. Pulling over local edits and
 * pushing over remote edits (both measured against the base: the hashes recorded at the
 * last pull or push) are conflicts that write nothing. Whatever is replaced is first
 * copied to the function's .fnstudio/backups/. On any remote failure nothing local changes.
 */
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { FunctionMeta, FunctionSetting } from '../../contract/function';
import { functionIdProblem, slugify } from '../../contract/ids';
import { displayNameCheck, settingsListCheck } from '../../contract/methods';
import type {
  ConflictChoice,
  DeployReport,
  FunctionSyncStatus,
  PullResult,
  PushPreview,
  PushResult,
  RemoteFunctionInfo,
  SyncConflict,
  SyncTexts,
  VersionInfo,
  VersionsResult,
} from '../../contract/sync';
import { writeFileAtomic } from '../atomic-write';
import { META_FILE, serializeMeta } from '../function-meta';
import { writeFolderGitignore } from '../folder-gitignore';
import type { FunctionsClient } from '../remote/functions-client';
import { RemoteError } from '../remote/remote-error';
import { RESOURCE_TYPES, type WireFunction } from '../remote/wire';
import { EVENTS_DIR, HANDLER_FILE } from '../workspace';
import { inferSuffix, observeSuffix, stripSuffix, type NameSuffix } from './display-name';
import {
  BASE_FILE,
  backup,
  codeHash,
  linkOnDisk,
  readBase,
  readLocalFunction,
  settingsHash,
  settingsText,
  textsOf,
  writeBase,
  writeMeta,
  type LinkRecord,
  type LocalFunction,
} from './local-function';
import { unifiedDiff } from './text-diff';
import { REMOTE_JS_FILE, TS_HANDLER_FILE, typeErrors } from './typescript-source';

export interface SyncEngineOptions {
  /** A client for the named remote (the host decides: keychain or environment token, wait reporting). */
  connect(remoteName: string): Promise<FunctionsClient>;
  /** Compiles the code in the runtime; resolves with the problem, or null when it compiles. */
  compileCheck?(code: string): Promise<string | null>;
  now?: () => Date;
}

/** Bad local input: not a function folder, not linked, nothing to restore… (CLI exit 2). */
export class SyncInputError extends Error {
  override readonly name = 'SyncInputError';
}

const VERSIONS_UNAVAILABLE = 'versions are not available for this workspace (the versions endpoints are alpha; the API answered';

export class SyncEngine {
  private readonly options: SyncEngineOptions;
  private readonly now: () => Date;

  constructor(options: SyncEngineOptions) {
    this.options = options;
    this.now = options.now ?? (() => new Date());
  }

  /** Every function of the remote, every type; only DESTINATION ones are pullable. */
  async listRemote(remoteName: string, root: string): Promise<RemoteFunctionInfo[]> {
    const client = await this.options.connect(remoteName);
    const links = await this.linksIn(root);
    const out: RemoteFunctionInfo[] = [];
    for (const type of RESOURCE_TYPES) {
      let items;
      try {
        items = (await client.listFunctions(type)).items;
      } catch (err) {
        // Newer types may be refused as a filter by an older API; the other types still list.
        if (type !== 'DESTINATION' && err instanceof RemoteError && err.kind === 'invalid') continue;
        throw err;
      }
      const suffix = type === 'DESTINATION' ? inferSuffix(items.map((f) => f.displayName ?? '')) : null;
      for (const item of items) {
        if (!item.id) continue;
        out.push({
          id: item.id,
          displayName: stripSuffix(item.displayName ?? item.id, suffix),
          resourceType: item.resourceType ?? type,
          description: item.description ?? '',
          pullable: type === 'DESTINATION',
          linkedTo: links.find((l) => l.link.name === remoteName && l.link.functionId === item.id)?.id ?? null,
        });
      }
    }
    return out;
  }

  /**
   * Pulls the chosen destination functions (ids or display names; 'all') into `root`.
   * A new one becomes a new folder; a linked one is updated unless it has local edits
   * that differ from the remote (a conflict: nothing written).
   */
  async pull(root: string, remoteName: string, selection: 'all' | readonly string[]): Promise<PullResult[]> {
    const client = await this.options.connect(remoteName);
    const list = (await client.listFunctions('DESTINATION')).items.filter((f) => typeof f.id === 'string');
    const suffix = inferSuffix(list.map((f) => f.displayName ?? ''));
    let chosen = list;
    if (selection !== 'all') {
      chosen = [];
      for (const wanted of selection) {
        const matches = list.filter((f) => f.id === wanted || f.displayName === wanted || stripSuffix(f.displayName ?? '', suffix) === wanted);
        if (matches.length === 0) throw new SyncInputError(`remote "${remoteName}" has no destination function with id or name "${wanted}"`);
        if (matches.length > 1) throw new SyncInputError(`"${wanted}" names ${matches.length} functions in remote "${remoteName}"; use an id (${matches.map((m) => m.id).join(', ')})`);
        if (!chosen.includes(matches[0])) chosen.push(matches[0]);
      }
    }
    await fs.mkdir(root, { recursive: true });
    const links = await this.linksIn(root);
    const results: PullResult[] = [];
    for (const item of chosen) {
      // Read fully first: on a failure nothing local is written for this function.
      const remote = await client.getFunction(item.id!);
      const linked = links.find((l) => l.link.name === remoteName && l.link.functionId === item.id);
      results.push(linked ? await this.pullInto(linked, remote, suffix) : await this.pullNew(root, remoteName, remote, suffix));
    }
    return results;
  }

  private async pullNew(root: string, remoteName: string, remote: WireFunction, suffix: NameSuffix | null): Promise<PullResult> {
    const id = remote.id!;
    const converted = this.toLocal(remote, suffix);
    if ('problem' in converted) return { remoteFunctionId: id, functionId: null, action: 'skipped', message: converted.problem };
    const { meta, code } = converted;
    const link = this.linkFor(remoteName, id, code, meta.settings, suffix, { pulledAt: this.now().toISOString() }, null);
    const staging = path.join(root, `.new-${randomBytes(6).toString('hex')}`);
    await fs.mkdir(path.join(staging, EVENTS_DIR), { recursive: true });
    try {
      await writeFileAtomic(path.join(staging, HANDLER_FILE), code);
      await writeFileAtomic(path.join(staging, META_FILE), serializeMeta(meta, { remote: linkOnDisk(link) }));
      await writeBase(staging, textsOf(code, meta));
      await writeFolderGitignore(staging);
      const folder = await claimFolder(root, staging, slugify(meta.displayName) || 'function');
      return { remoteFunctionId: id, functionId: folder, action: 'created', message: `pulled "${meta.displayName}" into ${folder}/` };
    } catch (err) {
      await fs.rm(staging, { recursive: true, force: true });
      throw err;
    }
  }

  private async pullInto(local: LocalFunction & { link: LinkRecord }, remote: WireFunction, listSuffix: NameSuffix | null): Promise<PullResult> {
    const suffix = local.link.nameSuffix?.evidence === 'observed' ? local.link.nameSuffix : listSuffix ?? local.link.nameSuffix;
    const converted = this.toLocal(remote, suffix, local.meta);
    if ('problem' in converted) return { remoteFunctionId: local.link.functionId, functionId: local.id, action: 'skipped', message: converted.problem };
    const { meta, code } = converted;
    const localChanged = changedSince(local.link, local.code, local.meta.settings);
    const same = codeHash(code) === codeHash(local.code) && settingsHash(meta.settings) === settingsHash(local.meta.settings);
    const times = { pulledAt: this.now().toISOString(), pushedAt: local.link.pushedAt };
    const link = this.linkFor(local.link.name, local.link.functionId, code, meta.settings, suffix, times, same ? compiledFromOf(local) : local.typescript ? local.link.compiledFrom : null);
    if (!same && local.typescript) return this.pullIntoTypeScript(local, remote, suffix, { meta, code }, link);
    if (same) {
      await writeMeta(local.dir, { ...local.meta, displayName: meta.displayName, description: meta.description }, local.raw, link);
      await writeBase(local.dir, textsOf(code, meta));
      return { remoteFunctionId: local.link.functionId, functionId: local.id, action: 'unchanged', message: `${local.id}/ already matches the remote` };
    }
    if (localChanged.length > 0) {
      const conflict = await this.conflictOf(local, remote, suffix);
      return { remoteFunctionId: local.link.functionId, functionId: local.id, action: 'conflict', message: `${local.id}/ has local changes (${localChanged.join(', ')}) and the remote differs: nothing was written`, conflict };
    }
    const saved = await this.backupLocal(local, 'local-before-pull');
    await writeFileAtomic(path.join(local.dir, HANDLER_FILE), code);
    await writeMeta(local.dir, { ...meta, createdAt: local.meta.createdAt }, local.raw, link);
    await writeBase(local.dir, textsOf(code, meta));
    return { remoteFunctionId: local.link.functionId, functionId: local.id, action: 'updated', message: `updated ${local.id}/ from the remote (previous files kept in ${path.relative(local.dir, saved)})`, backup: saved };
  }

  /**
   * Pull into a handler.ts folder whose compiled code or settings differ from the remote.
   * handler.ts is never written: remote JavaScript that changed since the base (and is not
   * this TypeScript's compilation) goes to handler.remote.js and the pull is a conflict;
   * otherwise only function.json follows the remote (its settings, when only the remote
   * changed them).
   */
  private async pullIntoTypeScript(local: LocalFunction & { link: LinkRecord }, remote: WireFunction, suffix: NameSuffix | null, converted: { meta: FunctionMeta; code: string }, link: LinkRecord): Promise<PullResult> {
    const { meta, code } = converted;
    const remoteCodeChanged = codeHash(code) !== local.link.codeHash && codeHash(code) !== codeHash(local.code);
    const ids = { remoteFunctionId: local.link.functionId, functionId: local.id };
    if (remoteCodeChanged) {
      const file = path.join(local.dir, REMOTE_JS_FILE);
      const previous = await fs.readFile(file, 'utf8').catch(() => null);
      // A handler.remote.js the user edited is kept, like any file fnstudio replaces.
      if (previous !== null && previous !== code) await backup(local.dir, 'remote-js-before-pull', { [REMOTE_JS_FILE]: previous }, this.now());
      await writeFileAtomic(file, code);
      const conflict = await this.conflictOf(local, remote, suffix);
      return {
        ...ids,
        action: 'conflict',
        message:
          `${local.id}/${TS_HANDLER_FILE} is TypeScript and its JavaScript changed in remote "${local.link.name}" since your last pull or push; ` +
          `fnstudio never replaces ${TS_HANDLER_FILE} with JavaScript. The remote's code is in ${path.join(local.id, REMOTE_JS_FILE)}: carry its changes into ${TS_HANDLER_FILE}, ` +
          `then push with --overwrite-remote (in the app: Keep mine, then save). Nothing else was written`,
        conflict,
      };
    }
    // The remote's code is what was last pulled or pushed, or this TypeScript's compilation: only function.json can differ.
    const settingsDiffer = settingsHash(meta.settings) !== settingsHash(local.meta.settings);
    if (settingsDiffer && changedSince(local.link, local.code, local.meta.settings).includes('settings')) {
      const conflict = await this.conflictOf(local, remote, suffix);
      return { ...ids, action: 'conflict', message: `${local.id}/ has local settings changes and the remote's settings differ: nothing was written`, conflict };
    }
    const codeLink = codeHash(code) === codeHash(local.code) ? { ...link, compiledFrom: compiledFromOf(local) } : link;
    if (!settingsDiffer) {
      await writeMeta(local.dir, { ...local.meta, displayName: meta.displayName, description: meta.description }, local.raw, codeLink);
      await writeBase(local.dir, textsOf(code, meta));
      return { ...ids, action: 'unchanged', message: `${local.id}/ already matches the remote (its ${TS_HANDLER_FILE} has edits not pushed yet)` };
    }
    const saved = await this.backupLocal(local, 'local-before-pull');
    await writeMeta(local.dir, { ...local.meta, settings: meta.settings, displayName: meta.displayName, description: meta.description, updatedAt: meta.updatedAt }, local.raw, codeLink);
    await writeBase(local.dir, textsOf(code, meta));
    return { ...ids, action: 'updated', message: `updated ${local.id}/${META_FILE} (settings) from the remote; ${TS_HANDLER_FILE} is unchanged (previous files kept in ${path.relative(local.dir, saved)})`, backup: saved };
  }

  async status(dir: string): Promise<FunctionSyncStatus> {
    const local = await readLocalFunction(dir);
    if (!local.link) return { functionId: local.id, state: 'unlinked', remote: null, ...compiledNote(local) };
    const remoteRef = { name: local.link.name, functionId: local.link.functionId };
    let remote: WireFunction;
    try {
      remote = await (await this.options.connect(local.link.name)).getFunction(local.link.functionId);
    } catch (err) {
      if (err instanceof RemoteError && err.kind === 'not-found') return { functionId: local.id, state: 'remote-deleted', remote: remoteRef };
      return { functionId: local.id, state: 'unknown', remote: remoteRef, problem: (err as Error).message };
    }
    const localChanged = changedSince(local.link, local.code, local.meta.settings).length > 0;
    const remoteChanged = changedSince(local.link, remote.code ?? '', remoteSettings(remote)).length > 0;
    const same = codeHash(remote.code ?? '') === codeHash(local.code) && settingsHash(remoteSettings(remote)) === settingsHash(local.meta.settings);
    const state = same ? 'in-sync' : localChanged && remoteChanged ? 'conflict' : localChanged ? 'local-changes' : remoteChanged ? 'remote-changes' : 'in-sync';
    const problem = typeScriptNote(local);
    return { functionId: local.id, state, remote: remoteRef, deployed: deployedState(remote), ...compiledNote(local), ...(problem ? { problem } : {}) };
  }

  /** Status of every function folder under root (remote calls one after another, to spare rate limits). */
  async statusAll(root: string): Promise<FunctionSyncStatus[]> {
    const out: FunctionSyncStatus[] = [];
    for (const id of await functionFolders(root)) {
      try {
        out.push(await this.status(path.join(root, id)));
      } catch (err) {
        out.push({ functionId: id, state: 'unknown', remote: null, problem: (err as Error).message });
      }
    }
    return out;
  }

  /**
   * What a push would do: checks (compile, settings schema), diffs against the remote as
   * it is now, and the conflict if the remote changed since the base.
   */
  async previewPush(dir: string, remoteName?: string): Promise<PushPreview> {
    const local = await readLocalFunction(dir);
    const problems = await this.checkLocal(local);
    if (!local.link) {
      if (!remoteName) throw new SyncInputError(`${local.id}/ is not linked to a Segment workspace; name the remote to create it there (--remote NAME)`);
      await this.options.connect(remoteName);
      const empty: SyncTexts = { code: '', settings: settingsText([]), displayName: '', description: '' };
      return this.preview(local, remoteName, null, empty, problems, null);
    }
    if (remoteName && remoteName !== local.link.name) {
      throw new SyncInputError(`${local.id}/ is linked to remote "${local.link.name}", not "${remoteName}"`);
    }
    const remote = await this.readLinkedRemote(local);
    const remoteTexts = this.remoteTexts(remote, local.link.nameSuffix);
    const conflict = this.isConflict(local, remote) ? await this.conflictOf(local, remote, local.link.nameSuffix) : null;
    return this.preview(local, local.link.name, local.link.functionId, remoteTexts, problems, conflict);
  }

  /**
   * Saves the local function to its remote (creates it when unlinked and `remoteName` is
   * given), then, with `deploy`, calls deploy where the API accepts it, and reads the
   * deployed state back. Stops with the conflict (writing nothing) when the remote
   * changed since the base, unless `overwriteRemote` says the user has seen it (the
   * remote's code is backed up first either way).
   */
  async push(dir: string, options: { deploy?: boolean; remoteName?: string; overwriteRemote?: boolean } = {}): Promise<PushResult> {
    const preview = await this.previewPush(dir, options.remoteName);
    if (preview.problems.length > 0) return { status: 'invalid', problems: preview.problems };
    if (preview.conflict && !options.overwriteRemote) return { status: 'conflict', conflict: preview.conflict };
    const local = await readLocalFunction(dir);
    const client = await this.options.connect(preview.remoteName);
    const suffix = local.link?.nameSuffix ?? null;
    const sentName = stripSuffix(local.meta.displayName, suffix);
    let saved: WireFunction;
    let backupDir: string | null = null;
    let created = false;
    let replacedCode: string | null = null;
    if (local.link && preview.nothingToPush) {
      // Nothing differs: no new version is made; a requested deploy still happens below.
      saved = await client.getFunction(local.link.functionId);
    } else if (local.link) {
      const before = await client.getFunction(local.link.functionId);
      replacedCode = before.code ?? '';
      backupDir = await backup(local.dir, 'remote-before-push', {
        [HANDLER_FILE]: before.code ?? '',
        'settings.json': settingsText(remoteSettings(before)),
        'remote-function.json': `${JSON.stringify({ ...before, code: undefined }, null, 2)}\n`,
      }, this.now());
      saved = await client.updateFunction(local.link.functionId, { code: local.code, settings: local.meta.settings, displayName: sentName, description: local.meta.description });
    } else {
      saved = await client.createFunction({ code: local.code, displayName: sentName, resourceType: 'DESTINATION', settings: local.meta.settings, description: local.meta.description });
      created = true;
    }
    const observed = observeSuffix(sentName, saved.displayName ?? sentName);
    const remoteFunctionId = saved.id!;
    const at = this.now().toISOString();
    const link = this.linkFor(preview.remoteName, remoteFunctionId, local.code, local.meta.settings, observed ?? suffix, { pulledAt: local.link?.pulledAt ?? null, pushedAt: at }, compiledFromOf(local));
    await writeMeta(local.dir, local.meta, local.raw, link);
    await writeBase(local.dir, textsOf(local.code, local.meta));
    if (local.typescript && replacedCode !== null) await removeIfUnchanged(path.join(local.dir, REMOTE_JS_FILE), replacedCode);
    const deploy = await this.deployAfterSave(client, remoteFunctionId, saved, options.deploy === true);
    return { status: 'pushed', functionId: local.id, remoteFunctionId, created, deploy, backup: backupDir };
  }

  private async deployAfterSave(client: FunctionsClient, id: string, saved: WireFunction, requested: boolean): Promise<DeployReport> {
    let call: DeployReport['call'] = 'not-requested';
    let message = 'saved; no deploy call was made';
    if (requested) {
      try {
        await client.deployFunction(id);
        call = 'accepted';
        message = 'saved and deployed: the API accepted the deploy call';
      } catch (err) {
        if (!(err instanceof RemoteError)) throw err;
        const refused = err.kind === 'invalid' || err.kind === 'not-found';
        call = refused ? 'refused' : 'failed';
        message = refused
          ? `saved; the API does not accept a deploy call for this function (${err.serverMessage ?? err.status}). Segment documents deploy for source function instances only; per the legacy docs a destination function's save goes live at once — see the deployed state below`
          : `saved, but the deploy call failed: ${err.message}`;
      }
    }
    // The state is what the API says after the save (and deploy), not what we assume.
    let after = saved;
    try {
      after = await client.getFunction(id);
    } catch {
      // The save happened; the state from its own answer is still what the API said.
    }
    let latestVersionDeployed: boolean | null = null;
    try {
      const versions = await client.listVersions(id);
      latestVersionDeployed = versions.items[0]?.isDeployed ?? null;
    } catch {
      // Versions are alpha and may be missing; the function's own fields still tell.
    }
    return { requested, call, message, state: deployedState(after), latestVersionDeployed };
  }

  /** Code and settings diffs, remote → local. */
  async diff(dir: string): Promise<{ functionId: string; codeDiff: string; settingsDiff: string; metaChanges: string[]; linked: boolean }> {
    const local = await readLocalFunction(dir);
    if (!local.link) throw new SyncInputError(`${local.id}/ is not linked to a Segment workspace; pull it or push it first`);
    if (local.typescript?.problem) throw new SyncInputError(`${TS_HANDLER_FILE} does not compile, so there is no JavaScript to compare: ${local.typescript.problem}`);
    const remote = await this.readLinkedRemote(local);
    const p = this.preview(local, local.link.name, local.link.functionId, this.remoteTexts(remote, local.link.nameSuffix), [], null);
    return { functionId: local.id, codeDiff: p.codeDiff, settingsDiff: p.settingsDiff, metaChanges: p.metaChanges, linked: true };
  }

  /**
   * Settles a conflict. Keep mine: the remote as it is now becomes the base, so the next
   * push replaces it (after a preview). Take theirs: the remote replaces the local files.
   * Merged: the given text replaces the local files and the remote becomes the base.
   * Replaced local files are backed up.
   */
  async resolve(dir: string, choice: ConflictChoice): Promise<{ backup: string | null }> {
    const local = await readLocalFunction(dir);
    if (!local.link) throw new SyncInputError(`${local.id}/ is not linked to a Segment workspace`);
    const remote = await this.readLinkedRemote(local);
    const converted = this.toLocal(remote, local.link.nameSuffix, local.meta);
    if ('problem' in converted) throw new SyncInputError(converted.problem);
    if (local.typescript && !('keep' in choice)) {
      throw new SyncInputError(
        `${local.id}/${TS_HANDLER_FILE} is TypeScript: fnstudio never replaces it with the remote's JavaScript. Pull writes the remote's code to ${REMOTE_JS_FILE}; carry its changes into ${TS_HANDLER_FILE}, then keep yours (Keep mine, or push --overwrite-remote)`,
      );
    }
    const baseLink = this.linkFor(local.link.name, local.link.functionId, converted.code, converted.meta.settings, local.link.nameSuffix, { pulledAt: this.now().toISOString(), pushedAt: local.link.pushedAt }, local.link.compiledFrom);
    const remoteTexts = textsOf(converted.code, converted.meta);
    if ('keep' in choice) {
      await writeMeta(local.dir, local.meta, local.raw, baseLink);
      await writeBase(local.dir, remoteTexts);
      return { backup: null };
    }
    const saved = await this.backupLocal(local, 'local-before-resolve');
    if ('take' in choice) {
      await writeFileAtomic(path.join(local.dir, HANDLER_FILE), converted.code);
      await writeMeta(local.dir, { ...converted.meta, createdAt: local.meta.createdAt }, local.raw, baseLink);
    } else {
      let settings = local.meta.settings;
      if (choice.merged.settings !== undefined) {
        let parsed: unknown;
        try {
          parsed = JSON.parse(choice.merged.settings);
        } catch (err) {
          throw new SyncInputError(`the merged settings are not valid JSON: ${(err as Error).message}`);
        }
        const problem = settingsListCheck(parsed);
        if (problem) throw new SyncInputError(`the merged settings ${problem}`);
        settings = parsed as FunctionSetting[];
      }
      await writeFileAtomic(path.join(local.dir, HANDLER_FILE), choice.merged.code);
      await writeMeta(local.dir, { ...local.meta, settings, updatedAt: this.now().toISOString() }, local.raw, baseLink);
    }
    await writeBase(local.dir, remoteTexts);
    return { backup: saved };
  }

  /** Forgets the link (e.g. the remote function was deleted); the files stay as they are. */
  async unlink(dir: string): Promise<void> {
    const local = await this.linked(dir);
    await writeMeta(local.dir, local.meta, local.raw, null);
    await fs.rm(path.join(local.dir, BASE_FILE), { force: true });
  }

  async versions(dir: string): Promise<VersionsResult> {
    const local = await this.linked(dir);
    const client = await this.options.connect(local.link.name);
    try {
      const list = await client.listVersions(local.link.functionId);
      return {
        available: true,
        versions: list.items.map((v): VersionInfo => ({ id: v.id, author: v.author ?? null, createdAt: v.createdAt ?? null, deployedAt: v.deployedAt ?? null, isDeployed: v.isDeployed ?? null })),
      };
    } catch (err) {
      if (versionsUnavailable(err)) return { available: false, message: `${VERSIONS_UNAVAILABLE} ${(err as RemoteError).status})`, versions: [] };
      throw err;
    }
  }

  async versionCode(dir: string, versionId: string): Promise<string> {
    const local = await this.linked(dir);
    try {
      return (await (await this.options.connect(local.link.name)).getVersion(local.link.functionId, versionId)).code;
    } catch (err) {
      if (versionsUnavailable(err) && (err as RemoteError).status === 401) throw new SyncInputError(`${VERSIONS_UNAVAILABLE} 401)`);
      throw err;
    }
  }

  /**
   * Restores a version remotely (a new latest version with its code). When the local code
   * has no edits since the base, the local files follow (backed up first); otherwise they
   * are left alone and the function shows remote changes.
   */
  async restore(dir: string, versionId: string): Promise<{ versionId: string; localUpdated: boolean; message: string; backup: string | null }> {
    const local = await this.linked(dir);
    const client = await this.options.connect(local.link.name);
    let restored;
    try {
      restored = await client.restoreVersion(local.link.functionId, versionId);
    } catch (err) {
      if (versionsUnavailable(err) && (err as RemoteError).status === 401) throw new SyncInputError(`${VERSIONS_UNAVAILABLE} 401)`);
      throw err;
    }
    if (changedSince(local.link, local.code, local.meta.settings).length > 0) {
      return { versionId: restored.id, localUpdated: false, message: `restored version ${versionId} in the Segment workspace as new version ${restored.id}; ${local.id}/ has local edits, which were kept (status: conflict or remote changes)`, backup: null };
    }
    const remote = await client.getFunction(local.link.functionId);
    const result = await this.pullInto(local, remote, null);
    return { versionId: restored.id, localUpdated: result.action === 'updated', message: `restored version ${versionId} as new version ${restored.id}; ${result.message}`, backup: result.backup ?? null };
  }

  // ── helpers ──────────────────────────────────────────────────────────────

  private async linked(dir: string): Promise<LocalFunction & { link: LinkRecord }> {
    const local = await readLocalFunction(dir);
    if (!local.link) throw new SyncInputError(`${local.id}/ is not linked to a Segment workspace; pull it or push it first`);
    return local as LocalFunction & { link: LinkRecord };
  }

  private async readLinkedRemote(local: LocalFunction): Promise<WireFunction> {
    const link = local.link!;
    try {
      return await (await this.options.connect(link.name)).getFunction(link.functionId);
    } catch (err) {
      if (err instanceof RemoteError && err.kind === 'not-found') {
        throw new RemoteError('not-found', 'get function', `function ${link.functionId} no longer exists in remote "${link.name}" (deleted there). Your local files are untouched; to create it anew, unlink it (the app's Segment tab, or delete the "remote" field from ${local.id}/${META_FILE}) and push with --remote ${link.name}`, 404);
      }
      throw err;
    }
  }

  private async checkLocal(local: LocalFunction): Promise<string[]> {
    const problems: string[] = [];
    const schema = settingsListCheck(local.meta.settings);
    if (schema) problems.push(`settings schema: ${schema}`);
    const name = displayNameCheck(local.meta.displayName);
    if (name) problems.push(`display name ${name}`);
    if (local.typescript) {
      // Segment runs the compiled JavaScript: it must compile, type-check and load.
      if (local.typescript.problem) return [...problems, `${TS_HANDLER_FILE} does not compile: ${local.typescript.problem}`];
      const types = await typeErrors(local.typescript.source, local.dir, local.meta.settings);
      if (types.length > 0) return [...problems, ...types];
    }
    if (this.options.compileCheck) {
      const compile = await this.options.compileCheck(local.code);
      if (compile) problems.push(local.typescript ? `the JavaScript compiled from ${TS_HANDLER_FILE} does not load: ${compile}` : `${HANDLER_FILE} does not compile: ${compile}`);
    }
    return problems;
  }

  private isConflict(local: LocalFunction, remote: WireFunction): boolean {
    const link = local.link!;
    const remoteChanged = changedSince(link, remote.code ?? '', remoteSettings(remote)).length > 0;
    const same = codeHash(remote.code ?? '') === codeHash(local.code) && settingsHash(remoteSettings(remote)) === settingsHash(local.meta.settings);
    return remoteChanged && !same;
  }

  private async conflictOf(local: LocalFunction, remote: WireFunction, suffix: NameSuffix | null): Promise<SyncConflict> {
    const link = local.link!;
    return {
      functionId: local.id,
      base: await readBase(local.dir, link),
      local: textsOf(local.code, local.meta),
      remote: this.remoteTexts(remote, suffix),
      localChanged: changedSince(link, local.code, local.meta.settings),
      remoteChanged: changedSince(link, remote.code ?? '', remoteSettings(remote)),
    };
  }

  private preview(local: LocalFunction, remoteName: string, remoteFunctionId: string | null, remote: SyncTexts, problems: string[], conflict: SyncConflict | null): PushPreview {
    const mine = textsOf(local.code, local.meta);
    const where = remoteFunctionId ? `${remoteName}:${remoteFunctionId}` : `${remoteName} (new)`;
    const mineLabel = local.typescript ? `${local.id}/${TS_HANDLER_FILE} (compiled)` : `${local.id}/${HANDLER_FILE}`;
    const codeDiff = unifiedDiff(remote.code, mine.code, { before: `${where}/${HANDLER_FILE}`, after: mineLabel });
    const settingsDiff = unifiedDiff(remote.settings, mine.settings, { before: `${where} settings`, after: `${local.id}/${META_FILE} settings` });
    const metaChanges: string[] = [];
    const sentName = stripSuffix(mine.displayName, local.link?.nameSuffix ?? null);
    if (remote.displayName !== sentName) metaChanges.push(`display name: ${JSON.stringify(remote.displayName)} → ${JSON.stringify(sentName)}`);
    if (remote.description !== mine.description) metaChanges.push(`description: ${JSON.stringify(remote.description)} → ${JSON.stringify(mine.description)}`);
    return {
      functionId: local.id,
      remoteName,
      remoteFunctionId,
      remote,
      local: mine,
      codeDiff,
      settingsDiff,
      metaChanges,
      problems,
      conflict,
      nothingToPush: remoteFunctionId !== null && codeDiff === '' && settingsDiff === '' && metaChanges.length === 0,
      ...compiledNote(local),
    };
  }

  private remoteTexts(remote: WireFunction, suffix: NameSuffix | null): SyncTexts {
    return {
      code: remote.code ?? '',
      settings: settingsText(remoteSettings(remote)),
      displayName: stripSuffix(remote.displayName ?? '', suffix),
      description: remote.description ?? '',
    };
  }

  /** The remote function as local meta + code, or the reason it cannot be a local function. */
  private toLocal(remote: WireFunction, suffix: NameSuffix | null, existing?: FunctionMeta): { meta: FunctionMeta; code: string } | { problem: string } {
    const id = remote.id ?? '?';
    if (remote.resourceType && remote.resourceType !== 'DESTINATION') return { problem: `${id} is a ${remote.resourceType} function; only destination functions can be pulled` };
    const settings = remoteSettings(remote);
    const settingsProblem = settingsListCheck(settings);
    if (settingsProblem) return { problem: `${id}: its settings cannot be kept here: ${settingsProblem}` };
    const displayName = stripSuffix(remote.displayName ?? id, suffix).trim() || id;
    const nameProblem = displayNameCheck(displayName);
    if (nameProblem) return { problem: `${id}: its display name ${nameProblem}` };
    const now = this.now().toISOString();
    return {
      code: remote.code ?? '',
      meta: {
        displayName,
        description: remote.description ?? '',
        resourceType: 'DESTINATION',
        settings,
        createdAt: existing?.createdAt ?? (remote.createdAt && !Number.isNaN(Date.parse(remote.createdAt)) ? remote.createdAt : now),
        updatedAt: now,
      },
    };
  }

  private linkFor(
    name: string,
    functionId: string,
    code: string,
    settings: FunctionSetting[],
    suffix: NameSuffix | null,
    times: { pulledAt?: string | null; pushedAt?: string | null },
    compiledFrom: LinkRecord['compiledFrom'],
  ): LinkRecord {
    return {
      name,
      functionId,
      resourceType: 'DESTINATION',
      codeHash: codeHash(code),
      settingsHash: settingsHash(settings),
      nameSuffix: suffix,
      pulledAt: times.pulledAt ?? null,
      pushedAt: times.pushedAt ?? null,
      compiledFrom,
    };
  }

  private async backupLocal(local: LocalFunction, reason: string): Promise<string> {
    const metaText = await fs.readFile(path.join(local.dir, META_FILE), 'utf8');
    return backup(local.dir, reason, { [HANDLER_FILE]: local.code, [META_FILE]: metaText }, this.now());
  }

  private async linksIn(root: string): Promise<Array<LocalFunction & { link: LinkRecord }>> {
    const out: Array<LocalFunction & { link: LinkRecord }> = [];
    for (const id of await functionFolders(root)) {
      try {
        const local = await readLocalFunction(path.join(root, id));
        if (local.link) out.push(local as LocalFunction & { link: LinkRecord });
      } catch {
        // A broken folder is not a link; status reports it.
      }
    }
    return out;
  }
}

function remoteSettings(remote: WireFunction): FunctionSetting[] {
  return (remote.settings ?? []).map((s) => ({ name: s.name, label: s.label, description: s.description ?? '', type: s.type, required: s.required, sensitive: s.sensitive }));
}

function changedSince(link: LinkRecord, code: string, settings: readonly FunctionSetting[]): Array<'code' | 'settings'> {
  const out: Array<'code' | 'settings'> = [];
  if (codeHash(code) !== link.codeHash) out.push('code');
  if (settingsHash(settings) !== link.settingsHash) out.push('settings');
  return out;
}

function compiledFromOf(local: LocalFunction): LinkRecord['compiledFrom'] {
  return local.typescript ? { file: TS_HANDLER_FILE, sourceHash: codeHash(local.typescript.source) } : null;
}

/** Tells the UI that what Segment gets is the compiled handler.ts. */
function compiledNote(local: LocalFunction): { compiledFrom?: typeof TS_HANDLER_FILE } {
  return local.typescript ? { compiledFrom: TS_HANDLER_FILE } : {};
}

/** Why a handler.ts folder's state may surprise: it does not compile, or compiles differently than when pushed. */
function typeScriptNote(local: LocalFunction): string | null {
  if (!local.typescript || !local.link) return null;
  if (local.typescript.problem) return `${TS_HANDLER_FILE} does not compile: ${local.typescript.problem}`;
  const compiled = local.link.compiledFrom;
  if (compiled && compiled.sourceHash === codeHash(local.typescript.source) && codeHash(local.code) !== local.link.codeHash) {
    return `${TS_HANDLER_FILE} is unchanged since it was pushed, but now compiles to different JavaScript (another TypeScript version?); push to deploy that`;
  }
  return null;
}

/** Deletes a file fnstudio wrote, unless the user changed it since. */
async function removeIfUnchanged(file: string, expected: string): Promise<void> {
  const text = await fs.readFile(file, 'utf8').catch(() => null);
  if (text === expected) await fs.rm(file, { force: true });
}

function deployedState(fn: WireFunction): { deployedAt: string | null; isLatestVersion: boolean | null } {
  return { deployedAt: typeof fn.deployedAt === 'string' ? fn.deployedAt : null, isLatestVersion: typeof fn.isLatestVersion === 'boolean' ? fn.isLatestVersion : null };
}

function versionsUnavailable(err: unknown): boolean {
  return err instanceof RemoteError && (err.status === 404 || err.status === 401);
}

async function functionFolders(root: string): Promise<string[]> {
  let names: string[];
  try {
    names = await fs.readdir(root);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  const out: string[] = [];
  for (const name of names.sort()) {
    if (functionIdProblem(name) !== null) continue;
    const isFn = await fs.stat(path.join(root, name, META_FILE)).then((s) => s.isFile(), () => false);
    if (isFn) out.push(name);
  }
  return out;
}

/** Renames the staging folder to the first free `<base>`, `<base>-2`, … */
async function claimFolder(root: string, staging: string, base: string): Promise<string> {
  for (let n = 1; n < 1000; n++) {
    const suffix = n === 1 ? '' : `-${n}`;
    const id = `${base.slice(0, 64 - suffix.length).replace(/-+$/, '')}${suffix}`;
    const target = path.join(root, id);
    if (await fs.stat(target).then(() => true, () => false)) continue;
    try {
      await fs.rename(staging, target);
      return id;
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code !== 'ENOTEMPTY' && code !== 'EEXIST') throw err;
    }
  }
  throw new SyncInputError(`too many folders named like "${base}" in ${root}`);
}
