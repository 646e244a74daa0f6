import { z } from 'zod';
import type { SecretStore } from '../secrets/secret-store';
import { CloudKitError } from './errors';

const SECRET_KEY = 'cloudkit.webAuthToken';

const StoredToken = z.object({ v: z.literal(1), scope: z.string(), token: z.string().min(1) });

/**
 * The web auth token, kept in the secret store under 'cloudkit.webAuthToken'.
 *
 * [Note: CloudKit token rotation]
 * Each response may carry a new token (spec §2.3); the documented rule is single use, while the
 * live service is lenient. So the client adopts the newest token from every response, errors
 * included, and persists it *before* the next request is sent. The value is stored with its
 * scope (container/environment, §2.5) so a token minted for development is never sent to
 * production after a configuration change. A bare string (a token stored by a shell or a test)
 * is accepted as belonging to the current scope.
 */
export class WebAuthTokenStore {
  readonly #secrets: SecretStore;
  readonly #scope: string;

  constructor(secrets: SecretStore, scope: string) {
    this.#secrets = secrets;
    this.#scope = scope;
  }

  /** The current token, or `undefined` when signed out or stored for another scope. */
  get(): string | undefined {
    const raw = this.#wrap(() => this.#secrets.get(SECRET_KEY));
    if (!raw) return undefined;
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch {
      return raw;
    }
    const parsed = StoredToken.safeParse(json);
    if (!parsed.success) return typeof json === 'string' ? json : undefined;
    return parsed.data.scope === this.#scope ? parsed.data.token : undefined;
  }

  /** Persist a token (synchronously: the next request must not leave before it is stored). */
  set(token: string): void {
    this.#wrap(() => this.#secrets.set(SECRET_KEY, JSON.stringify({ v: 1, scope: this.#scope, token })));
  }

  /** Forget the token: sign-out is local only (§2.4). */
  clear(): void {
    this.#wrap(() => this.#secrets.delete(SECRET_KEY));
  }

  #wrap<T>(action: () => T): T {
    try {
      return action();
    } catch {
      // The store's own message may quote what it tried to write; do not pass it on.
      throw new CloudKitError('auth-persist');
    }
  }
}
