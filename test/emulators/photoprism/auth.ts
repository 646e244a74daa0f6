import { createHmac, randomBytes } from 'node:crypto';
import type { ApiLevel } from './api-version';
import type { SeededRandom } from './util';
import { APP_PASSWORD_RE, SESSION_TOKEN_RE, goTime, makeAppPassword, makeUid, sha256Hex } from './util';

/**
 * Users, sessions, app passwords, 2FA passcodes, preview/download tokens and the two rate
 * limiters of docs/photoprism-api.md §1. Everything is in memory; the clock is injected so expiry and limiter
 * refills are testable without waiting.
 */

/** CE roles the emulator knows. Only admins receive broadcast WebSocket events (docs/photoprism-api.md §8.4). */
export type Role = 'admin' | 'guest';

/** An account (`entity.User`). Passwords and tokens are never serialised. */
export interface UserRec {
  id: number;
  uid: string;
  name: string;
  displayName: string;
  email: string;
  role: Role;
  superAdmin: boolean;
  password: string;
  /** Base secret for 2FA passcodes, or null when 2FA is off. */
  totpSecret: Buffer | null;
  previewToken: string;
  downloadToken: string;
  createdAtMs: number;
  loginAtMs: number | null;
}

/** A session (`auth_sessions` row). App passwords are sessions too (docs/photoprism-api.md §1.6). */
export interface SessionRec {
  /** sha256(token), the public `session_id`. */
  id: string;
  token: string;
  user: UserRec;
  provider: 'local' | 'application';
  method: 'default' | 'session' | '2fa';
  scope: string;
  clientName: string;
  isAppPassword: boolean;
  createdAtMs: number;
  /** Absolute expiry, or null for "never" (docs/photoprism-api.md §1.5). */
  expiresAtMs: number | null;
  parentId: string | null;
}

/** Options of the auth module. */
export interface AuthOptions {
  sessionTtlSeconds: number;
  limiters: boolean;
  /** The auth API of the release the emulator claims to be (api-version.ts). */
  api: ApiLevel;
}

/**
 * A per-key token bucket, the shape of PhotoPrism's `limiter` package (docs/photoprism-api.md §1.2, docs/photoprism-api.md §1.5).
 */
export class TokenBucket {
  readonly #burst: number;
  readonly #refillMs: number;
  readonly #now: () => number;
  readonly #buckets = new Map<string, { tokens: number; atMs: number }>();

  constructor(burst: number, refillMs: number, now: () => number) {
    this.#burst = burst;
    this.#refillMs = refillMs;
    this.#now = now;
  }

  #bucket(key: string): { tokens: number; atMs: number } {
    const nowMs = this.#now();
    const b = this.#buckets.get(key) ?? { tokens: this.#burst, atMs: nowMs };
    const refill = (nowMs - b.atMs) / this.#refillMs;
    b.tokens = Math.min(this.#burst, b.tokens + refill);
    b.atMs = nowMs;
    this.#buckets.set(key, b);
    return b;
  }

  /** Tokens available now (fractional while refilling). */
  available(key: string): number {
    return this.#bucket(key).tokens;
  }

  /** Takes `cost` tokens if there are enough; false means "rate limited". */
  take(key: string, cost: number): boolean {
    const b = this.#bucket(key);
    if (b.tokens < cost) return false;
    b.tokens -= cost;
    return true;
  }

  /** Gives back tokens (a successful login refunds its cost). */
  refund(key: string, cost: number): void {
    const b = this.#bucket(key);
    b.tokens = Math.min(this.#burst, b.tokens + cost);
  }
}

/** Result of resolving a request's token. */
export type ResolveResult = { kind: 'ok'; session: SessionRec } | { kind: 'none' } | { kind: 'invalid' };

/** A login outcome: the HTTP status and body to send, and the session on success. */
export interface LoginOutcome {
  status: number;
  body: Record<string, unknown>;
  session?: SessionRec;
}

const TOTP_STEP_MS = 30_000;
const DEFAULT_APP_SCOPE = '*';

/** The emulator's identity and session registry. */
export class Auth {
  readonly users: UserRec[] = [];
  readonly #sessions = new Map<string, SessionRec>();
  /**
   * The two in-memory token maps (docs/photoprism-api.md §1.8): PhotoPrism keeps preview and
   * download tokens apart (internal/entity/auth_tokens.go, `PreviewToken` and `DownloadToken`
   * string maps), so a preview token opens thumbnails and videos but never an original.
   */
  readonly #validPreviewTokens = new Set<string>();
  readonly #validDownloadTokens = new Set<string>();
  readonly configPreviewToken: string;
  readonly configDownloadToken: string;
  readonly #rng: SeededRandom;
  readonly #now: () => number;
  readonly #options: AuthOptions;
  readonly loginLimiter: TokenBucket;
  readonly failureLimiter: TokenBucket;

