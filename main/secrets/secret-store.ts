/**
 * Where tokens live: the OS keychain in Electron (safeStorage), a 0600 file in the web shell.
 *
 * [Note: Secrets stay in main]
 * Nothing that implements or uses this interface may hand a secret to the renderer or a log.
 * Domain code (photoprism/, cloudkit/) receives a SecretStore and never knows which one.
 */
export interface SecretStore {
  /** Human description for Settings ("macOS Keychain", "a file readable only by you"). */
  readonly description: string;
  /** True when the store does not really protect secrets (Settings says so); absent = false. */
  readonly weak?: boolean;
  get(key: SecretKey): string | undefined;
  set(key: SecretKey, value: string): void;
  delete(key: SecretKey): void;
}

/** The secrets Photoflare keeps. A closed list, so a typo cannot create a new one. */
export type SecretKey = 'photoprism.session' | 'photoprism.app-password' | 'cloudkit.webAuthToken';

/** An in-memory store for tests and for the demo. */
export class MemorySecretStore implements SecretStore {
  readonly description = 'memory (not persisted)';
  readonly #values = new Map<SecretKey, string>();

  get(key: SecretKey): string | undefined {
    return this.#values.get(key);
  }

  set(key: SecretKey, value: string): void {
    this.#values.set(key, value);
  }

  delete(key: SecretKey): void {
    this.#values.delete(key);
  }
}
