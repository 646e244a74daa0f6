import { AppError, isAppError } from '../../shared/errors';
import type { ConnectionStatus, ServerProbe, SignInRequest } from '../../shared/library/schemas';
import type { EventHub } from '../ipc/event-hub';
import type { LibraryRepo } from '../library/library-repo';
import type { Logger } from '../log/logger';
import type { SecretStore } from '../secrets/secret-store';
import { backoffDelayMs, PHOTOPRISM_BACKOFF } from '../platform/backoff';
import type { Clock } from '../platform/clock';
import { PhotoPrismClient, PhotoPrismRedirectError, UntrustedCertificateError, type LibraryConfigAnswer, type SignInInfo } from './client';
import { httpsUpgradeOf, isInsecureHttp, isLanHost, parseServerUrl } from './server-url';
import { normaliseFingerprint } from './tls-trust';
import type { HttpTransport, TransportFactory } from './transport';

export interface ConnectionServiceOptions {
  readonly repo: LibraryRepo;
  readonly secrets: SecretStore;
  readonly events: EventHub;
  readonly clock: Clock;
  readonly log: Logger;
  readonly createTransport: TransportFactory;
  /** First wait before re-checking an unreachable server; doubles up to `maxRetryMs` (default PHOTOPRISM_BACKOFF). */
  readonly initialRetryMs?: number;
  readonly maxRetryMs?: number;
}

/** What a signed-in connection offers the rest of main. */
export interface ActiveConnection {
  readonly client: PhotoPrismClient;
  readonly serverUrl: string;
  readonly trustedFingerprint: string | null;
  getToken(): string | undefined;
}

const SESSION_KEY = 'photoprism.session';
const APP_PASSWORD_KEY = 'photoprism.app-password';
const PROBE_TIMEOUT_MS = 10_000;
/** The first (unauthenticated) request a probe makes, and the sign-in request. */
const STATUS_PATH = '/api/v1/status';
const LOGIN_PATH = '/api/v1/session';

/**
 * The PhotoPrism connection: sign-in, the stored session, and online/offline detection.
 *
 * ```
 *              signIn ok                     request fails: network
 *  signed-out ───────────► online ◄──────────────────────────────► offline
 *      ▲  ▲                  │  ▲   reachability check ok + session ok   │
 *      │  │ signOut          │  └────────────────────────────────────────┘
 *      │  └──────────────────┤ 401 (any request)       (checks back off: 2 s, 4 s, 8 s, 8 s …)
 *      │                     ▼
 *      └── signOut ──── needs-sign-in ── signIn ok ──► online
 *  start(): stored token ─► connecting ─► online | offline | needs-sign-in
 * ```
 * [Note: No retry after 401]
 * A 401 deletes the stored token and moves to needs-sign-in. Nothing retries a dead token:
 * PhotoPrism counts every unknown-token lookup against a per-IP limiter and, once it runs out,
 * refuses even valid tokens (docs/photoprism-api.md §1.5). The offline reachability check uses the unauthenticated
 * `/api/v1/status`, so waiting for a server to come back costs no auth attempts either.
 *
 * [Note: App passwords are the token]
 * Signing in with an app password (PhotoPrism 240420+) answers `provider: "application"` and a
 * session capped at the usual two weeks (PhotoPrism internal/entity/auth_session_login.go,
 * AuthLocal). The app password itself stays a valid bearer token until it is revoked
 * (internal/api/session.go, Session: any auth token format, looked up by its hash), so we keep
 * IT in the secret store and send it with every request: an app-password user is never asked
 * to sign in again. Signing out forgets it here but does not revoke it (a DELETE of the session
 * would: internal/api/session_delete.go): it is the user's to revoke in PhotoPrism's Settings.
 */
export class ConnectionService {
  readonly #options: ConnectionServiceOptions;
  readonly #log: Logger;
  readonly #listeners = new Set<(status: ConnectionStatus, previous: ConnectionStatus) => void>();
  #status: ConnectionStatus;
  #active: ActiveConnection | undefined;
  #previewToken: string | null = null;
  /** The library's part of the client config the last sign-in answer carried, until the library takes it. */
  #signInLibraryConfig: LibraryConfigAnswer | undefined;
  #downloadToken: string | null = null;
  #retryAttempt = 0;
  #cancelRetry: (() => void) | undefined;
  #refreshing: Promise<void> | undefined;
  #disposed = false;

