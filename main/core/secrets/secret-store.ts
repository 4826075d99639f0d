/**
 * Where encrypted settings' test values live: only in an OS keychain, behind this
 * interface so another backend can replace keytar. Nothing here ever falls back to
 * plaintext storage.
 */
import { FnStudioError } from '../../contract/errors';
import { functionIdProblem, settingNameProblem } from '../../contract/ids';

export interface KeychainStatus {
  available: boolean;
  /** Why the keychain cannot be used, in words a user can act on. */
  problem?: string;
}

export interface SecretStore {
  /** The stored value, or null when none is stored. A locked keychain may also answer null. */
  get(key: string): Promise<string | null>;
  /** Rejects KeychainUnavailableError / KeychainLockedError; never stores elsewhere. */
  set(key: string, value: string): Promise<void>;
  /** Resolves true when an entry was removed. */
  delete(key: string): Promise<boolean>;
  /** Moves the value from one key to another; resolves false when `from` had no value. */
  move(from: string, to: string): Promise<boolean>;
  /** Whether the keychain can be read and written right now (may write a probe entry). */
  available(): Promise<KeychainStatus>;
}

/** The keychain account of one setting of one function: `<functionId>/<settingName>`. */
/** The local keychain id kept in a function's settings.local.json (a random UUID). */
export const KEYCHAIN_ID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * The keychain account of one setting's secret. `keychainId` scopes it to one function
 * folder on this machine, so two workspaces that each hold a function of the same name
 * never share, or overwrite, each other's secrets.
 */
export function secretKey(functionId: string, settingName: string, keychainId?: string): string {
  const idProblem = functionIdProblem(functionId);
  if (idProblem) throw new FnStudioError('InvalidArgument', `function id ${idProblem}`);
  const nameProblem = settingNameProblem(settingName);
  if (nameProblem) throw new FnStudioError('InvalidArgument', `setting name ${nameProblem}`);
  if (keychainId === undefined) return `${functionId}/${settingName}`;
  if (!KEYCHAIN_ID_PATTERN.test(keychainId)) throw new FnStudioError('InvalidArgument', `keychain id ${JSON.stringify(keychainId)} is not a UUID`);
  return `${functionId}/${keychainId}/${settingName}`;
}

/**
 * The keychain cannot be reached (no Secret Service, no D-Bus session, native module
 * missing). Crosses the wire as KeychainUnavailable.
 */
export class KeychainUnavailableError extends FnStudioError {
  readonly reason: 'unavailable' | 'locked';
  /** The keychain's problem alone, when the message adds what could not be done because of it. */
  readonly problem: string;
  constructor(message: string, reason: 'unavailable' | 'locked' = 'unavailable', problem: string = message) {
    super('KeychainUnavailable', message);
    this.reason = reason;
    this.problem = problem;
  }
}

/**
 * The keychain is there but locked: reads answer null and writes fail. Shares the wire
 * name KeychainUnavailable (the contract's), with `reason: 'locked'` and its own message.
 */
export class KeychainLockedError extends KeychainUnavailableError {
  constructor(message: string, problem: string = message) {
    super(message, 'locked', problem);
  }
}
