/**
 * API tokens, web auth tokens (sign-in, rotation, lenient/strict, TTL) and user identities (docs/cloudkit.md §2, docs/cloudkit.md §9.7).
 *
 * Model: signing in creates a *session* bound to {container, environment, user}. Each
 * authenticated request rotates the session's token. Lenient mode accepts any token the session
 * ever had (as live); strict mode accepts only the newest one, once (as documented).
 *
 * Lifetime: ABSOLUTE by default, counted from sign-in, as Apple documents it — 30 minutes, or two
 * weeks with "Keep me signed in" (docs/cloudkit.md §2.4; Apple: CloudKit Web Services Reference, "Accessing
 * CloudKit Using an API Token", and CloudKit JS sign-in). Nothing documents a lifetime that slides
 * with use; `webAuthTokenLifetime: 'sliding'` (each request extends it by the TTL) is an opt-in for
 * clients that want to test against that guess.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Settings } from './context';
import { ckError, type CloudKitError } from './errors';
import { randomId, type Session, type Store } from './store';
import type { Environment } from './types';

/** "Keep me signed in" lifetime (docs/cloudkit.md §2.4: 2 weeks). */
const KEEP_SIGNED_IN_TTL_MS = 14 * 24 * 60 * 60 * 1000;
/** Bound on remembered tokens; lenient mode would otherwise grow without end. */
const MAX_REMEMBERED_TOKENS = 20_000;
/** Fake user partition; Apple's token starts with it and echoes it in x-apple-user-partition. */
export const USER_PARTITION = '42';

/** Thrown by sign-in when the account cannot get a web token (web access off / ADP, docs/cloudkit.md §2.4). */
export class WebAccessOffError extends Error {
  constructor(userName: string) {
    super(`iCloud Data Web Access is Off for ${userName}: sign-in refused (status 12).`);
    this.name = 'WebAccessOffError';
  }
}

/** The result of checking a request's credentials. */
export type AuthResult = { ok: true; session: Session } | { ok: false; error: CloudKitError };

/** Issues and checks credentials. */
export class Auth {
  readonly #store: Store;
  readonly #settings: Settings;
  readonly #now: () => number;
  /** Opaque `oauth_token` of a 421 redirectURL → where the sign-in is for. Not persisted. */
  readonly #pendingSignIns = new Map<string, { container: string; environment: Environment }>();

  constructor(store: Store, settings: Settings, now: () => number) {
    this.#store = store;
    this.#settings = settings;
    this.#now = now;
  }

  /**
   * The stable identity of a user in a container (Apple's look: `_` + 32 hex).
   *
   * Derived, not random, so it survives reset() and restarts, as a real Apple ID would.
   */
  userRecordName(container: string, userName: string): string {
    return `_${createHash('sha256').update(`${container}\u0000${userName}`).digest('hex').slice(0, 32)}`;
  }

  apiTokenValid(container: string, environment: Environment, apiToken: string | undefined): boolean {
    return container === this.#settings.containerId && apiToken === this.#settings.apiTokens[environment];
  }

  webAccessOn(userName: string): boolean {
    const { webAccessOffForAll, webAccessOffUsers } = this.#store.state;
    return !webAccessOffForAll && !webAccessOffUsers.includes(userName);
  }

  setWebAccess(enabled: boolean, userName?: string): void {
    const state = this.#store.state;
    if (userName === undefined) {
      state.webAccessOffForAll = !enabled;
      if (enabled) state.webAccessOffUsers = [];
    } else {
      state.webAccessOffUsers = state.webAccessOffUsers.filter((name) => name !== userName);
      if (!enabled) state.webAccessOffUsers.push(userName);
    }
  }

  /** Signs a user in as the sign-in page would, returning the first token of a new session. */
  signIn(container: string, environment: Environment, userName: string, keepSignedIn = false): string {
    if (!this.webAccessOn(userName)) throw new WebAccessOffError(userName);
    const ttlMs = keepSignedIn ? KEEP_SIGNED_IN_TTL_MS : this.#settings.webAuthTokenTtlMs;
    const session: Session = {
      sessionId: randomId(),
      userName,
      container,
      environment,
      deviceID: randomId(16).toUpperCase(),
      ttlMs,
      expiresAtMs: this.#now() + ttlMs,
      currentToken: '',
    };
    this.#store.state.sessions.set(session.sessionId, session);
    return this.rotate(session);
  }

