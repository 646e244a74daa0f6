import { z } from 'zod';
import type { SecretStore } from '../secrets/secret-store';
import type { TokenEndpoint } from './config';
import { CloudKitError } from './errors';

const SECRET_KEY = 'cloudkit.webAuthToken';

const StoredToken = z.object({
  v: z.literal(2),
  endpoint: z.object({ baseUrl: z.string(), containerId: z.string(), environment: z.enum(['development', 'production']) }),
  token: z.string().min(1),
});

/**
 * The web auth token, kept in the secret store under 'cloudkit.webAuthToken'.
 *
 * [Note: CloudKit token rotation]
 * Each response may carry a new token (docs/cloudkit.md §2.3); the documented rule is single use, while the
 * live service is lenient. So the client adopts the newest token from every response, errors
 * included, and persists it *before* the next request is sent.
 *
 * [Note: Tokens are bound to their endpoint]
 * A token is stored together with the endpoint it was issued for: API base URL, container and
 * environment (docs/cloudkit.md §2.5). A token stored for any other endpoint — a development build pointed at
 * the emulator, another container, the development environment — is never sent: `get()` deletes
 * it and answers "signed out", so the sync engine shows "Sign in to iCloud" and the person signs
 * in again. Values without an endpoint (a bare string, or the v1 record that named only container
 * and environment) cannot prove where they came from and are discarded the same way.
 */
export class WebAuthTokenStore {
  readonly #secrets: SecretStore;
  readonly #endpoint: TokenEndpoint;

  constructor(secrets: SecretStore, endpoint: TokenEndpoint) {
    this.#secrets = secrets;
    this.#endpoint = { baseUrl: endpoint.baseUrl, containerId: endpoint.containerId, environment: endpoint.environment };
  }

  /** The current token, or `undefined` when signed out (a token for another endpoint is discarded). */
  get(): string | undefined {
    const raw = this.#wrap(() => this.#secrets.get(SECRET_KEY));
    if (!raw) return undefined;
    const stored = parseStored(raw);
    if (stored && sameEndpoint(stored.endpoint, this.#endpoint)) return stored.token;
    this.clear();
    return undefined;
  }

  /** Persist a token (synchronously: the next request must not leave before it is stored). */
  set(token: string): void {
    const stored: StoredToken = { v: 2, endpoint: this.#endpoint, token };
    this.#wrap(() => this.#secrets.set(SECRET_KEY, JSON.stringify(stored)));
  }

  /** Forget the token: sign-out is local only (docs/cloudkit.md §2.4). */
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

type StoredToken = z.infer<typeof StoredToken>;

function parseStored(raw: string): StoredToken | undefined {
  try {
    const parsed = StoredToken.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

function sameEndpoint(a: TokenEndpoint, b: TokenEndpoint): boolean {
  return a.baseUrl === b.baseUrl && a.containerId === b.containerId && a.environment === b.environment;
}
