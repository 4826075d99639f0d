/**
 * What a function is, as every side sees it. Plain data only: these values cross the
 * IPC bridge and the WebSocket, so they must stay JSON-serialisable.
 */
import type { NetworkOptions } from './mock';

export type SettingType = 'STRING' | 'BOOLEAN' | 'TEXT_MAP' | 'ARRAY';
export const SETTING_TYPES: readonly SettingType[] = ['STRING', 'BOOLEAN', 'TEXT_MAP', 'ARRAY'];

/** Segment's FunctionSettingV1 shape. */
export interface FunctionSetting {
  /** Identifier used in code (`settings.apiKey`). */
  name: string;
  label: string;
  description: string;
  type: SettingType;
  required: boolean;
  /** Shown as "Encrypted"; test values live only in the OS keychain. */
  sensitive: boolean;
}

/** The content of function.json. */
export interface FunctionMeta {
  displayName: string;
  description: string;
  resourceType: 'DESTINATION';
  settings: FunctionSetting[];
  /** ISO-8601 UTC. */
  createdAt: string;
  /** ISO-8601 UTC. */
  updatedAt: string;
  /**
   * fnstudio's own field, not Segment's: runs of this function refuse loopback and private
   * addresses too (the network policy's strict mode), as Segment's servers could not reach
   * them. Absent means false.
   */
  strictNetwork?: boolean;
}

/** A list entry; `error` is set when function.json is missing, corrupt or invalid. */
export interface FunctionSummary {
  id: string;
  displayName: string;
  description: string;
  updatedAt: string;
  error?: string;
}

export interface FunctionDetail {
  id: string;
  meta: FunctionMeta;
  code: string;
  /** Opaque version of handler.js on disk (e.g. mtime+size hash): detects external edits. */
  codeVersion: string;
  /** The file `code` is: handler.js, or handler.ts (TypeScript, compiled for runs). */
  handlerFile: 'handler.js' | 'handler.ts';
}

export interface SavedEvent {
  name: string;
  /** Raw JSON text as saved (may be invalid JSON: the editor shows the problem). */
  json: string;
}

export interface TemplateInfo {
  id: string;
  name: string;
  description: string;
  code: string;
}

export interface SampleEvent {
  id: string;
  label: string;
  type: string;
  /** An event object, or an array of events (batch). */
  event: unknown;
}

export interface RunRequest {
  /** Chosen by the caller; used to cancel. */
  runId: string;
  functionId: string;
  /** Code to run (the editor buffer, possibly unsaved). */
  code: string;
  /** Event object or array (batch). */
  input: unknown;
  /**
   * Explicit mock rules and offline flag. Without it the function's own `mocks.json`
   * answers requests, and `offline` (default false) blocks whatever it does not answer.
   * Either way the function's `strictNetwork` (function.json) turns strict mode on.
   */
  network?: NetworkOptions;
  offline?: boolean;
  /** How the studio names the event, kept with the run in the history ("Sample · Track"). */
  eventLabel?: string;
  timeoutMs?: number;
  memoryMb?: number;
}

export type Theme = 'system' | 'light' | 'dark';
export const THEMES: readonly Theme[] = ['system', 'light', 'dark'];

export interface Preferences {
  theme: Theme;
  /** Empty string: the default location (see core/workspace-location). */
  workspacePath: string;
  lastFunctionId: string | null;
  paneSizes: Record<string, number>;
  defaultTimeoutMs: number;
}

/**
 * What decided the workspace folder: the `--workspace` flag, the FNSTUDIO_WORKSPACE
 * environment variable, the workspacePath preference, the default (`<home>/fnstudio-functions`),
 * or the host itself (a test or an embedding that fixed the folder).
 */
export type WorkspaceSource = 'flag' | 'env' | 'preference' | 'default' | 'host';
export const WORKSPACE_SOURCES: readonly WorkspaceSource[] = ['flag', 'env', 'preference', 'default', 'host'];

export interface WorkspaceInfo {
  /** The folder in use, absolute. */
  root: string;
  source: WorkspaceSource;
  /**
   * Whether a change of the workspacePath preference moves the workspace now. False when
   * the flag, the environment variable or the host decides: the preference is then only
   * saved, for a start without them.
   */
  followsPreference: boolean;
}

/** Test value of one setting: STRING → string, BOOLEAN → boolean, ARRAY → string[], TEXT_MAP → map. null clears it. */
export type SettingValue = string | boolean | string[] | Record<string, string> | null;

export interface SettingsTestValues {
  /** Non-secret test values. */
  values: Record<string, unknown>;
  /** For sensitive settings: only whether a value is stored. */
  secretsSet: Record<string, boolean>;
  keychain: { available: boolean; problem?: string };
}