  /** Issues the session's next token (extending its life only when sliding); strict mode retires the previous one. */
  rotate(session: Session): string {
    const token = newWebAuthToken();
    session.currentToken = token;
    if (this.#settings.webAuthTokenLifetime === 'sliding') session.expiresAtMs = this.#now() + session.ttlMs;
    const tokens = this.#store.state.webTokens;
    tokens.set(token, session.sessionId);
    if (tokens.size > MAX_REMEMBERED_TOKENS) {
      const oldest = tokens.keys().next();
      if (oldest.done !== true) tokens.delete(oldest.value);
    }
    return token;
  }

  /**
   * Checks a web auth token for a request to {container, environment}.
   *
   * Missing → 421 with a redirectURL; unknown, retired (strict) or foreign → 401; expired → 421
   * (the user must sign in again); web access turned off since sign-in → 403 ACCESS_DENIED.
   */
  authenticate(container: string, environment: Environment, token: string | undefined, baseUrl: string): AuthResult {
    if (token === undefined || token === '') {
      return { ok: false, error: this.authenticationRequired(container, environment, baseUrl) };
    }
    const sessionId = this.#store.state.webTokens.get(token);
    const session = sessionId === undefined ? undefined : this.#store.state.sessions.get(sessionId);
    if (session === undefined || session.container !== container || session.environment !== environment) {
      return { ok: false, error: ckError('AUTHENTICATION_FAILED', 'Authentication failed: unknown web auth token') };
    }
    if (this.#settings.tokenMode === 'strict' && token !== session.currentToken) {
      return { ok: false, error: ckError('AUTHENTICATION_FAILED', 'Authentication failed: web auth token already used') };
    }
    if (this.#now() >= session.expiresAtMs) {
      return { ok: false, error: this.authenticationRequired(container, environment, baseUrl) };
    }
    if (!this.webAccessOn(session.userName)) {
      return { ok: false, error: ckError('ACCESS_DENIED', 'private db access disabled for this account') };
    }
    return { ok: true, session };
  }

  /** The 421 error with a redirectURL to this emulator's sign-in page (docs/cloudkit.md §2.2 step 1). */
  authenticationRequired(container: string, environment: Environment, baseUrl: string): CloudKitError {
    return ckError('AUTHENTICATION_REQUIRED', 'request needs authorization', {
      redirectURL: this.signInPageUrl(container, environment, baseUrl),
    });
  }

  /** A fresh sign-in page URL carrying an opaque oauth_token, like Apple's redirectURL. */
  signInPageUrl(container: string, environment: Environment, baseUrl: string): string {
    const oauthToken = randomBytes(12).toString('base64url');
    this.#pendingSignIns.set(oauthToken, { container, environment });
    return `${baseUrl}/_auth/sign-in?oauth_token=${oauthToken}`;
  }

  /** Where a sign-in page visit is for, or undefined for an unknown oauth_token. */
  pendingSignIn(oauthToken: string): { container: string; environment: Environment } | undefined {
    return this.#pendingSignIns.get(oauthToken);
  }

  /** Every session of the user (or of everyone) expires now. */
  expireSessions(userName?: string): void {
    for (const session of this.#store.state.sessions.values()) {
      if (userName === undefined || session.userName === userName) session.expiresAtMs = 0;
    }
  }

  /** Another Apple ID is now behind the same sessions (docs/cloudkit.md §8 account change). */
  switchAccount(fromUser: string, toUser: string): void {
    for (const session of this.#store.state.sessions.values()) {
      if (session.userName === fromUser) session.userName = toUser;
    }
  }
}

/**
 * A token shaped like Apple's (`<partition>__<n>__<base64>…`).
 *
 * It always contains `+`, `/` and `=`, so a client that forgets to percent-encode it (docs/cloudkit.md §2.2 step 4)
 * fails every time instead of one time in four.
 */
function newWebAuthToken(): string {
  return `${USER_PARTITION}__54__${randomBytes(24).toString('base64')}+/${randomBytes(10).toString('base64')}`;
}
