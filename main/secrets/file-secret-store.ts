import { chmodSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { z } from 'zod';
import type { Logger } from '../log/logger';
import type { SecretKey, SecretStore } from './secret-store';

const SecretFile = z.record(z.string(), z.string());

/**
 * The web shell's secret store: a JSON file readable only by the current user (0600).
 *
 * This is weaker than the Keychain — anyone with your account can read it — so the web shell
 * says so once at start. The Electron app uses safeStorage instead (main/platform/).
 */
export class FileSecretStore implements SecretStore {
  readonly description = 'a file readable only by your user account (web shell; the Mac app uses the Keychain)';
  readonly #path: string;
  readonly #values: Map<string, string>;

  constructor(options: { path: string; log: Logger }) {
    this.#path = options.path;
    this.#values = new Map(Object.entries(this.#read(options.log)));
    options.log.warn(`secrets are kept in a 0600 file, not the Keychain (web shell): ${this.#path}`);
  }

  get(key: SecretKey): string | undefined {
    return this.#values.get(key);
  }

  set(key: SecretKey, value: string): void {
    this.#values.set(key, value);
    this.#flush();
  }

  delete(key: SecretKey): void {
    if (this.#values.delete(key)) this.#flush();
  }

  #read(log: Logger): Record<string, string> {
    try {
      const mode = statSync(this.#path).mode & 0o777;
      if (mode & 0o077) {
        // Someone loosened the file: tighten it before reading rather than refuse to start.
        log.warn('secret file was readable by others; permissions reset to 0600');
        chmodSync(this.#path, 0o600);
      }
      return SecretFile.parse(JSON.parse(readFileSync(this.#path, 'utf8')));
    } catch {
      return {};
    }
  }

  #flush(): void {
    mkdirSync(dirname(this.#path), { recursive: true, mode: 0o700 });
    const tmp = `${this.#path}.tmp`;
    writeFileSync(tmp, JSON.stringify(Object.fromEntries(this.#values)), { mode: 0o600 });
    chmodSync(tmp, 0o600);
    renameSync(tmp, this.#path);
  }
}