  constructor(options: ConnectionServiceOptions) {
    this.#options = options;
    this.#log = options.log;
    const saved = options.repo.connection();
    const lastRefreshed = Number(options.repo.getMeta('lastRefreshedAt'));
    this.#status = {
      state: 'signed-out',
      serverUrl: saved?.serverUrl ?? null,
      insecureHttp: saved ? isInsecureHttp(saved.serverUrl) : false,
      userName: saved?.userName ?? null,
      serverVersion: saved?.serverVersion ?? null,
      lastError: null,
      indexing: null,
      lastRefreshedAt: Number.isFinite(lastRefreshed) && lastRefreshed > 0 ? lastRefreshed : null,
    };
  }

  /** The status the UI shows. */
  status(): ConnectionStatus {
    return this.#status;
  }

  /** The signed-in client while online, else undefined (callers read the cache instead). */
  active(): ActiveConnection | undefined {
    return this.#status.state === 'online' ? this.#active : undefined;
  }

  /**
   * The feature switches and counts the sign-in answer carried, once: the library's first
   * refresh then needs no GET /api/v1/config before its first page (later ones ask again).
   */
  takeSignInLibraryConfig(): LibraryConfigAnswer | undefined {
    const config = this.#signInLibraryConfig;
    this.#signInLibraryConfig = undefined;
    return config;
  }

  /** The preview token for thumbnail URLs (main only; never sent to the renderer). */
  previewToken(): string | null {
    return this.#previewToken;
  }

  /** The download token for originals (main only; never sent to the renderer). */
  downloadToken(): string | null {
    return this.#downloadToken;
  }

  /** Listen to status changes (called after the change, with the previous status). */
  onChange(listener: (status: ConnectionStatus, previous: ConnectionStatus) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Resume a stored session, if any: validate it once, then go online, offline or needs-sign-in. */
  async start(): Promise<void> {
    const saved = this.#options.repo.connection();
    if (!saved || !this.#storedToken()) return;
    this.#active = this.#makeActive(saved.serverUrl, saved.trustedFingerprint, () => this.#storedToken());
    this.#set({ state: 'connecting', lastError: null });
    await this.#validateSession();
  }

  /**
   * Check a server address before any credentials are sent. Answers what the form needs;
   * throws a kinded AppError for a malformed address, an unreachable host, a TLS failure
   * that is not about trust, or a server that is not PhotoPrism.
   */
  async probe(input: string): Promise<ServerProbe> {
    const address = parseServerUrl(input);
    try {
      return await this.#probeTrusting(address.serverUrl);
    } catch (error) {
      if (error instanceof PhotoPrismRedirectError) {
        // See [Note: Redirects]: only "the same server, over https" is taken, and said so.
        const https = httpsUpgradeOf(address.serverUrl, STATUS_PATH, error.location);
        if (!https) throw this.#redirectRefused(address.serverUrl, error);
        return { ...(await this.#probeTrusting(https)), redirectedToHttps: true };
      }
      // "192.168.1.5:2342" typed without a scheme: PhotoPrism's own port speaks plain HTTP.
      if (address.schemeAssumed && isAppError(error) && (error.kind === 'tls' || error.kind === 'network')) {
        const plain = address.serverUrl.replace(/^https:/, 'http:');
        if (isLanHost(new URL(plain).hostname)) {
          try {
            return await this.#probeAt(plain, null);
          } catch {
            // Report the original (https) failure below.
          }
        }
      }
      throw error;
    }
  }

  /** Sign in with a password or app password (and a 2FA code when the server asked for one). */
  async signIn(request: SignInRequest): Promise<ConnectionStatus> {
    const address = parseServerUrl(request.serverUrl);
    const pin = request.trustedFingerprint ? normaliseFingerprint(request.trustedFingerprint) : this.#storedPin(address.serverUrl);
    if (request.trustedFingerprint !== undefined && pin === '') {
      throw new AppError('validation', 'The certificate fingerprint to trust is not a SHA-256 fingerprint.');
    }
    const client = new PhotoPrismClient({
      baseUrl: address.serverUrl,
      transport: this.#transport(pin),
      getToken: () => undefined,
      log: this.#log.child('client'),
    });
    let session: SignInInfo;
    try {
      session = await client.login({ username: request.username, password: request.password, code: request.code });
    } catch (caught) {
      const error = caught instanceof PhotoPrismRedirectError ? this.#redirectRefused(address.serverUrl, caught, LOGIN_PATH) : caught;
      if (isAppError(error)) this.#set({ lastError: { kind: error.kind, message: error.message } });
      throw error;
    }
    this.#cancelRetryTimer();
    if (session.provider === 'application') {
      // See [Note: App passwords are the token]. The two-week session the login made is not
      // needed: end it (best effort), so it does not linger in the user's session list.
      this.#options.secrets.set(APP_PASSWORD_KEY, request.password);
      this.#options.secrets.delete(SESSION_KEY);
      await this.#endInterimSession(client.baseUrl, pin, session.accessToken);
    } else {
      this.#options.secrets.set(SESSION_KEY, session.accessToken);
      this.#options.secrets.delete(APP_PASSWORD_KEY);
    }
    const userName = session.userName || request.username;
    const { cacheCleared } = this.#options.repo.saveConnection({
      serverUrl: address.serverUrl,
      userName,
      serverVersion: session.serverVersion,
      trustedFingerprint: pin,
    });
    if (cacheCleared) this.#options.events.emit('library.changed', { uids: [], albums: true, full: true });
    this.#previewToken = session.previewToken;
    this.#downloadToken = session.downloadToken;
    this.#signInLibraryConfig = session.libraryConfig ?? undefined;
    this.#active = this.#makeActive(address.serverUrl, pin, () => this.#storedToken());
    this.#log.info('signed in', { server: new URL(address.serverUrl).host });
    this.#set({
      state: 'online',
      serverUrl: address.serverUrl,
      insecureHttp: address.insecureHttp,
      userName,
      serverVersion: session.serverVersion,
      lastError: null,
      ...(cacheCleared ? { lastRefreshedAt: null } : {}),
    });
    return this.#status;
  }

  /** Forget the session (best effort on the server too). The cache stays for offline browsing. */
  async signOut(): Promise<ConnectionStatus> {
    const active = this.#active;
    this.#cancelRetryTimer();
    const usesAppPassword = this.#options.secrets.get(APP_PASSWORD_KEY) !== undefined;
    if (active && active.getToken() && this.#status.state === 'online' && !usesAppPassword) {
      try {
        await active.client.logout();
      } catch (error) {
        this.#log.info('server-side sign-out failed; forgetting the session locally anyway', { error });
      }
    }
    this.#forgetTokens();
    this.#active = undefined;
    this.#previewToken = null;
    this.#downloadToken = null;
    this.#set({ state: 'signed-out', lastError: null, indexing: null });
    return this.#status;
  }

  /**
   * Tell the connection how a request went. Auth failures end the session (see
   * [Note: No retry after 401]); network failures switch to offline and start the
   * reachability checks. Other kinds (a 404, a bad response) say nothing about the link.
   */
  reportFailure(error: unknown): void {
    if (!isAppError(error) || this.#disposed) return;
    if (error.kind === 'auth') {
      this.#expireSession(error);
    } else if ((error.kind === 'network' || error.kind === 'tls') && this.#active) {
      this.#goOffline(error);
    } else {
      this.#set({ lastError: { kind: error.kind, message: error.message } });
    }
  }

  /** A new preview token seen in a response header (search responses carry it, docs/photoprism-api.md §1.8). */
  notePreviewToken(token: string | null): void {
    if (token) this.#previewToken = token;
  }

  /** Library progress shown with the connection (indexing, last refresh). */
  setLibraryProgress(patch: Partial<Pick<ConnectionStatus, 'indexing' | 'lastRefreshedAt'>>): void {
    this.#set(patch);
  }

  /**
   * Re-validate the session now: used for the preview token after a 403 on thumbnails. Goes
   * through the same classification (401 → needs sign-in, never retried).
   */
  async refreshSession(): Promise<void> {
    if (this.#status.state !== 'online') return;
    // Concurrent callers (every thumbnail that got a 403 after a server restart) share one
    // check: one request refills the server's token map for all of them.
    this.#refreshing ??= this.#validateSession().finally(() => {
      this.#refreshing = undefined;
    });
    await this.#refreshing;
  }

  dispose(): void {
    this.#disposed = true;
    this.#cancelRetryTimer();
    this.#listeners.clear();
  }

  // --- internals --------------------------------------------------------------------------

  /** Probe one address; a certificate the system does not trust becomes the trust question. */
  async #probeTrusting(serverUrl: string): Promise<ServerProbe> {
    try {
      return await this.#probeAt(serverUrl, this.#storedPin(serverUrl));
    } catch (error) {
      if (!(error instanceof UntrustedCertificateError)) throw error;
      return { serverUrl, insecureHttp: false, untrustedCertificate: error.certificate, serverVersion: null, siteTitle: null };
    }
  }

  /**
   * [Note: Redirects]
   * The client never follows a redirect, so neither a token nor a password can travel to a host
   * the user did not type. A server behind automatic TLS answers plain HTTP with a 301 to
   * `https://` + the same host (PhotoPrism internal/server/start.go, redirect): the probe takes
   * that one as "this server wants https" and goes on at the https address (certificate trust
   * step included). Any other redirect is refused with a sentence that names the target.
   */
  #redirectRefused(serverUrl: string, error: PhotoPrismRedirectError, requestPath = STATUS_PATH): AppError {
    const host = new URL(serverUrl).host;
    const https = httpsUpgradeOf(serverUrl, requestPath, error.location);
    if (https) {
      return new AppError('server', `${host} wants https: connect to ${https} instead, then sign in there.`, { cause: error });
    }
    const target = error.location ? new URL(error.location).host : null;
    if (target && target !== host) {
      return new AppError(
        'server',
        `${host} sends you on to another server, ${target}. Photoflare does not follow that, so nothing was sent there. If ${target} is your PhotoPrism server, type its address instead.`,
        { cause: error },
      );
    }
    return new AppError(
      'server',
      `${host} answers with a redirect (error ${error.status}) instead of PhotoPrism. Use the address you open PhotoPrism at in your browser.`,
      { cause: error },
    );
  }

  async #probeAt(serverUrl: string, pin: string | null): Promise<ServerProbe> {
    const client = new PhotoPrismClient({
      baseUrl: serverUrl,
      transport: this.#transport(pin),
      getToken: () => undefined,
      log: this.#log.child('probe'),
      timeoutMs: PROBE_TIMEOUT_MS,
    });
    try {
      await client.status();
      const info = await client.publicInfo();
      return {
        serverUrl,
        insecureHttp: isInsecureHttp(serverUrl),
        untrustedCertificate: null,
        serverVersion: info.serverVersion,
        siteTitle: info.siteTitle,
      };
    } catch (error) {
      if (isAppError(error) && (error.kind === 'network' || error.kind === 'tls')) throw error;
      if (error instanceof PhotoPrismRedirectError) throw error;
      throw new AppError(
        'server',
        `${new URL(serverUrl).host} answers, but it does not look like a PhotoPrism server. Use the address you open PhotoPrism at in your browser.`,
        { cause: error },
      );
    }
  }

  async #validateSession(): Promise<void> {
    const active = this.#active;
    if (!active) return;
    try {
      const session = await active.client.session();
      if (this.#active !== active || this.#disposed) return;
      this.#previewToken = session.previewToken ?? this.#previewToken;
      this.#downloadToken = session.downloadToken ?? this.#downloadToken;
      this.#retryAttempt = 0;
      this.#set({ state: 'online', lastError: null, serverVersion: session.serverVersion ?? this.#status.serverVersion });
    } catch (error) {
      if (this.#active !== active || this.#disposed) return;
      if (isAppError(error) && error.kind === 'auth') this.#expireSession(error);
      else if (isAppError(error) && (error.kind === 'network' || error.kind === 'tls' || error.kind === 'server')) this.#goOffline(error);
      else throw error;
    }
  }

  #expireSession(error: AppError): void {
    if (this.#status.state === 'needs-sign-in' || this.#status.state === 'signed-out') return;
    this.#log.warn('session rejected by the server; sign-in needed');
    this.#cancelRetryTimer();
    this.#forgetTokens();
    this.#active = undefined;
    this.#previewToken = null;
    this.#downloadToken = null;
    this.#set({ state: 'needs-sign-in', indexing: null, lastError: { kind: error.kind, message: error.message } });
  }

  #goOffline(error: AppError): void {
    if (this.#status.state !== 'offline') this.#log.warn('server unreachable; working from the cache', { kind: error.kind });
    this.#set({ state: 'offline', indexing: null, lastError: { kind: error.kind, message: error.message } });
    this.#scheduleReachabilityCheck();
  }

  #scheduleReachabilityCheck(): void {
    if (this.#cancelRetry || this.#disposed) return;
    const policy = {
      ...PHOTOPRISM_BACKOFF,
      ...(this.#options.initialRetryMs !== undefined ? { baseMs: this.#options.initialRetryMs } : {}),
      ...(this.#options.maxRetryMs !== undefined ? { maxMs: this.#options.maxRetryMs } : {}),
    };
    const delayMs = backoffDelayMs(++this.#retryAttempt, policy, Math.random);
    this.#cancelRetry = this.#options.clock.setTimeout(() => {
      this.#cancelRetry = undefined;
      void this.#checkReachability();
    }, delayMs);
  }

  async #checkReachability(): Promise<void> {
    const active = this.#active;
    if (!active || this.#status.state !== 'offline' || this.#disposed) return;
    try {
      await active.client.status();
    } catch {
      if (this.#active === active && this.#status.state === 'offline') this.#scheduleReachabilityCheck();
      return;
    }
    // Reachable again: one session check decides online vs needs-sign-in.
    await this.#validateSession();
  }

  #cancelRetryTimer(): void {
    this.#cancelRetry?.();
    this.#cancelRetry = undefined;
    this.#retryAttempt = 0;
  }

  /** The token requests carry: the app password if the user signed in with one, else the session token. */
  #storedToken(): string | undefined {
    return this.#options.secrets.get(APP_PASSWORD_KEY) ?? this.#options.secrets.get(SESSION_KEY);
  }

  #forgetTokens(): void {
    this.#signInLibraryConfig = undefined;
    this.#options.secrets.delete(SESSION_KEY);
    this.#options.secrets.delete(APP_PASSWORD_KEY);
  }

  async #endInterimSession(serverUrl: string, pin: string | null, token: string): Promise<void> {
    const client = new PhotoPrismClient({
      baseUrl: serverUrl,
      transport: this.#transport(pin),
      getToken: () => token,
      log: this.#log.child('client'),
    });
    try {
      await client.logout();
    } catch (error) {
      this.#log.info('could not end the session the app-password sign-in made; it expires by itself', { error });
    }
  }

  #storedPin(serverUrl: string): string | null {
    const saved = this.#options.repo.connection();
    return saved && saved.serverUrl === serverUrl ? saved.trustedFingerprint : null;
  }

  #transport(pin: string | null): HttpTransport {
    return this.#options.createTransport({ trustedFingerprint: pin });
  }

  #makeActive(serverUrl: string, pin: string | null, getToken: () => string | undefined): ActiveConnection {
    const client = new PhotoPrismClient({ baseUrl: serverUrl, transport: this.#transport(pin), getToken, log: this.#log.child('client') });
    return { client, serverUrl, trustedFingerprint: pin, getToken };
  }

  #set(patch: Partial<ConnectionStatus>): void {
    const previous = this.#status;
    const next = { ...previous, ...patch };
    if (JSON.stringify(next) === JSON.stringify(previous)) return;
    this.#status = next;
    if (this.#disposed) return;
    this.#options.events.emit('connection.changed', next);
    for (const listener of this.#listeners) {
      try {
        listener(next, previous);
      } catch (error) {
        this.#log.error('connection listener failed', { error });
      }
    }
  }
}
