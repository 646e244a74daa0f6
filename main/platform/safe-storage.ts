import { chmodSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { z } from 'zod';
import { AppError } from '../../shared/errors';
import type { Logger } from '../log/logger';
import type { SecretKey, SecretStore } from '../secrets/secret-store';

/** The part of Electron's `safeStorage` we use (injected, so tests need no Electron). */
export interface SafeStorageLike {
  isEncryptionAvailable(): boolean;
  encryptString(plainText: string): Buffer;
  decryptString(encrypted: Buffer): string;
  /**
   * Linux only: which backend encrypts. 'basic_text' means no keyring was found and Electron
   * falls back to a key hard-coded in Chromium (Electron docs: safeStorage.getSelectedStorageBackend).
   */
  getSelectedStorageBackend?(): string;
}

/**
 * Where the key that encrypts our secrets lives, in words for Settings, and whether that
 * really protects them. Electron's Linux backends: 'gnome_libsecret', 'kwallet', 'kwallet5',
 * 'kwallet6', 'basic_text' (the hard-coded fallback key), 'unknown' (before `ready`).
 */
export function describeSafeStorage(platform: NodeJS.Platform, backend: string | undefined): { description: string; weak: boolean } {
  if (platform === 'darwin') return { description: 'the macOS Keychain', weak: false };
  if (platform === 'win32') return { description: 'Windows data protection (DPAPI) for your account', weak: false };
  if (backend === 'gnome_libsecret') return { description: 'your desktop keyring (Secret Service)', weak: false };
  if (backend?.startsWith('kwallet')) return { description: 'KWallet', weak: false };
  if (backend === 'basic_text') {
    return {
      description:
        'a file encrypted with a key built into Electron, because no keyring (Secret Service or KWallet) was found: anyone who can read your files can read your sign-ins. Install and unlock a keyring, then restart Photoflare, to protect them',
      weak: true,
    };
  }
  return { description: 'a file encrypted by Electron (the keyring in use could not be determined)', weak: true };
}

/** On disk: base64 ciphertexts only. Version 1 so a future format can be told apart. */
const SecretsFile = z.object({
  version: z.literal(1),
  entries: z.record(z.string(), z.string()),
});

/** File name under the (per-profile) Electron userData folder. */
export const SAFE_STORAGE_FILE = 'secrets.json';

/**
 * The Electron app's SecretStore: values encrypted with safeStorage (a key held in the macOS
 * Keychain), written as ciphertext to a 0600 file under userData.
 *
 * [Note: Secrets stay in main] applies. If encryption is not available (no Keychain access,
 * a Linux box without a keyring), it REFUSES to store: `set()` throws an AppError whose message
 * tells the person why their sign-in will not be remembered. It never falls back to clear text.
 * Values that cannot be decrypted (another Mac's file, a reset Keychain) read as absent: the
 * person signs in again.
 */
export class SafeStorageSecretStore implements SecretStore {
  readonly #platform: NodeJS.Platform;
  readonly #path: string;
  readonly #safeStorage: SafeStorageLike;
  readonly #log: Logger;
  readonly #entries: Map<string, string>;

  constructor(options: { path: string; safeStorage: SafeStorageLike; log: Logger; platform?: NodeJS.Platform }) {
    this.#platform = options.platform ?? process.platform;
    this.#path = options.path;
    this.#safeStorage = options.safeStorage;
    this.#log = options.log;
    this.#entries = new Map(Object.entries(this.#read()));
  }

  /** Read each time: on Linux the backend is only known once Electron is ready. */
  get description(): string {
    return this.#protection().description;
  }

  get weak(): boolean {
    return this.#protection().weak;
  }

  #protection(): { description: string; weak: boolean } {
    let backend: string | undefined;
    if (this.#platform === 'linux') {
      try {
        backend = this.#safeStorage.getSelectedStorageBackend?.();
      } catch {
        backend = undefined;
      }
    }
    return describeSafeStorage(this.#platform, backend);
  }

  get(key: SecretKey): string | undefined {
    const encrypted = this.#entries.get(key);
    if (encrypted === undefined) return undefined;
    if (!this.#safeStorage.isEncryptionAvailable()) return undefined;
    try {
      return this.#safeStorage.decryptString(Buffer.from(encrypted, 'base64'));
    } catch {
      this.#log.warn('a stored secret could not be decrypted; it will be asked for again', { key });
      return undefined;
    }
  }

  set(key: SecretKey, value: string): void {
    if (!this.#safeStorage.isEncryptionAvailable()) {
      throw new AppError(
        'permission',
        "Photoflare cannot use the macOS Keychain right now, so it did not save your sign-in. Unlock your Mac's login keychain (or allow Photoflare to use it when asked) and sign in again.",
      );
    }
    this.#entries.set(key, this.#safeStorage.encryptString(value).toString('base64'));
    this.#flush();
  }

  delete(key: SecretKey): void {
    if (this.#entries.delete(key)) this.#flush();
  }

  #read(): Record<string, string> {
    let text: string;
    try {
      text = readFileSync(this.#path, 'utf8');
    } catch {
      return {};
    }
    try {
      return SecretsFile.parse(JSON.parse(text)).entries;
    } catch {
      this.#log.warn('the secrets file is unreadable; starting without saved sign-ins');
      return {};
    }
  }

  #flush(): void {
    mkdirSync(dirname(this.#path), { recursive: true, mode: 0o700 });
    const tmp = `${this.#path}.tmp`;
    writeFileSync(tmp, JSON.stringify({ version: 1, entries: Object.fromEntries(this.#entries) }), { mode: 0o600 });
    chmodSync(tmp, 0o600);
    renameSync(tmp, this.#path);
  }
}
