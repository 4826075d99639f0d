/** Secrets (encrypted settings' test values) in the OS keychain. */
export { KeychainLockedError, KeychainUnavailableError, secretKey, type KeychainStatus, type SecretStore } from './secret-store';
export { KeytarSecretStore, toKeychainError, type KeytarApi, type KeytarSecretStoreOptions } from './keytar-store';