  constructor(rng: SeededRandom, now: () => number, options: AuthOptions) {
    this.#rng = rng;
    this.#now = now;
    this.#options = options;
    this.loginLimiter = new TokenBucket(10, 60_000, now);
    this.failureLimiter = new TokenBucket(60, 10_000, now);
    this.configPreviewToken = rng.base36(8);
    this.configDownloadToken = rng.base36(8);
    this.#validPreviewTokens.add(this.configPreviewToken);
    this.#validDownloadTokens.add(this.configDownloadToken);
  }

  /** Adds an account; `totp` turns 2FA on. */
  addUser(name: string, password: string, role: Role, totp: boolean): UserRec {
    const createdAtMs = this.#now() - 400 * 86_400_000;
    const user: UserRec = {
      id: this.users.length + 1,
      uid: makeUid('u', createdAtMs, this.#rng),
      name,
      displayName: name.charAt(0).toUpperCase() + name.slice(1),
      email: `${name}@example.com`,
      role,
      superAdmin: role === 'admin' && this.users.length === 0,
      password,
      totpSecret: totp ? Buffer.from(this.#rng.base36(20)) : null,
      previewToken: this.#rng.base36(8),
      downloadToken: this.#rng.base36(8),
      createdAtMs,
      loginAtMs: null,
    };
    this.users.push(user);
    return user;
  }

  /**
   * The 2FA passcode valid now: RFC 6238 TOTP (HMAC-SHA1, 30 s, 6 digits), like an
   * authenticator app would show.
   */
  passcode(user: UserRec, atMs = this.#now()): string {
    if (!user.totpSecret) throw new Error(`User ${user.name} has no 2FA`);
    const counter = Math.floor(atMs / TOTP_STEP_MS);
    const msg = Buffer.alloc(8);
    msg.writeBigUInt64BE(BigInt(counter));
    const mac = createHmac('sha1', user.totpSecret).update(msg).digest();
    const offset = (mac[mac.length - 1] ?? 0) & 0x0f;
    const bin = mac.readUInt32BE(offset) & 0x7fffffff;
    return String(bin % 1_000_000).padStart(6, '0');
  }

  #passcodeOk(user: UserRec, code: string): boolean {
    const nowMs = this.#now();
    // One step of clock drift either way, as authenticator apps expect.
    return [-1, 0, 1].some((step) => this.passcode(user, nowMs + step * TOTP_STEP_MS) === code);
  }

  /**
   * Creates an app password (a client session in app-password format, docs/photoprism-api.md §1.6).
   * `expiresInSeconds` 0 means it never expires.
   */
  createAppPassword(user: UserRec, clientName: string, scope = DEFAULT_APP_SCOPE, expiresInSeconds = 0): SessionRec {
    const token = makeAppPassword(this.#rng);
    const nowMs = this.#now();
    const session: SessionRec = {
      id: sha256Hex(token),
      token,
      user,
      provider: 'application',
      method: 'default',
      scope,
      clientName,
      isAppPassword: true,
      createdAtMs: nowMs,
      expiresAtMs: expiresInSeconds > 0 ? nowMs + expiresInSeconds * 1000 : null,
      parentId: null,
    };
    this.#sessions.set(session.id, session);
    return session;
  }

  /**
   * Picks the token from the request headers in PhotoPrism's precedence (docs/photoprism-api.md §1.1):
   * X-Auth-Token, then X-Session-ID, then `Authorization: Bearer` (case-sensitive scheme,
   * exactly two parts). The first header found wins even if its value is malformed.
   */
  tokenFromHeaders(
    headers: Record<string, string | string[] | undefined>,
  ): { token: string; header: 'X-Auth-Token' | 'X-Session-ID' | 'Authorization' } | null {
    const get = (name: string): string => {
      const v = headers[name];
      return (Array.isArray(v) ? v[0] : v)?.trim() ?? '';
    };
    // Up to 231128 only `X-Session-ID` was read (231128 internal/api/session.go, SessionID).
    if (this.#options.api === 'legacy') {
      const legacy = get('x-session-id');
      return legacy === '' ? null : { token: legacy, header: 'X-Session-ID' };
    }
    const xAuth = get('x-auth-token');
    if (xAuth !== '') return { token: xAuth, header: 'X-Auth-Token' };
    const xSession = get('x-session-id');
    if (xSession !== '') return { token: xSession, header: 'X-Session-ID' };
    const parts = get('authorization').split(' ');
    if (parts.length === 2 && parts[0] === 'Bearer' && parts[1]) return { token: parts[1], header: 'Authorization' };
    return null;
  }

  /**
   * Resolves a token to a live session, applying the auth-failure limiter (docs/photoprism-api.md §1.5): each
   * well-formed but unknown or expired token costs one; once the bucket is empty every token from
   * that IP, valid or not, is refused.
   */
  resolve(token: string | null, ip: string): ResolveResult {
    if (token === null || token === '') return { kind: 'none' };
    if (!SESSION_TOKEN_RE.test(token) && !APP_PASSWORD_RE.test(token)) return { kind: 'invalid' };
    if (this.#options.limiters && this.failureLimiter.available(ip) < 1) return { kind: 'invalid' };
    const session = this.#sessions.get(sha256Hex(token));
    if (!session || this.#expired(session)) {
      if (session) this.#delete(session);
      if (this.#options.limiters) this.failureLimiter.take(ip, 1);
      return { kind: 'invalid' };
    }
    // A user's media tokens become valid once one of their sessions is loaded (docs/photoprism-api.md §1.8).
    this.#addUserTokens(session.user);
    return { kind: 'ok', session };
  }

  #expired(session: SessionRec): boolean {
    return session.expiresAtMs !== null && session.expiresAtMs <= this.#now();
  }

  /** Seconds until absolute expiry; 0 means none (docs/photoprism-api.md §1.2). */
  expiresIn(session: SessionRec): number {
    if (session.expiresAtMs === null) return 0;
    // Whole Unix seconds on both sides, as PhotoPrism computes it (expiry − now, in seconds).
    return Math.max(0, Math.floor(session.expiresAtMs / 1000) - Math.floor(this.#now() / 1000));
  }

  /**
   * The server process restarted: the in-memory token maps start empty again, with only the
   * config's own tokens (PhotoPrism internal/config/config.go, `entity.PreviewToken.Set(c.PreviewToken(),
   * entity.TokenConfig)` at start). A user's tokens come back only once an authenticated request
   * loads one of their sessions (internal/entity/auth_session_cache.go, CacheSession), so until
   * then every `/t/…` URL answers 403 with an SVG, and afterwards the SAME token works again
   * (internal/entity/auth_tokens.go, InvalidPreviewToken; photoprism issue 5265). Sessions live
   * in the database and survive.
   */
  restart(): void {
    this.#validPreviewTokens.clear();
    this.#validDownloadTokens.clear();
    this.#validPreviewTokens.add(this.configPreviewToken);
    this.#validDownloadTokens.add(this.configDownloadToken);
  }

  /**
   * True if thumbnails and videos accept the token: a preview token OR a download token
   * (PhotoPrism internal/entity/auth_tokens.go, InvalidPreviewToken checks both maps).
   */
  mediaTokenValid(token: string): boolean {
    return this.#validPreviewTokens.has(token) || this.#validDownloadTokens.has(token);
  }

  /**
   * True if `GET /api/v1/dl/:hash?t=` accepts the token: download tokens only
   * (PhotoPrism internal/entity/auth_tokens.go, InvalidDownloadToken).
   */
  downloadTokenValid(token: string): boolean {
    return this.#validDownloadTokens.has(token);
  }

  #addUserTokens(user: UserRec): void {
    this.#validPreviewTokens.add(user.previewToken);
    this.#validDownloadTokens.add(user.downloadToken);
  }

  /** Deletes a session and its children (docs/photoprism-api.md §1.4). */
  deleteSession(session: SessionRec): void {
    this.#delete(session);
  }

  #delete(session: SessionRec): void {
    this.#sessions.delete(session.id);
    for (const child of [...this.#sessions.values()]) {
      if (child.parentId === session.id) this.#delete(child);
    }
  }

  /**
   * Makes sessions expire now (fault injection for "token expiry"). App passwords survive unless
   * asked, so a client holding one can log in again as it would in real life.
   */
  expireAll(includeAppPasswords = false): void {
    const pastMs = this.#now() - 1000;
    for (const s of this.#sessions.values()) {
      if (s.isAppPassword && !includeAppPasswords) continue;
      s.expiresAtMs = pastMs;
    }
  }

  /** Live (non-expired) sessions, for tests and the admin API. */
  liveSessions(): SessionRec[] {
    return [...this.#sessions.values()].filter((s) => !this.#expired(s));
  }

  /**
   * `POST /api/v1/session` (docs/photoprism-api.md §1.2): credentials or an app password, 2FA, the login limiter,
   * and token regeneration when a valid token came along in the header.
   */
  login(body: unknown, headerSession: SessionRec | null, ip: string): LoginOutcome {
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      return { status: 400, body: { code: 400, error: 'Unable to do that' } };
    }
    const field = (k: string): string => {
      const v = (body as Record<string, unknown>)[k];
      return typeof v === 'string' ? v : '';
    };
    const username = field('username').trim();
    const password = field('password');
    const code = cleanPasscode(field('code'));
    const shareToken = field('token').trim();
    const cost = code !== '' ? 3 : 1;
    if (this.#options.limiters && !this.loginLimiter.take(ip, cost)) {
      return { status: 429, body: { error: 'rate limit exceeded', code: 429 } };
    }
    if (username === '' && shareToken !== '') {
      // The emulator has no share links, so every share token is invalid.
      return { status: 404, body: { error: 'Invalid credentials' } };
    }
    const user = this.users.find((u) => u.name.toLowerCase() === username.toLowerCase());
    if (!user || password === '') return { status: 401, body: { error: 'Invalid credentials' } };

    let appPassword: SessionRec | undefined;
    if (password !== user.password && this.#options.api === 'legacy') {
      // No app passwords before 240420.
      return { status: 401, body: { error: 'Invalid credentials' } };
    } else if (password !== user.password) {
      const candidate = APP_PASSWORD_RE.test(password) ? this.#sessions.get(sha256Hex(password)) : undefined;
      if (!candidate || !candidate.isAppPassword || candidate.user !== user || this.#expired(candidate)) {
        return { status: 401, body: { error: 'Invalid credentials' } };
      }
      appPassword = candidate;
    }
    // App passwords exist for clients that cannot do 2FA, so they skip the passcode.
    // 2FA exists since 240420; a legacy server signs the user in with the password alone.
    const twoFactor = user.totpSecret !== null && !appPassword && this.#options.api !== 'legacy';
    if (twoFactor) {
      if (code === '') {
        return { status: 401, body: { error: 'passcode required', code: 32, message: 'Enter verification code' } };
      }
      // Every other passcode failure: `error` is the Go error text, `code` 33 (240420 to 240531,
      // i18n.ErrInvalidPasscode) or 401 after (PhotoPrism internal/api/session_create.go, CreateSession).
      const failure = (error: string): LoginOutcome => ({
        status: 401,
        body: { error, code: this.#options.api === 'i18n-codes' ? 33 : 401, message: 'Invalid verification code, please try again' },
      });
      // TOTP codes have 6 digits; the OTP library refuses any other length before comparing
      // (PhotoPrism internal/entity/passcode.go, Passcode.Valid → pquerna/otp totp.ValidateCustom,
      // ErrValidateInputInvalidLength "Input length unexpected").
      if (code.length !== 6) return failure('Input length unexpected');
      if (!this.#passcodeOk(user, code)) return failure('invalid passcode');
    }
    if (this.#options.limiters) this.loginLimiter.refund(ip, cost);

    const nowMs = this.#now();
    const ttlMs = this.#options.sessionTtlSeconds * 1000 * (twoFactor ? 2 : 1);
    let expiresAtMs: number | null = this.#options.sessionTtlSeconds > 0 ? nowMs + ttlMs : null;
    // A login with an app password makes an ordinary, capped session (two weeks by default),
    // limited further to the app password's own expiry; the app password itself stays a valid
    // bearer token until revoked (PhotoPrism internal/entity/auth_session_login.go, AuthLocal:
    // "Limit lifetime of the session to that of the parent session"; internal/api/session.go, Session).
    if (appPassword?.expiresAtMs != null) {
      expiresAtMs = expiresAtMs === null ? appPassword.expiresAtMs : Math.min(expiresAtMs, appPassword.expiresAtMs);
    }
    const token = randomBytes(24).toString('hex');
    user.loginAtMs = nowMs;
    let session: SessionRec;
    if (headerSession && !headerSession.isAppPassword) {
      // Quirk (docs/photoprism-api.md §1.2): a valid header token plus credentials reuses that session and
      // regenerates its token, which invalidates the old one.
      this.#sessions.delete(headerSession.id);
      session = headerSession;
      session.token = token;
      session.id = sha256Hex(token);
      session.user = user;
    } else {
      session = {
        id: sha256Hex(token),
        token,
        user,
        provider: appPassword ? 'application' : 'local',
        method: appPassword ? 'session' : twoFactor ? '2fa' : 'default',
        scope: appPassword ? appPassword.scope : '',
        clientName: appPassword?.clientName ?? '',
        isAppPassword: false,
        createdAtMs: nowMs,
        expiresAtMs,
        parentId: appPassword?.id ?? null,
      };
    }
    this.#sessions.set(session.id, session);
    this.#addUserTokens(user);
    return { status: 200, body: {}, session };
  }
}

/**
 * The passcode as the server reads it: lower case, only `0-9a-z` kept, so "123 456" is
 * "123456" (PhotoPrism pkg/clean/auth.go, Passcode; internal/form/login.go, Login.Passcode).
 */
function cleanPasscode(raw: string): string {
  return raw
    .trim()
    .toLowerCase()
    .replace(/[^0-9a-z]/g, '');
}

/**
 * `entity.UserDetails` with its column defaults (PhotoPrism internal/entity/auth_user_details.go,
 * NewUserDetails: nothing set, so zero numbers and empty strings).
 */
function userDetailsJson(user: UserRec): Record<string, unknown> {
  return {
    BirthYear: 0,
    BirthMonth: 0,
    BirthDay: 0,
    NameTitle: '',
    GivenName: '',
    MiddleName: '',
    FamilyName: '',
    NameSuffix: '',
    NickName: '',
    NameSrc: '',
    Gender: '',
    About: '',
    Bio: '',
    Location: '',
    Country: '',
    Phone: '',
    SiteURL: '',
    ProfileURL: '',
    OrgTitle: '',
    OrgName: '',
    OrgEmail: '',
    OrgPhone: '',
    OrgURL: '',
    CreatedAt: goTime(user.createdAtMs),
    UpdatedAt: goTime(user.createdAtMs),
  };
}

/** `entity.User` JSON (docs/photoprism-api.md §1.2): secrets are never included. */
export function userJson(user: UserRec): Record<string, unknown> {
  return {
    ID: user.id,
    UID: user.uid,
    AuthProvider: 'local',
    AuthMethod: user.totpSecret ? '2fa' : 'default',
    AuthID: '',
    Name: user.name,
    DisplayName: user.displayName,
    Email: user.email,
    Role: user.role,
    Attr: '',
    SuperAdmin: user.superAdmin,
    CanLogin: true,
    LoginAt: user.loginAtMs === null ? null : goTime(user.loginAtMs),
    WebDAV: user.role === 'admin',
    BasePath: '',
    UploadPath: '',
    CanInvite: user.role === 'admin',
    // Preloaded with the user (PhotoPrism internal/entity/auth_user.go, User: `Details`,
    // `Settings`); PhotoPrism's web UI reads both for the account and settings pages.
    Details: userDetailsJson(user),
    Settings: { CreatedAt: goTime(user.createdAtMs), UpdatedAt: goTime(user.createdAtMs) },
    Thumb: '',
    ThumbSrc: '',
    CreatedAt: goTime(user.createdAtMs),
    UpdatedAt: goTime(user.createdAtMs),
  };
}
